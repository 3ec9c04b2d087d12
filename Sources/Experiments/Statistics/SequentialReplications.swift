import BorderModel
import Foundation
import ResultsStore
import SimKernel

/// A metric whose confidence interval must reach the precision target: `TABLE.METRIC` names a
/// column of a result table (port, lane, flow, class, station, security — as in the result
/// file) and covers every entity of the table (every lane for `lane.mean_wait_min`).
public struct PrecisionTarget: Sendable, Hashable, Codable, CustomStringConvertible {
    public var table: String
    public var metric: String

    /// The metric names of each table, as RunRecordBuilder writes them.
    public static let metricsByTable: [(table: String, metrics: [String])] = [
        ("port", RunRecordBuilder.portMetrics.map(\.0.name)),
        ("lane", RunRecordBuilder.laneMetrics(MetricOptions.cbpWaitThresholds).map(\.0.name)),
        ("flow", RunRecordBuilder.flowMetrics(MetricOptions.cbpWaitThresholds).map(\.0.name)),
        ("class", RunRecordBuilder.classMetrics.map(\.0.name)),
        ("station", RunRecordBuilder.stationMetrics(MetricOptions.cbpWaitThresholds).map(\.0.name)),
        ("security", RunRecordBuilder.securityMetrics.map(\.0.name)),
    ]

    /// The default: the mean primary wait of every lane (what planners read first), the mean
    /// wait at every secondary station (the heaviest-tailed waits, whose intervals mislead first
    /// with few replications) and the detections at the port (what the security side reads first).
    public static let defaults = [PrecisionTarget(table: "lane", metric: "mean_wait_min"),
                                  PrecisionTarget(table: "station", metric: "mean_wait_min"),
                                  PrecisionTarget(table: "port", metric: "detected")]

    public init(table: String, metric: String) { self.table = table; self.metric = metric }

    /// Parses and checks `TABLE.METRIC`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ".", maxSplits: 1).map(String.init)
        let tables = PrecisionTarget.metricsByTable.map(\.table)
        guard parts.count == 2, let entry = PrecisionTarget.metricsByTable.first(where: { $0.table == parts[0] }) else {
            throw PrecisionError("'\(text)' is not TABLE.METRIC with TABLE one of \(tables.joined(separator: ", "))")
        }
        guard entry.metrics.contains(parts[1]) else {
            throw PrecisionError("table \(parts[0]) has no metric '\(parts[1])'; its metrics: \(entry.metrics.joined(separator: ", "))")
        }
        self.init(table: parts[0], metric: parts[1])
    }

    public var description: String { "\(table).\(metric)" }
}

public struct PrecisionError: Error, CustomStringConvertible {
    public var description: String
    public init(_ message: String) { description = message }
}

/// Parses a relative precision: `5%` or `0.05`; must lie in (0, 1].
public func parseRelativePrecision(_ text: String) throws -> Double {
    let t = text.trimmingCharacters(in: .whitespaces)
    let value = t.hasSuffix("%") ? Double(t.dropLast().trimmingCharacters(in: .whitespaces)).map { $0 / 100 } : Double(t)
    guard let value, value.isFinite, value > 0, value <= 1 else {
        throw PrecisionError("--precision '\(text)' must be a share in (0, 1] such as 5% or 0.05")
    }
    return value
}

/// The rule for sequential replications: keep adding batches of replications until every
/// target's confidence-interval half-width is at most `relative` × |mean|, or `maxReplications`.
public struct PrecisionPlan: Sendable {
    public var relative: Double
    public var targets: [PrecisionTarget]
    public var maxReplications: Int
    /// Replications added per step. Fixed (not the thread count), so the final count — and the
    /// results — do not depend on the machine or on --threads.
    public var batch: Int
    public var level: Double

    public static let defaultBatch = 8
    public static let defaultMaxReplications = 200

    public init(relative: Double, targets: [PrecisionTarget] = PrecisionTarget.defaults,
                maxReplications: Int = PrecisionPlan.defaultMaxReplications, batch: Int = PrecisionPlan.defaultBatch,
                level: Double = 0.95) {
        self.relative = relative; self.targets = targets; self.maxReplications = maxReplications
        self.batch = batch; self.level = level
    }
}

/// The state of one metric of one entity against the target.
public struct PrecisionCheck: Codable, Sendable, Equatable {
    public var table: String
    public var metric: String
    /// The entity (lane, flow, …); nil for the port table.
    public var entity: String?
    public var mean: Double
    public var sd: Double
    /// Half-width of the confidence interval (infinite with fewer than two replications).
    public var halfWidth: Double
    /// relative × |mean|.
    public var target: Double
    public var met: Bool

