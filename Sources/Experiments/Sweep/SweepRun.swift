import BorderModel
import Foundation
import ResultsStore

/// Runs a sweep job: every point not already saved by an interrupted run, all cores at once,
/// saving each point as it finishes; then assembles the record in point order. The record
/// depends only on the job, never on the thread count or on where a run was interrupted.
public enum SweepRun {
    public struct Progress: Sendable {
        public var pointsDone: Int
        public var pointsTotal: Int
        public var replicationsDone: Int
        public var replicationsTotal: Int
        /// Points taken from the checkpoint of an interrupted run.
        public var resumed: Int
    }

    public static func run(_ job: SweepJob, metadata: SweepMetadata, checkpoint: SweepCheckpoint, threads: Int? = nil,
                           progress: (@Sendable (Progress) -> Void)? = nil) throws -> SweepRecord {
        let level = metadata.run.confidenceLevel
        // Tables of an empty run: names, metrics and shapes, to split saved values.
        let template = RunRecordBuilder.tables(config: job.base.config, results: [], level: level)
        var tables: [Int: [MetricTable]] = [:]  // by position in job.selected
        for (i, p) in job.selected.enumerated() {
            guard let saved = checkpoint.load(point: p, template: template, replications: job.replications) else { continue }
            tables[i] = zip(template, saved).map { t, values in
                var table = t
                table.values = values
                table.summary = RunRecordBuilder.summarise(values, replications: job.replications,
                                                           cells: t.cellsPerReplication, level: level)
                return table
            }
        }
        let resumed = tables.count
        let todo = job.selected.indices.filter { tables[$0] == nil }
        let total = job.selected.count, reps = job.replications
        progress?(Progress(pointsDone: resumed, pointsTotal: total, replicationsDone: 0,
                           replicationsTotal: todo.count * reps, resumed: resumed))
        try PointRunner.run(todo.map { job.configurations[$0] }, seed: job.seed, replications: reps, threads: threads,
                            finished: { k, results in
            let i = todo[k]
            let t = RunRecordBuilder.tables(config: job.configurations[i], results: results, level: level)
            try checkpoint.save(point: job.selected[i], tables: t)
            tables[i] = t
        }, progress: { points, replications in
            progress?(Progress(pointsDone: resumed + points, pointsTotal: total, replicationsDone: replications,
                               replicationsTotal: todo.count * reps, resumed: resumed))
        })
        return assemble(job, metadata: metadata, tables: job.selected.indices.map { tables[$0]! })
    }

    /// Stacks per-point tables into the sweep record (values `[point][replication][cell]`).
    static func assemble(_ job: SweepJob, metadata: SweepMetadata, tables perPoint: [[MetricTable]]) -> SweepRecord {
        let template = perPoint.first ?? RunRecordBuilder.tables(config: job.base.config, results: [],
                                                                  level: metadata.run.confidenceLevel)
        let stacked = template.indices.map { t -> MetricTable in
            var table = template[t]
            table.values = perPoint.flatMap { $0[t].values }
            let s = perPoint.map { $0[t].summary }
            table.summary = .stacked(s, level: table.summary.level, replications: job.replications)
            return table
        }
        let columns = job.points.columns.map { column -> Axis.Labels in
            switch column {
            case .reals(let v): return .reals(job.selected.map { v[$0] })
            case .integers(let v): return .integers(job.selected.map { v[$0] })
            case .strings(let v): return .strings(job.selected.map { v[$0] })
            }
        }
        return SweepRecord(metadata: metadata, points: job.selected, parameterValues: columns,
                           axes: RunRecordBuilder.entityAxes(config: job.base.config), tables: stacked)
    }
}
