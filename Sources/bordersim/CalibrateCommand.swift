import ArgumentParser
import Foundation
import Planning
import ResultsStore
import Scenarios

struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Fit scenario parameters to observed hourly data (replay + GSL Nelder–Mead on common random numbers).",
        discussion: """
        Each --fit key.path=LOW..HIGH names a scenario value and its search range, with the unit \
        it is written in (e.g. lanes.booths.service.passenger.lognormal.mean=40s..80s). Every trial \
        point replays the --observed data on the same replications (the same seed): common random \
        numbers, so the objective (mae or rmse of hourly mean waits, or buckets: squared error of \
        the wait-bucket shares) is smooth in the parameters. The optimiser is GSL's \
        gsl_multimin_fminimizer_nmsimplex2 from the middle of the ranges, stopped after --budget \
        evaluations or when the simplex is smaller than 0.1 % of the ranges.

        The output scenario is the input with the fitted values set, under a comment header that \
        records the fit data (names, SHA-256), period, objective, fitted values, objective at the \
        optimum and evaluations; result files made from it carry that text. It is written only \
        when the fit ends (via a .partial file): Ctrl-C leaves no damaged output.
        """
    )

    @Argument(help: "Scenario file (YAML) with an observed: block.") var file: String
    @Option(help: "Observed hourly CSV to fit on (repeatable).") var observed: [String] = []
    @Option(help: "key.path=LOW..HIGH to fit (repeatable).") var fit: [String] = []
    @Option(help: "mae, rmse or buckets (default mae).") var objective: String = "mae"
    @Option(help: "Most objective evaluations (default 60).") var budget: Int = 60
    @Option(help: "Replications per evaluation (default: the scenario's).") var replications: Int?
    @Option(help: "Master seed (default: the scenario's).") var seed: UInt64?
    @Option(help: "Worker threads (default: all cores).") var threads: Int?
    @Option(name: .customLong("set"), help: "Override a value: key.path=value (repeatable).") var overrides: [String] = []
    @Option(name: .shortAndLong, help: "Write the calibrated scenario here.") var output: String
    @Flag(help: "Replace the output file if it exists.") var force = false
    @Flag(help: "Print the fit as JSON on stdout.") var json = false

    func validate() throws {
        if observed.isEmpty { throw ValidationError("give at least one --observed FILE.csv to fit on") }
        if fit.isEmpty { throw ValidationError("give at least one --fit key.path=LOW..HIGH") }
        if CalibrationObjective(rawValue: objective) == nil { throw ValidationError("--objective must be mae, rmse or buckets, found '\(objective)'") }
        if budget < 2 { throw ValidationError("--budget must be at least 2") }
        if let r = replications, r < 1 { throw ValidationError("--replications must be at least 1") }
        for f in fit { do { _ = try FitParameter(parsing: f) } catch { throw ValidationError("\(error)") } }
    }

    func run() throws {
        let out = try ResultFileOutput(target: output, force: force, inputs: [file] + observed)
        let params = try fit.map(FitParameter.init(parsing:))
        let setup = try PlanningCLI.load { try ReplayRun(scenarioPath: file, overrides: overrides, observed: observed,
                                                         replications: replications, seed: seed, threads: threads) }
        // A bad key path or value fails here, before the search starts.
        _ = try PlanningCLI.load { try ScenarioLoader.load(path: file, overrides: overrides + params.map { $0.setting($0.low) }) }
        let goal = CalibrationObjective(rawValue: objective)!
        let calibration = Calibration(parameters: params, objective: goal, budget: budget) { x in
            try setup.report(overrides: zip(params, x).map { $0.setting($1) })
        }
        let tty = isatty(STDERR_FILENO) == 1
        let result = try PlanningCLI.load {
            try calibration.run { step in
                let values = zip(params, step.values).map { "\($0.keyPath)=\(String(format: "%.4g", $1))\($0.unit)" }.joined(separator: " ")
                let line = String(format: "[%d/%d] %@  %@ %.4f (best %.4f)", step.evaluation, budget, values, objective, step.objective, step.best)
                FileHandle.standardError.write(Data(((tty ? "\r\u{1b}[K" : "") + line + (tty ? "" : "\n")).utf8))
            }
        }
        if tty { FileHandle.standardError.write(Data("\n".utf8)) }
        let fitted = zip(params, result.values).map { $0.setting($1) }
        let calibrated = try ScenarioLoader.load(path: file, overrides: overrides + fitted)
        var header = "# Calibrated by `bordersim calibrate` (bordersim \(BorderSim.version), \(ISO8601DateFormatter().string(from: Date())))\n"
        header += "#   from: \(file)\n"
        for f in setup.period.files { header += "#   fit data: \(f.name) sha256:\(f.sha256)\n" }
        header += "#   period: \(setup.period.firstDate) … \(setup.period.lastDate) (\(setup.period.count) hours)\n"
        header += "#   objective: \(objective) = \(String(format: "%.4f", result.objective)) at the optimum; \(result.evaluations) evaluations"
        header += result.converged ? " (converged)\n" : " (budget reached)\n"
        header += "#   replications \(setup.replications), seed \(setup.seed) (common random numbers)\n"
        for s in fitted { header += "#   fitted: \(s)\n" }
        try PlanningCLI.writeAtomically(header + calibrated.resolvedText, to: out)
        if json {
            let j: [String: Any] = ["objective": objective, "value": result.objective, "evaluations": result.evaluations,
                                    "converged": result.converged, "fitted": Dictionary(uniqueKeysWithValues: zip(params.map(\.keyPath), result.values)),
                                    "output": output]
            print(String(decoding: try JSONSerialization.data(withJSONObject: j, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self))
        } else {
            print("\(objective) \(String(format: "%.4f", result.objective)) after \(result.evaluations) evaluations\(result.converged ? " (converged)" : " (budget reached)")")
            for s in fitted { print("  \(s)") }
            print("calibrated scenario written to \(output)")
        }
    }
}
