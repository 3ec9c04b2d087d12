/// What a sweep file holds (layout: results/README.md): for each point of a design, the
/// parameter values, every metric per replication and the across-replication statistics.
/// A shard of a sweep holds a subset of the points and the same layout.
public struct SweepRecord: Sendable {
    public var metadata: SweepMetadata
    /// Global point indices held here, increasing.
    public var points: [Int]
    /// One column per parameter (in `metadata.parameters` order), one value per point.
    public var parameterValues: [Axis.Labels]
    /// Entity axes (lane, class, station, violation_type, flow, ...): no point or replication axis.
    public var axes: [Axis]
    /// Values row-major `[point][replication][entity][metric]`; summaries `[point][entity][metric]`.
    public var tables: [MetricTable]

    public init(metadata: SweepMetadata, points: [Int], parameterValues: [Axis.Labels], axes: [Axis], tables: [MetricTable]) {
        self.metadata = metadata; self.points = points; self.parameterValues = parameterValues
        self.axes = axes; self.tables = tables
    }
}

/// Root attributes of a sweep file: those of a run (the base scenario, seed, replications per
/// point) plus the plan, its hash and the shard.
public struct SweepMetadata: Sendable, Equatable {
    public var run: RunMetadata
    public var planName: String
    public var planPath: String
    public var planText: String
    /// SHA-256 of everything that determines the results (plan, base scenario, points, seed,
    /// replications): shards of one sweep share it, and `merge` checks it.
    public var planHash: String
    /// "grid", "latin-hypercube", "sobol" (with its parameters, as text).
    public var design: String
    public var parameters: [String]
    public var pointsTotal: Int
    /// 1-based; 1 of 1 for a whole sweep.
    public var shardIndex: Int
    public var shardCount: Int

    public init(run: RunMetadata, planName: String, planPath: String, planText: String, planHash: String,
                design: String, parameters: [String], pointsTotal: Int, shardIndex: Int = 1, shardCount: Int = 1) {
        self.run = run; self.planName = planName; self.planPath = planPath; self.planText = planText
        self.planHash = planHash; self.design = design; self.parameters = parameters
        self.pointsTotal = pointsTotal; self.shardIndex = shardIndex; self.shardCount = shardCount
    }
}

extension ResultsSchema {
    public static let sweepKind = "sweep"
    public static let pointAxis = "point"
    public static let parameterAxis = "parameter"
    public static let pointsGroup = "points"

    public enum SweepAttribute {
        public static let planName = "plan_name"
        public static let planPath = "plan_path"
        public static let planText = "plan_yaml"
        public static let planHash = "plan_sha256"
        public static let design = "design"
        public static let pointsTotal = "points_total"
        public static let shardIndex = "shard_index"
        public static let shardCount = "shard_count"
        /// Names of the root axes in the order they were written (so a reader can rebuild them).
        public static let axes = "axes"
    }
}
