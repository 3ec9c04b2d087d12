import BorderModel
import Experiments
import Foundation
import SimKernel

/// The found plan run again on fresh replications (numbered after the search's, so none of the
/// search's parties is reused), beside the scenario's current plan on the same replications
/// (paired): each target hour by hour with its 95 % confidence interval, officer-hours, and the
/// mean wait over all lanes.
public struct Verification: Sendable {
    /// `met`: the whole CI is within the bound; `metWithinCI`: the mean is, the CI reaches past;
    /// `missedWithinCI`: the mean is past the bound, the CI reaches back; `missed`: all of the CI is past.
    public enum Status: String, Sendable {
        case met, metWithinCI = "met-within-ci", missedWithinCI = "missed-within-ci", missed
        case noTraffic = "no-traffic"
        public var acceptable: Bool { self != .missed }
    }
    public struct Check: Sendable {
        /// nil: over the day.
        public var hour: Int?
        public var mean: Double
        public var low: Double
        public var high: Double
        public var status: Status
    }
    public struct TargetResult: Sendable {
        public var target: String
        public var scope: String
        public var bound: Double
        public var checks: [Check]
        /// The same checks for the scenario's current plan, on the same replications.
        public var current: [Check]
        public var status: Status {
            if checks.contains(where: { $0.status == .missed }) { return .missed }
            if checks.contains(where: { $0.status == .missedWithinCI }) { return .missedWithinCI }
            if checks.contains(where: { $0.status == .metWithinCI }) { return .metWithinCI }
            return checks.allSatisfy { $0.status == .noTraffic } ? .noTraffic : .met
        }
    }
    public struct Paired: Sendable {
        /// Mean primary wait over every lane's parties, seconds, current and plan, and the
        /// reduction current − plan with its CI (paired differences, Student t).
        public var current: Double
        public var plan: Double
        public var reduction: Double
        public var reductionLow: Double
        public var reductionHigh: Double
        /// Reduction over the current mean, with a delta-method CI.
        public var relative: Double
        public var relativeLow: Double
        public var relativeHigh: Double
    }

    public var replications: Int
    public var firstReplication: Int
    public var level: Double
    public var targets: [TargetResult]
    public var planOfficerHours: Double
    public var currentOfficerHours: Double
    public var meanWait: Paired

    public var allAcceptable: Bool { targets.allSatisfy { $0.status.acceptable } }

    public init(config: PortConfiguration, current: PortConfiguration, plan: HourlyPlan, targets: [ResolvedTarget],
                grid: HourGrid, seed: UInt64, replications: Int, first: Int, threads: Int?, level: Double = 0.95,
                drain: Int = 0) throws {
        self.replications = replications
        firstReplication = first
        self.level = level
        let planned = plan.applied(to: config, grid: grid)
        // Run past the horizon as the search does, so the last hours' parties are counted.
        let m = try Measurement.run(grid.draining(planned, hours: drain), targets: targets, positions: plan.positions, grid: grid, seed: seed,
                                    replications: replications, first: first, threads: threads)
        let base = try Measurement.run(grid.draining(current, hours: drain), targets: targets, positions: plan.positions, grid: grid, seed: seed,
                                       replications: replications, first: first, threads: threads)
        func check(_ values: [Double], bound: Double, hour: Int?) -> Check {
            let s = SampleSummary(values)
            guard s.count > 0 else { return Check(hour: hour, mean: .nan, low: .nan, high: .nan, status: .noTraffic) }
            let hw = s.count > 1 ? s.halfWidth(level: level) : .infinity
            let (mean, low, high) = (s.mean, s.mean - hw, s.mean + hw)
            let status: Status = high <= bound + 1e-9 ? .met : mean <= bound + 1e-9 ? .metWithinCI
                : low <= bound + 1e-9 ? .missedWithinCI : .missed
            return Check(hour: hour, mean: mean, low: low, high: high, status: status)
        }
        let now = HourlyPlan(current: current, positions: plan.positions, grid: grid)
        func checks(_ k: Int, _ t: ResolvedTarget, _ m: Measurement, _ plan: HourlyPlan) -> [Check] {
            if t.target.metric == .capacity {
                let i = plan.index(of: t.position)!
                // Servers × service rate against the floor (a capacity, not a random quantity).
                return (0..<grid.count).map { h in
                    let capacity = Double(plan.values[i][h]) / t.meanService
                    return Check(hour: h, mean: capacity, low: capacity, high: capacity,
                                 status: capacity >= t.target.bound - 1e-12 ? .met : .missed)
                }
            } else if t.scope == .daily {
                return [check(m.daily[k], bound: t.target.bound, hour: nil)]
            }
            return grid.display.filter(grid.isMeasured).map { check(m.hourly[k][$0], bound: t.target.bound, hour: $0) }
        }
        self.targets = targets.enumerated().map { k, t in
            TargetResult(target: t.target.text, scope: t.target.metric == .capacity ? "every hour" : t.scope.rawValue,
                         bound: t.target.bound, checks: checks(k, t, m, plan), current: checks(k, t, base, now))
        }
        currentOfficerHours = Verification.officerHours(current, grid: grid)
        planOfficerHours = Verification.officerHours(planned, grid: grid)
        meanWait = Verification.paired(current: base.meanWaitAll, plan: m.meanWaitAll, level: level)
    }

    /// Booth- and server-hours of every lane and station over the measured window.
    public static func officerHours(_ c: PortConfiguration, grid: HourGrid) -> Double {
        c.lanes.reduce(0) { $0 + grid.positionHours($1.booths) } + c.stations.reduce(0) { $0 + grid.positionHours($1.servers) }
    }

    static func paired(current: [Double], plan: [Double], level: Double) -> Paired {
        let pairs = zip(current, plan).filter { !$0.0.isNaN && !$0.1.isNaN }
        let c = SampleSummary(pairs.map(\.0)), p = SampleSummary(pairs.map(\.1))
        let d = SampleSummary(pairs.map { $0.0 - $0.1 })
        let hw = d.count > 1 ? d.halfWidth(level: level) : .infinity
        // Delta method for D̄ / C̄: Var ≈ (s_D² − 2R·s_DC + R²·s_C²) / (n·C̄²).
        let n = Double(pairs.count), r = c.mean != 0 ? d.mean / c.mean : .nan
        var cov = 0.0
        for (x, y) in pairs { cov += ((x - y) - d.mean) * (x - c.mean) }
        cov /= max(1, n - 1)
        let se = ((d.variance - 2 * r * cov + r * r * c.variance) / n).squareRoot() / abs(c.mean)
        let t = d.count > 1 ? d.halfWidth(level: level) / max(d.standardDeviation / n.squareRoot(), 1e-300) : .infinity
        let rhw = d.standardDeviation > 0 ? t * se : 0
        return Paired(current: c.mean, plan: p.mean, reduction: d.mean, reductionLow: d.mean - hw, reductionHigh: d.mean + hw,
                      relative: r, relativeLow: r - rhw, relativeHigh: r + rhw)
    }
}
