import Foundation
import Scenarios

/// Everything a replay needs, loaded once: the scenario file (parsed once: every trial of a
/// calibration is made from the document in memory), the observed period and the baselines'
/// fit data. `report(overrides:)` replays the scenario with `--set` style overrides (what
/// calibration varies) on the same replications.
public struct ReplayRun: Sendable {
    public var scenarioPath: String
    public var document: ScenarioDocument
    public var baseOverrides: [String]
    public var scenario: Scenario
    public var period: ObservedPeriod
    public var baselines: Baselines
    public var baselineFit: String
    public var replications: Int
    public var seed: UInt64
    public var threads: Int?

    public init(scenarioPath: String, overrides: [String] = [], observed: [String], fitData: [String] = [],
                replications: Int? = nil, seed: UInt64? = nil, threads: Int? = nil) throws {
        self.scenarioPath = scenarioPath; baseOverrides = overrides
        document = try ScenarioDocument.open(scenarioPath)
        scenario = try document.scenario(overrides: overrides)
        guard let spec = scenario.observed else {
            throw ReplayModel.Failure(description: "\(scenarioPath): the scenario has no observed: block; add one (see scenarios/README.md, \"Observed data\") to replay observed files")
        }
        period = try ObservedPeriod.load(observed, spec: spec)
        if fitData.isEmpty {
            baselines = try Baselines.fit(Baselines.Inputs(period))
            baselineFit = "the replayed period itself (in-sample; give --fit-data FILE for out-of-sample baselines)"
        } else {
            let fit = try ObservedPeriod.load(fitData, spec: spec)
            baselines = try Baselines.fit(Baselines.Inputs(fit))
            baselineFit = fit.files.map(\.name).joined(separator: " + ") + " (\(fit.firstDate) … \(fit.lastDate))"
        }
        self.replications = replications ?? scenario.replications
        self.seed = seed ?? scenario.seed
        self.threads = threads
    }

    public func report(overrides extra: [String] = [], progress: (@Sendable (Int) -> Void)? = nil) throws -> ReplayReport {
        let s = extra.isEmpty ? scenario : try document.scenario(overrides: baseOverrides + extra)
        guard let spec = s.observed else { throw ReplayModel.Failure(description: "\(scenarioPath): the observed: block was removed by an override") }
        let config = try ReplayModel.configuration(s, period: period)
        let prediction = try Replay.predict(config, spec: spec, seed: seed, replications: replications,
                                            threads: threads, progress: progress)
        return ReplayReport(scenario: s.name, period: period, spec: spec, prediction: prediction,
                            baselines: baselines, baselineFit: baselineFit)
    }
}
