import Experiments
import Foundation

/// The readable run summary: fixed-width tables, estimates as `mean ±half-width`.
enum SummaryText {
    static func render(_ s: RunSummary, elapsed: Double, parties: Int) -> String {
        var out = "\(s.scenario) — \(s.replications) replications of \(fmt(s.horizonHours)) h "
            + "(warm-up \(fmt(s.warmUpHours)) h), seed \(s.seed); means ± 95% CI half-widths\n\n"
        out += row(["lane", "class", "arrived", "served", "wait mean (min)", "wait p95 (min)", "balked", "reneged"],
                   [18, 18, 12, 12, 18, 18, 10, 10]) + "\n"
        for f in s.flows {
            out += row([f.lane, f.trafficClass, est(f.arrived, 0), est(f.served, 0), est(f.meanWaitMinutes, 1),
                        est(f.p95WaitMinutes, 1), est(f.balked, 0), est(f.reneged, 0)], [18, 18, 12, 12, 18, 18, 10, 10]) + "\n"
        }
        out += "\n" + row(["lane", "utilisation", "open booths"], [18, 16, 14]) + "\n"
        for l in s.lanes { out += row([l.name, est(l.utilisation, 3), est(l.meanOpenBooths, 1)], [18, 16, 14]) + "\n" }
        if !s.stations.isEmpty {
            out += "\n" + row(["station", "arrived", "utilisation", "wait mean (min)", "down"], [18, 12, 16, 18, 10]) + "\n"
            for st in s.stations {
                out += row([st.name, est(st.arrived, 0), est(st.utilisation, 3), est(st.meanWaitMinutes, 1),
                            est(st.downFraction, 3)], [18, 12, 16, 18, 10]) + "\n"
            }
        }
        let sec = s.security
        out += "\nsecurity: violators \(est(sec.violatorsArrived, 1)), referred \(est(sec.referred, 0)) "
            + "(rate \(est(sec.referralRate, 4))), detected \(est(sec.detected, 1)), missed \(est(sec.missed, 1))\n"
        out += "          hit rate \(est(sec.hitRate, 3)), detection rate \(est(sec.detectionRate, 3)), "
            + "false referrals \(est(sec.falseReferrals, 0))\n"
        for (type, e) in sec.detectedByType.sorted(by: { $0.key < $1.key }) { out += "          detected \(type): \(est(e, 1))\n" }
        if sec.referred.mean > 0 {
            let w = [22, 16, 18, 14, 12]
            out += "\n" + row(["referred by", "referrals", "false referrals", "detected", "hit rate"], w) + "\n"
            for c in sec.byCause where c.referrals.mean > 0 {
                out += row([c.cause, est(c.referrals, 0), est(c.falseReferrals, 0), est(c.detected, 1), est(c.hitRate, 3)], w) + "\n"
            }
            out += "\n"
        }
        out += "officer-hours staffed: \(est(s.staffedOfficerHours, 0))\n"
        if let note = reliability(s) { out += "\n" + note + "\n" }
        out += String(format: "\nsimulated %d parties in %.2f s (%.2f M parties/s on all cores)", parties, elapsed,
                      Double(parties) / max(elapsed, 1e-9) / 1e6)
        return out
    }

    /// When the ± half-widths should not be trusted: few replications, or intervals for waits
    /// that reach below 0 (a sign of a skewed, heavy-tailed distribution of replication means).
    static func reliability(_ s: RunSummary) -> String? {
        let waits = s.flows.flatMap { [$0.meanWaitMinutes, $0.p95WaitMinutes] } + s.stations.map(\.meanWaitMinutes)
        let below = waits.filter { $0.mean.isFinite && $0.halfWidth.isFinite && $0.mean - $0.halfWidth < 0 }.count
        guard s.replications < 10 || below > 0 else { return nil }
        var why: [String] = []
        if s.replications < 10 { why.append("only \(s.replications) replications") }
        if below > 0 { why.append("\(below) wait interval(s) reach below 0, so those waits vary a lot from one replication to the next") }
        return "note: intervals unreliable — " + why.joined(separator: "; ") + ". The ± is a Student-t half-width, which "
            + "assumes roughly normal replication means; run more replications (--replications 30, or --precision 5%)."
    }

    /// `mean ±half-width`; "—" where undefined (a rate with no denominator, a wait nobody had).
    static func est(_ e: RunSummary.Estimate, _ digits: Int) -> String {
        guard e.mean.isFinite else { return "—" }
        let m = String(format: "%.\(digits)f", e.mean)
        return e.halfWidth.isFinite ? m + " ±" + String(format: "%.\(digits)f", e.halfWidth) : m
    }
    static func fmt(_ x: Double) -> String { String(format: "%g", x) }
    static func row(_ cells: [String], _ widths: [Int]) -> String {
        zip(cells, widths).map { c, w in c.count >= w ? c + " " : c + String(repeating: " ", count: w - c.count) }.joined()
    }
}
