import BorderModel
import Foundation
import ResultsStore
import Scenarios

/// A sweep ready to run: the plan, its base scenario, its points, and the share of them this
/// process runs (`--shard i/n`). The scenario file is read once; every point's configuration is
/// made from that document and checked when the job is made, so a bad value fails before any
/// work, naming the plan line and the point. Running it takes only the configurations.
public struct SweepJob: Sendable {
    public let plan: SweepPlan
    public let base: Scenario
    public let points: DesignPoints
    public let replications: Int
    public let seed: UInt64
    public let shardIndex: Int
    public let shardCount: Int
    /// Global indices of the points of this shard: p with p mod n = i − 1.
    public let selected: [Int]
    /// The configuration of each selected point (same order as `selected`).
    public let configurations: [PortConfiguration]
    /// SHA-256 over everything that determines the results; shards of one sweep share it.
    public let hash: String

    /// `memoryLimit`: the resource budget is checked (with `threads`) twice: from the base before
    /// the points' models are made, so a plan with too many points is refused before it is built;
    /// then from every point's own model, so one point made huge by its values is refused too.
    public init(plan: SweepPlan, replications: Int? = nil, shard: (index: Int, count: Int) = (1, 1),
                memoryLimit: Double? = nil, threads: Int? = nil) throws {
        self.plan = plan
        let document = try ScenarioDocument.open(plan.scenarioPath)
        base = try document.scenario(overrides: plan.fixed)
        points = DesignPoints(plan)
        self.replications = replications ?? plan.replications ?? base.replications
        seed = plan.seed ?? base.seed
        shardIndex = shard.index
        shardCount = shard.count
        selected = Array(stride(from: shard.index - 1, to: points.count, by: shard.count))
        try ResourceBudget.check(ResourceBudget.estimate(base.config, replications: self.replications,
                                                         concurrent: threads ?? ResourceBudget.cores, trace: false,
                                                         points: selected.count),
                                 limit: memoryLimit, what: "sweep \(plan.path) (\(selected.count) points × \(self.replications) replications)")
        var configurations: [PortConfiguration] = []
        // The same problem at many points (a typo in a key path) is reported once, with a count.
        var problems: [(problem: ScenarioProblem, points: [Int])] = []
        for p in selected {
            do { configurations.append(try Self.configuration(plan, document, settings: points.settings[p])) } catch let error as ScenarioError {
                for (cause, problem) in Self.explain(error, plan: plan, point: p, settings: points.settings[p]) {
                    if let i = problems.firstIndex(where: { $0.problem.path == problem.path && $0.problem.message.hasSuffix(cause) }) {
                        problems[i].points.append(p)
                    } else if problems.count < 20 {
                        problems.append((problem, [p]))
                    }
                }
            }
        }
        if !problems.isEmpty {
            throw ScenarioError(problems: problems.map { p in
                var problem = p.problem
                let others = p.points.dropFirst()
                if !others.isEmpty {
                    let list = others.prefix(10).map(String.init).joined(separator: ", ") + (others.count > 10 ? ", …" : "")
                    problem.message += " (the same at \(others.count) more point(s): \(list))"
                }
                return problem
            })
        }
        self.configurations = configurations
        let settings = points.settings
        let labelled = zip(selected, configurations).map { p, config in
            (label: "point \(p) (" + zip(plan.parameters, settings[p]).map { "\($0.path)=\($1)" }.joined(separator: ", ") + ")", config: config)
        }
        try ResourceBudget.check(ResourceBudget.estimate(points: labelled, replications: self.replications,
                                                         concurrent: threads ?? ResourceBudget.cores),
                                 limit: memoryLimit, what: "sweep \(plan.path) (\(selected.count) points × \(self.replications) replications)")

        var canonical = "bordersim sweep v1\nplan:\n\(plan.text)\nscenario:\n\(base.sourceText)\n"
        canonical += "fixed: \(plan.fixed)\nseed: \(seed)\nreplications: \(self.replications)\n"
        for row in points.settings { canonical += row.joined(separator: "\u{1f}") + "\n" }
        hash = SHA256.hex(canonical)
    }

    /// The configuration of one point: the base, the plan's fixed settings, the point's values.
    public static func configuration(_ plan: SweepPlan, _ document: ScenarioDocument, settings: [String]) throws -> PortConfiguration {
        let overrides = plan.fixed + zip(plan.parameters, settings).map { "\($0.path)=\($1)" }
        return try document.scenario(overrides: overrides).config
    }

    /// A point's scenario problems, placed at the plan line of the parameter they concern,
    /// each with its cause (the scenario's own message) for grouping.
    static func explain(_ error: ScenarioError, plan: SweepPlan, point: Int, settings: [String]) -> [(String, ScenarioProblem)] {
        let values = zip(plan.parameters, settings).map { "\($0.path)=\($1)" }.joined(separator: ", ")
        return error.problems.filter { $0.severity == .error }.map { problem in
            let parameter = plan.parameters.first { problem.path.contains($0.path) } ?? plan.parameters[0]
            // A problem that names the point's own value is specific to it; otherwise it is shared.
            let cause = problem.description
            return (cause, ScenarioProblem(file: plan.path, line: parameter.line, column: parameter.column,
                                           path: "parameters.\(parameter.path)",
                                           message: "at point \(point) (\(values)) the scenario is not valid: \(cause)",
                                           severity: .error))
        }
    }

    /// Root attributes for the result file.
    public func metadata(toolVersion: String, created: String, commandLine: String, confidenceLevel: Double = 0.95) -> SweepMetadata {
        let run = RunMetadata(toolVersion: toolVersion, created: created, seed: seed, replications: replications,
                              horizonSeconds: base.config.horizon, warmUpSeconds: base.config.warmUp,
                              confidenceLevel: confidenceLevel, scenarioName: base.name, scenarioPath: plan.scenarioPath,
                              scenarioText: base.resolvedText, commandLine: commandLine)
        return SweepMetadata(run: run, planName: plan.name, planPath: plan.path, planText: plan.text, planHash: hash,
                             design: plan.design.description, parameters: plan.parameters.map(\.path),
                             pointsTotal: points.count, shardIndex: shardIndex, shardCount: shardCount)
    }
}