    /// "lane.mean_wait_min[general]".
    public var label: String { "\(table).\(metric)" + (entity.map { "[\($0)]" } ?? "") }
    /// Half-width over |mean| (infinite for mean 0 unless the metric is constant).
    public var relativeHalfWidth: Double {
        if sd == 0 && halfWidth.isFinite { return 0 }
        return mean == 0 ? .infinity : halfWidth / abs(mean)
    }

    enum CodingKeys: String, CodingKey {
        case table, metric, entity, mean, sd, halfWidth = "half_width", target, met
        case relativeHalfWidth = "relative_half_width"
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(table, forKey: .table)
        try c.encode(metric, forKey: .metric)
        try c.encode(entity, forKey: .entity)
        func finite(_ x: Double) -> Double? { x.isFinite ? x : nil }
        try c.encode(finite(mean), forKey: .mean)
        try c.encode(finite(sd), forKey: .sd)
        try c.encode(finite(halfWidth), forKey: .halfWidth)
        try c.encode(finite(target), forKey: .target)
        try c.encode(met, forKey: .met)
        try c.encode(finite(relativeHalfWidth), forKey: .relativeHalfWidth)
    }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        table = try c.decode(String.self, forKey: .table)
        metric = try c.decode(String.self, forKey: .metric)
        entity = try c.decodeIfPresent(String.self, forKey: .entity)
        mean = try c.decodeIfPresent(Double.self, forKey: .mean) ?? .nan
        sd = try c.decodeIfPresent(Double.self, forKey: .sd) ?? .nan
        halfWidth = try c.decodeIfPresent(Double.self, forKey: .halfWidth) ?? .infinity
        target = try c.decodeIfPresent(Double.self, forKey: .target) ?? .nan
        met = try c.decode(Bool.self, forKey: .met)
    }
    public init(table: String, metric: String, entity: String?, mean: Double, sd: Double, halfWidth: Double,
                target: Double, met: Bool) {
        self.table = table; self.metric = metric; self.entity = entity; self.mean = mean; self.sd = sd
        self.halfWidth = halfWidth; self.target = target; self.met = met
    }
}

/// What a sequential run did.
public struct PrecisionOutcome: Codable, Sendable {
    public var relative: Double
    public var confidenceLevel: Double
    public var targets: [String]
    public var initialReplications: Int
    public var replications: Int
    public var maxReplications: Int
    public var batch: Int
    /// Every check met at the final count.
    public var met: Bool
    /// Stopped because the maximum was reached with some target missed.
    public var reachedMaximum: Bool { !met && replications >= maxReplications }
    /// The checks at the final count.
    public var checks: [PrecisionCheck]
    /// Replication counts tried, with how many checks were met at each.
    public var steps: [Step]

    public struct Step: Codable, Sendable, Equatable {
        public var replications: Int
        public var met: Int
        public var checks: Int
    }

    public var missed: [PrecisionCheck] { checks.filter { !$0.met } }

    enum CodingKeys: String, CodingKey {
        case relative = "relative_precision", confidenceLevel = "confidence_level", targets
        case initialReplications = "initial_replications", replications, maxReplications = "max_replications", batch
        case met, reachedMaximum = "reached_maximum", checks, steps
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(relative, forKey: .relative)
        try c.encode(confidenceLevel, forKey: .confidenceLevel)
        try c.encode(targets, forKey: .targets)
        try c.encode(initialReplications, forKey: .initialReplications)
        try c.encode(replications, forKey: .replications)
        try c.encode(maxReplications, forKey: .maxReplications)
        try c.encode(batch, forKey: .batch)
        try c.encode(met, forKey: .met)
        try c.encode(reachedMaximum, forKey: .reachedMaximum)
        try c.encode(checks, forKey: .checks)
        try c.encode(steps, forKey: .steps)
    }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        relative = try c.decode(Double.self, forKey: .relative)
        confidenceLevel = try c.decode(Double.self, forKey: .confidenceLevel)
        targets = try c.decode([String].self, forKey: .targets)
        initialReplications = try c.decode(Int.self, forKey: .initialReplications)
        replications = try c.decode(Int.self, forKey: .replications)
        maxReplications = try c.decode(Int.self, forKey: .maxReplications)
        batch = try c.decode(Int.self, forKey: .batch)
        met = try c.decode(Bool.self, forKey: .met)
        checks = try c.decode([PrecisionCheck].self, forKey: .checks)
        steps = try c.decode([Step].self, forKey: .steps)
    }
    init(plan: PrecisionPlan, initial: Int, replications: Int, checks: [PrecisionCheck], steps: [Step]) {
        relative = plan.relative; confidenceLevel = plan.level; targets = plan.targets.map(\.description)
        initialReplications = initial; self.replications = replications; maxReplications = plan.maxReplications
        batch = plan.batch; met = checks.allSatisfy(\.met); self.checks = checks; self.steps = steps
    }
}

