import BorderModel
import Experiments
import Foundation
import Scenarios
import SimKernel

/// The scenario a class is working on, and the runs the page asks for. The scenario's text is
/// read once at start; every request re-reads that text with its overrides (validated like the
/// file) and runs the replications with the scenario's seed: common random numbers, the same
/// travellers under each policy.
public final class Lab: Sendable {
    /// As given on the command line (shown in the equivalent command).
    public let path: String
    let text: Data
    let directory: URL
    let base: Scenario
    let facts: ScenarioFacts
    let pool: WorkerPool
    /// `--set` overrides given to `bordersim serve`, applied before each request's own.
    let baseOverrides: [String]

    /// `workers`: simulations at once for all requests together (default: the cores).
    public init(path: String, overrides: [String] = [], workers: Int? = nil, maxQueuedRequests: Int = 64) throws {
        self.path = path
        baseOverrides = overrides
        base = try ScenarioLoader.load(path: path, overrides: overrides)
        guard let data = FileManager.default.contents(atPath: path) else { throw BadRequest("\(path): could not read the file") }
        text = data
        directory = URL(fileURLWithPath: path).absoluteURL.standardizedFileURL.deletingLastPathComponent()
        facts = ScenarioFacts(base)
        pool = WorkerPool(width: workers ?? ProcessInfo.processInfo.activeProcessorCount, maxJobs: maxQueuedRequests)
    }

    /// The scenario with the page's settings; a setting the reader refuses is a bad request.
    func scenario(_ settings: RunSettings) throws -> (Scenario, [String]) {
        let overrides = baseOverrides + settings.overrides(facts)
        do {
            return (try ScenarioLoader.parse(data: text, file: path, directory: directory, overrides: overrides), overrides)
        } catch let error as ScenarioError {
            throw BadRequest(error.description)
        }
    }

    /// `bordersim run` with the same overrides: what a trainer can type to get the same numbers.
    func command(_ overrides: [String]) -> String {
        (["bordersim", "run", quoted(path)] + overrides.flatMap { ["--set", quoted($0)] } + ["--json"]).joined(separator: " ")
    }

    /// The scenario's replications under `settings`, on the pool.
    func replications(_ scenario: Scenario, token: CancelToken) async throws -> [ReplicationResult] {
        let config = scenario.config, seed = scenario.seed
        do { _ = try PortSimulation(config: config, seed: seed, replication: 0) } catch {
            throw BadRequest("the model with these settings is not valid: \(error)")
        }
        return try await pool.run(count: scenario.replications, token: token) { r in
            // swiftlint:disable:next force_try
            try! PortSimulation(config: config, seed: seed, replication: r).run()
        }
    }

    func run(_ settings: RunSettings, token: CancelToken) async throws -> RunResponse {
        let start = Date()
        let (scenario, overrides) = try scenario(settings)
        let results = try await replications(scenario, token: token)
        let summary = RunSummary(scenario: scenario.name, config: scenario.config, seed: scenario.seed, results: results)
        return RunResponse(settings: overrides, command: command(overrides),
                           warnings: scenario.warnings.map(\.message), summary: summary,
                           hourly: HourlyWaits(config: scenario.config, results: results),
                           roc: ROCCurve(config: scenario.config),
                           elapsedMilliseconds: Date().timeIntervalSince(start) * 1000)
    }
}

/// `/api/run`'s answer. `summary` is exactly what `bordersim run --json` prints for `settings`.
struct RunResponse: Encodable {
    var settings: [String]
    var command: String
    /// The reader's warnings on the scenario with these settings (e.g. secondary overloaded).
    var warnings: [String]
    var summary: RunSummary
    var hourly: HourlyWaits
    var roc: ROCCurve
    var elapsedMilliseconds: Double
    enum CodingKeys: String, CodingKey { case settings, command, warnings, summary, hourly, roc, elapsedMilliseconds = "elapsed_ms" }
}

/// Mean primary wait by hour and lane (minutes), mean and 95 % CI across the replications;
/// an hour in which nobody joined a lane is undefined (null), not 0.
struct HourlyWaits: Encodable {
    struct Lane: Encodable { var name: String; var meanWaitMinutes: [RunSummary.Estimate]
        enum CodingKeys: String, CodingKey { case name, meanWaitMinutes = "mean_wait_min" } }
    var binHours: Double
    var lanes: [Lane]
    enum CodingKeys: String, CodingKey { case binHours = "bin_h", lanes }

    init(config: PortConfiguration, results: [ReplicationResult]) {
        let laneCount = config.lanes.count
        let bins = results.first?.series.bins ?? 0
        binHours = (results.first?.series.binSeconds ?? 3600) / 3600
        lanes = config.lanes.indices.map { l in
            Lane(name: config.lanes[l].name, meanWaitMinutes: (0..<bins).map { b in
                RunSummary.Estimate(results.map { $0.series.meanWait[b * laneCount + l] / 60 }, level: 0.95)
            })
        }
    }
}

/// The binormal ROC curve of the current intelligence quality (innocent scores N(0, 1),
/// violators N(d′, 1), AUC = Φ(d′/√2)), and where the referral rule puts the port on it.
struct ROCCurve: Encodable {
    struct Point: Encodable { var fpr: Double; var tpr: Double }
    struct Curve: Encodable { var label: String; var auc: Double; var points: [Point] }
    var curves: [Curve]
    /// Innocents referred (false-positive rate) and violators referred (true-positive rate) by the
    /// rule, before secondary's own sensitivity; nil for rules without a fixed threshold.
    var operatingPoint: Point?
    enum CodingKeys: String, CodingKey { case curves, operatingPoint = "operating_point" }

    init(config: PortConfiguration) {
        let c = config.classes.first
        let auc = c?.risk.auc ?? 0.75
        func dPrime(_ a: Double) -> Double { 2.0.squareRoot() * StandardNormal.quantile(a) }
        func curve(_ label: String, _ a: Double) -> Curve {
            let d = dPrime(a)
            let ts = stride(from: 5.0, through: -5.0, by: -0.1).map { $0 }
            return Curve(label: label, auc: a, points: [Point(fpr: 0, tpr: 0)]
                + ts.map { Point(fpr: StandardNormal.survival($0), tpr: StandardNormal.survival($0 - d)) } + [Point(fpr: 1, tpr: 1)])
        }
        curves = [curve("intelligence (AUC \(auc))", auc)]
        let share = c?.advanceInfoShare ?? 0
        let withInfo = c?.risk.aucWithAdvanceInfo
        if let withInfo, share > 0 { curves.append(curve("with advance information (AUC \(withInfo))", withInfo)) }
        switch config.targeting.rule {
        case .threshold(let t, let r):
            // Everyone's innocent score is N(0, 1); violators with advance information score higher.
            let fpr = StandardNormal.survival(t)
            var tpr = StandardNormal.survival(t - dPrime(auc))
            if let withInfo, share > 0 { tpr = (1 - share) * tpr + share * StandardNormal.survival(t - dPrime(withInfo)) }
            operatingPoint = Point(fpr: fpr + (1 - fpr) * r, tpr: tpr + (1 - tpr) * r)
        case .all: operatingPoint = Point(fpr: 1, tpr: 1)
        case .random(let r): operatingPoint = Point(fpr: r, tpr: r)
        case .none: operatingPoint = Point(fpr: 0, tpr: 0)
        default: operatingPoint = nil
        }
    }
}

/// A word as a POSIX shell needs it.
func quoted(_ word: String) -> String {
    let safe = !word.isEmpty && word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,+@%".contains($0) }
    return safe ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
