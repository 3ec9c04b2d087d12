import Foundation
import ResultsStore

/// The plain-language reading of a comparison, for planners: per headline metric, the paired
/// difference with its CI, said as "lowers ... by", "raises ... by" or "changes ... by ...,
/// not significant" (when the CI contains 0).
public struct ComparisonReport: Sendable {
    public struct Finding: Sendable, Equatable {
        public var table: String
        public var entity: String?
        public var metric: String
        /// What is measured, in words ("the p95 wait in lane general").
        public var subject: String
        public var unit: String
        public var mean: Double
        public var ciLow: Double
        public var ciHigh: Double
        public init(table: String, entity: String?, metric: String, subject: String, unit: String,
                    mean: Double, ciLow: Double, ciHigh: Double) {
            self.table = table; self.entity = entity; self.metric = metric; self.subject = subject; self.unit = unit
            self.mean = mean; self.ciLow = ciLow; self.ciHigh = ciHigh
        }

        /// The CI excludes 0.
        public var significant: Bool { ciLow > 0 || ciHigh < 0 }
        /// Identical in every replication (the change does not touch it).
        public var unchanged: Bool { mean == 0 && ciLow == 0 && ciHigh == 0 }
    }

    public struct Section: Sendable {
        public var configuration: String
        public var baseline: String
        public var findings: [Finding]
    }

    public var sections: [Section]
    public var replications: Int
    public var level: Double

    /// The headline metrics: waits per lane and station, and the port's security and staffing.
    static let headlines: [(table: String, metric: String, words: String)] = [
        ("lane", "mean_wait_min", "the mean wait"), ("lane", "p95_wait_min", "the p95 wait"),
        ("station", "mean_wait_min", "the mean wait"),
        ("port", "detected", "detections"), ("port", "missed", "missed violators"),
        ("port", "referred", "referrals"), ("port", "false_referrals", "false referrals"),
        ("port", "staffed_officer_hours", "staffed officer-hours"),
    ]

    public init(_ record: ComparisonRecord) {
        replications = record.metadata.replications
        level = record.metadata.confidenceLevel
        let comparisons = record.configurations.count - 1
        sections = (0..<comparisons).map { k in
            var findings: [Finding] = []
            for (tableName, metricName, words) in Self.headlines {
                guard let t = record.tables.firstIndex(where: { $0.name == tableName }),
                      let j = record.tables[t].metrics.firstIndex(where: { $0.name == metricName }) else { continue }
                let table = record.tables[t], d = record.differences[t], m = table.metrics.count
                let entities = record.axes.rows(of: table)
                let cells = entities.count * m
                for (e, entity) in entities.enumerated() {
                    let i = k * cells + e * m + j
                    let subject = entity.map { "\(words) in \(tableName) \($0)" } ?? words
                    findings.append(Finding(table: tableName, entity: entity, metric: metricName, subject: subject,
                                            unit: table.metrics[j].unit, mean: d.mean[i], ciLow: d.ciLow[i], ciHigh: d.ciHigh[i]))
                }
            }
            return Section(configuration: record.configurations[k + 1], baseline: record.configurations[0], findings: findings)
        }
    }

    /// One sentence: "B lowers the p95 wait in lane general by 12.3 min [9.8, 14.7]".
    public static func sentence(_ f: Finding, configuration: String) -> String {
        let unit = f.unit == "min" ? " min" : ""
        func n(_ x: Double) -> String { x.isFinite ? String(format: "%.1f", x) : "n/a" }
        if !f.ciLow.isFinite || !f.ciHigh.isFinite {
            return "\(configuration) changes \(f.subject) by \(n(f.mean))\(unit) (no CI: too few replications)"
        }
        if f.ciHigh < 0 {
            return "\(configuration) lowers \(f.subject) by \(n(-f.mean))\(unit) [\(n(-f.ciHigh)), \(n(-f.ciLow))]"
        }
        if f.ciLow > 0 {
            return "\(configuration) raises \(f.subject) by \(n(f.mean))\(unit) [\(n(f.ciLow)), \(n(f.ciHigh))]"
        }
        if f.unchanged { return "\(configuration) leaves \(f.subject) unchanged (identical in every replication)" }
        let sign = f.mean >= 0 ? "+" : ""
        let verb = f.subject.hasPrefix("the ") ? "changes" : "change"
        return "\(configuration): \(f.subject) \(verb) by \(sign)\(n(f.mean))\(unit) [\(n(f.ciLow)), \(n(f.ciHigh))], not significant"
    }

    public var text: String {
        var out = ""
        for s in sections {
            out += "\(s.configuration) vs \(s.baseline) (baseline): paired differences over \(replications) replications "
                + "with common random numbers, \(String(format: "%g", level * 100))% CI\n"
            for f in s.findings where !f.unchanged { out += "  " + Self.sentence(f, configuration: s.configuration) + "\n" }
            let same = s.findings.filter(\.unchanged).map(\.subject)
            if !same.isEmpty { out += "  identical in every replication: " + same.joined(separator: "; ") + "\n" }
            out += "\n"
        }
        return out
    }
}

extension ComparisonReport {
    /// The findings as plain values for `--json`.
    public struct JSON: Encodable {
        public struct Entry: Encodable {
            var table: String, entity: String?, metric: String, unit: String
            var difference: Double, ci_low: Double, ci_high: Double, significant: Bool, sentence: String
        }
        public struct Comparison: Encodable { var configuration: String, baseline: String, findings: [Entry] }
        var replications: Int, confidence_level: Double, comparisons: [Comparison]
    }

    public var json: JSON {
        JSON(replications: replications, confidence_level: level, comparisons: sections.map { s in
            JSON.Comparison(configuration: s.configuration, baseline: s.baseline, findings: s.findings.map { f in
                JSON.Entry(table: f.table, entity: f.entity, metric: f.metric, unit: f.unit, difference: f.mean, ci_low: f.ciLow,
                           ci_high: f.ciHigh, significant: f.significant, sentence: Self.sentence(f, configuration: s.configuration))
            })
        })
    }
}