/// Sequential replications: start with `initial` replications, then add batches of
/// `plan.batch` (run in parallel) until every target is within the precision, or the maximum.
/// Replication r always uses the streams of (seed, r), so the result equals a fixed run of
/// the final count, for any number of threads.
public enum SequentialReplications {
    /// Runs the replications. `observer` sees every replication (e.g. a trace recorder);
    /// `step` is called after each check (count so far and the checks), e.g. for progress.
    public static func run(_ config: PortConfiguration, seed: UInt64, initial: Int, plan: PrecisionPlan,
                           threads: Int? = nil, observer: ReplicationObserver? = nil,
                           step: ((Int, [PrecisionCheck]) -> Void)? = nil) throws -> (results: [ReplicationResult], outcome: PrecisionOutcome) {
        precondition(initial >= 1 && plan.batch >= 1 && plan.maxReplications >= initial)
        var results = try ReplicationRunner.run(config, seed: seed, replications: initial, first: 0,
                                                threads: threads, observer: observer)
        var steps: [PrecisionOutcome.Step] = []
        while true {
            let checks = check(config, results: results, plan: plan)
            steps.append(.init(replications: results.count, met: checks.filter(\.met).count, checks: checks.count))
            step?(results.count, checks)
            if checks.allSatisfy(\.met) || results.count >= plan.maxReplications {
                return (results, PrecisionOutcome(plan: plan, initial: initial, replications: results.count,
                                                  checks: checks, steps: steps))
            }
            let add = min(plan.batch, plan.maxReplications - results.count)
            results += try ReplicationRunner.run(config, seed: seed, replications: add, first: results.count,
                                                 threads: threads, observer: observer)
        }
    }

    /// Like `RecordedRun.run`, with sequential replications: the file holds the final set.
    public static func recorded(_ config: PortConfiguration, metadata: RunMetadata, output: ResultFileOutput, trace: Bool,
                                initial: Int, plan: PrecisionPlan, threads: Int? = nil, traceChunkRows: Int = 65_536,
                                step: ((Int, [PrecisionCheck]) -> Void)? = nil) throws -> (results: [ReplicationResult], outcome: PrecisionOutcome) {
        var outcome: PrecisionOutcome?
        let results = try RecordedRun.run(config, metadata: metadata, output: output, trace: trace,
                                          traceChunkRows: traceChunkRows) { observer in
            let done = try run(config, seed: metadata.seed, initial: initial, plan: plan, threads: threads,
                               observer: observer, step: step)
            outcome = done.outcome
            return done.results
        }
        return (results, outcome!)
    }

    /// The checks of every target over `results`: mean, sd and Student-t half-width per entity.
    /// A metric with mean 0 and sd 0 (e.g. no detections when there are no violators) is met.
    public static func check(_ config: PortConfiguration, results: [ReplicationResult], plan: PrecisionPlan) -> [PrecisionCheck] {
        let tables = RunRecordBuilder.tables(config: config, results: results, level: plan.level)
        let axes = RunRecordBuilder.entityAxes(config: config)
        var checks: [PrecisionCheck] = []
        for target in plan.targets {
            guard let table = tables.first(where: { $0.name == target.table }),
                  let m = table.metrics.firstIndex(where: { $0.name == target.metric }) else { continue }
            let labels = axes.rows(of: table)
            let width = labels.count * table.metrics.count
            for (e, label) in labels.enumerated() {
                let values = (0..<results.count).map { table.values[$0 * width + e * table.metrics.count + m] }
                let s = SampleSummary(values)
                let h = s.halfWidth(level: plan.level)
                let allFinite = values.allSatisfy(\.isFinite)
                let constantZero = allFinite && values.count > 1 && s.mean == 0 && s.standardDeviation == 0
                let goal = plan.relative * abs(s.mean)
                checks.append(PrecisionCheck(table: target.table, metric: target.metric, entity: label, mean: s.mean,
                                             sd: s.standardDeviation, halfWidth: h, target: goal,
                                             met: allFinite && (constantZero || (h.isFinite && h <= goal))))
            }
        }
        return checks
    }
}
