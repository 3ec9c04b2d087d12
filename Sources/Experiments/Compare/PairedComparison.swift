import BorderModel
import ResultsStore
import SimKernel

/// Compares configurations of a port on the same replications: replication r of every
/// configuration uses the streams of (seed, r), so the same parties arrive with the same
/// attributes and work, and the difference of a metric, replication by replication, carries
/// only the effect of the change (common random numbers). Its Student-t interval is the
/// paired CI.
public enum PairedComparison {
    public struct Configuration: Sendable {
        public var name: String
        public var config: PortConfiguration
        public var scenarioText: String
        public init(name: String, config: PortConfiguration, scenarioText: String) {
            self.name = name; self.config = config; self.scenarioText = scenarioText
        }
    }

    public static func run(_ configurations: [Configuration], metadata: RunMetadata, threads: Int? = nil,
                           progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> ComparisonRecord {
        let level = metadata.confidenceLevel, reps = metadata.replications
        var perConfiguration = [[MetricTable]](repeating: [], count: configurations.count)
        try PointRunner.run(configurations.map(\.config), seed: metadata.seed, replications: reps, threads: threads,
                            finished: { k, results in
            perConfiguration[k] = RunRecordBuilder.tables(config: configurations[k].config, results: results, level: level)
        }, progress: progress)
        return align(configurations, perConfiguration, metadata: metadata)
    }

    /// Keeps the entities every configuration has (matched by name, in the baseline's order),
    /// stacks the tables and computes the paired differences from the baseline.
    static func align(_ configurations: [Configuration], _ tables: [[MetricTable]], metadata: RunMetadata) -> ComparisonRecord {
        let level = metadata.confidenceLevel, reps = metadata.replications
        let axesPer = configurations.map { RunRecordBuilder.entityAxes(config: $0.config) }
        // For each entity axis: the index of each common label in each configuration.
        var keep: [String: [[Int]]] = [:]
        for axis in axesPer[0] where axis.along == nil {
            let common = axesPer[0].labels(of: axis.name).filter { l in axesPer.allSatisfy { $0.labels(of: axis.name).contains(l) } }
            keep[axis.name] = axesPer.map { a in let own = a.labels(of: axis.name); return common.map { own.firstIndex(of: $0)! } }
        }
        let axes = axesPer[0].map { axis -> Axis in
            guard case .strings(let s) = axis.labels, let rows = keep[axis.along ?? axis.name]?[0] else { return axis }
            var a = axis
            a.labels = .strings(rows.map { s[$0] })
            return a
        }
        var stacked: [MetricTable] = [], differences: [MetricSummary] = []
        for t in tables[0].indices {
            let m = tables[0][t].metrics.count
            let rows = tables[0][t].entityAxis.map { keep[$0]! } ?? Array(repeating: [0], count: configurations.count)
            let entities = rows[0].count, cells = entities * m
            // aligned[k][r][cell]
            let aligned: [[Double]] = configurations.indices.map { k in
                let own = tables[k][t], ownCells = own.summary.mean.count
                var v: [Double] = []
                v.reserveCapacity(reps * cells)
                for r in 0..<reps { for e in rows[k] { for j in 0..<m { v.append(own.values[r * ownCells + e * m + j]) } } }
                return v
            }
            var table = tables[0][t]
            table.values = aligned.flatMap { $0 }
            let summaries = aligned.map { RunRecordBuilder.summarise($0, replications: reps, cells: cells, level: level) }
            table.summary = .stacked(summaries, level: level, replications: reps)
            stacked.append(table)
            let diffs = aligned.dropFirst().map { v in
                RunRecordBuilder.summarise(zip(v, aligned[0]).map { $0 - $1 }, replications: reps, cells: cells, level: level)
            }
            differences.append(.stacked(diffs, level: level, replications: reps))
        }
        return ComparisonRecord(metadata: metadata, configurations: configurations.map(\.name),
                                scenarioTexts: configurations.map(\.scenarioText), axes: axes, tables: stacked,
                                differences: differences)
    }
}
