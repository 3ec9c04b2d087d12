/// Everything a run file holds, as plain values: the Experiments layer fills it, the writer
/// lays it out (see results/README.md for the layout).
public struct RunRecord: Sendable {
    public var metadata: RunMetadata
    /// Labelled axes, written as dimension scales at the root (replication, lane, class, ...).
    public var axes: [Axis]
    /// Per-replication metrics with their across-replication statistics.
    public var tables: [MetricTable]
    /// Time series (per replication × time × entity).
    public var series: [Series]

    public init(metadata: RunMetadata, axes: [Axis], tables: [MetricTable], series: [Series]) {
        self.metadata = metadata; self.axes = axes; self.tables = tables; self.series = series
    }
}

/// Root attributes: enough to reproduce the run from the file alone.
public struct RunMetadata: Sendable, Equatable {
    public var toolVersion: String
    /// ISO 8601, UTC.
    public var created: String
    public var seed: UInt64
    public var replications: Int
    public var horizonSeconds: Double
    public var warmUpSeconds: Double
    public var confidenceLevel: Double
    public var scenarioName: String
    public var scenarioPath: String
    /// The scenario after overrides, as run.
    public var scenarioText: String
    public var commandLine: String

    public init(toolVersion: String, created: String, seed: UInt64, replications: Int, horizonSeconds: Double,
                warmUpSeconds: Double, confidenceLevel: Double, scenarioName: String, scenarioPath: String,
                scenarioText: String, commandLine: String) {
        self.toolVersion = toolVersion; self.created = created; self.seed = seed; self.replications = replications
        self.horizonSeconds = horizonSeconds; self.warmUpSeconds = warmUpSeconds; self.confidenceLevel = confidenceLevel
        self.scenarioName = scenarioName; self.scenarioPath = scenarioPath; self.scenarioText = scenarioText
        self.commandLine = commandLine
    }
}

/// A labelled axis: its name (the dimension name readers see), its labels and their unit.
public struct Axis: Sendable, Equatable {
    public enum Labels: Sendable, Equatable {
        case strings([String])
        case integers([Int64])
        case reals([Double])
        public var count: Int {
            switch self {
            case .strings(let s): return s.count
            case .integers(let i): return i.count
            case .reals(let r): return r.count
            }
        }
    }
    public var name: String
    public var labels: Labels
    public var unit: String
    public var description: String
    /// Set for an auxiliary coordinate: labels along another axis (e.g. `flow_lane` along `flow`),
    /// written as a plain dataset attached to that axis rather than as a scale of its own.
    public var along: String?

    public init(_ name: String, _ labels: Labels, unit: String = "", description: String, along: String? = nil) {
        self.name = name; self.labels = labels; self.unit = unit; self.description = description; self.along = along
    }
}

extension Array where Element == Axis {
    /// The text labels of the named axis ([] if there is none, or its labels are not text).
    public func labels(of name: String) -> [String] {
        guard let axis = first(where: { $0.name == name }), case .strings(let s) = axis.labels else { return [] }
        return s
    }

    /// The entities a table's rows stand for: its entity axis's labels, or [nil] for a
    /// one-row table (the port).
    public func rows(of table: MetricTable) -> [String?] {
        table.entityAxis.map { labels(of: $0) } ?? [nil]
    }
}

/// One metric: a column name, its unit and what it means.
public struct Metric: Sendable, Equatable {
    public var name: String
    public var unit: String
    public var description: String
    public init(_ name: String, _ unit: String, _ description: String) {
        self.name = name; self.unit = unit; self.description = description
    }
}

/// Metrics of one kind of entity (port, lane, flow, station, violation type), per replication,
/// with their across-replication statistics.
public struct MetricTable: Sendable {
    /// Table name: `/replications/NAME` and `/summary/NAME/...`.
    public var name: String
    /// The root axis naming the entities (nil for a single row, e.g. the whole port).
    public var entityAxis: String?
    public var metrics: [Metric]
    /// Row-major `[replication][entity][metric]`.
    public var values: [Double]
    public var summary: MetricSummary

    public init(name: String, entityAxis: String?, metrics: [Metric], values: [Double], summary: MetricSummary) {
        self.name = name; self.entityAxis = entityAxis; self.metrics = metrics; self.values = values; self.summary = summary
    }

    /// The metric axis of this table, e.g. `lane_metric`.
    public var metricAxis: String { name + "_metric" }
}

/// Across-replication statistics, each row-major `[entity][metric]`. Undefined values (the
/// standard deviation of one replication) are NaN.
public struct MetricSummary: Sendable, Equatable {
    public var mean: [Double]
    public var sd: [Double]
    public var ciLow: [Double]
    public var ciHigh: [Double]
    public var level: Double
    public var replications: Int

    public init(mean: [Double], sd: [Double], ciLow: [Double], ciHigh: [Double], level: Double, replications: Int) {
        self.mean = mean; self.sd = sd; self.ciLow = ciLow; self.ciHigh = ciHigh; self.level = level
        self.replications = replications
    }

    public static let statistics = ["mean", "sd", "ci_low", "ci_high"]

    /// Summaries of several blocks (sweep points, configurations) one after the other: each
    /// statistic row-major `[block][entity][metric]`.
    public static func stacked(_ parts: [MetricSummary], level: Double, replications: Int) -> MetricSummary {
        MetricSummary(mean: parts.flatMap(\.mean), sd: parts.flatMap(\.sd), ciLow: parts.flatMap(\.ciLow),
                      ciHigh: parts.flatMap(\.ciHigh), level: level, replications: replications)
    }
}

/// A time series: `[replication][time][entity]` (or `[replication][time]` without entities).
public struct Series: Sendable {
    public enum Values: Sendable, Equatable {
        case integers([Int64])
        case reals([Double])
    }
    public var name: String
    /// `time` (hourly bins) or `sample_time` (queue samples).
    public var timeAxis: String
    public var entityAxis: String?
    public var values: Values
    public var unit: String
    public var description: String

    public init(name: String, timeAxis: String, entityAxis: String?, values: Values, unit: String, description: String) {
        self.name = name; self.timeAxis = timeAxis; self.entityAxis = entityAxis; self.values = values
        self.unit = unit; self.description = description
    }
}
