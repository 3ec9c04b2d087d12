import ArgumentParser
import Foundation
import Planning
import ResultsStore
import Scenarios

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay observed hourly data through a scenario and score the predicted waits against it.",
        discussion: """
        The scenario's observed: block says which columns of the file are the date, the hour, the \
        inputs (passengers, flights, booths) and the outputs (mean wait, wait buckets); see \
        scenarios/README.md, "Observed data". The CBP Airport Wait Times CSV works as downloaded \
        (dates 1/31/2018 or 2019-01-31). Several --observed files are joined in time order into one \
        continuous period: the model runs without a break, so queues carry over between hours and \
        days. Hours absent from the files get no arrivals and the scenario's booth schedule, and are \
        not scored; blank cells are missing, never 0.

        A predicted hour is the mean wait of the parties who started service in it (CBP counts \
        passengers when processed), averaged over the replications that served somebody in it, with \
        a 95% Student-t CI over those replications; an hour nobody was served in is missing (empty \
        in CSV, NaN in HDF5, null in JSON, "—" in text). Scores (MAE, RMSE, bias = predicted − \
        observed, Pearson, Spearman) are over the hours where both sides are defined. Baselines are \
        fitted on --fit-data (the calibration data) only: the fit median, least squares on \
        passengers per booth-hour, and pointwise-stationary Erlang C with a fitted service time and offset.
        """
    )

    @Argument(help: "Scenario file (YAML) with an observed: block.") var file: String
    @Option(help: "Observed hourly CSV (repeatable; joined in time order).") var observed: [String] = []
    @Option(help: "Fit the baselines on this data (repeatable); default: the replayed period itself (in-sample).")
    var fitData: [String] = []
    @Option(help: "Replications (default: the scenario's).") var replications: Int?
    @Option(help: "Master seed (default: the scenario's).") var seed: UInt64?
    @Option(help: "Worker threads (default: all cores).") var threads: Int?
    @Option(name: .customLong("set"), help: "Override a value: key.path=value (repeatable).") var overrides: [String] = []
    @Option(help: "Write one row per observed hour to this file: .csv or .h5.") var out: String?
    @Flag(help: "Replace the --out file if it exists.") var force = false
    @Flag(help: "Print scores and baselines as JSON on stdout.") var json = false

    func validate() throws {
        if observed.isEmpty { throw ValidationError("give at least one --observed FILE.csv") }
        if let r = replications, r < 1 { throw ValidationError("--replications must be at least 1") }
        if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1") }
        if let o = out, !(o.hasSuffix(".csv") || o.hasSuffix(".h5")) {
            throw ValidationError("--out must end in .csv or .h5, found '\(o)'")
        }
    }

    func run() throws {
        let output = try out.map { try ResultFileOutput(target: $0, force: force, inputs: [file] + observed + fitData) }
        let setup = try PlanningCLI.load { try ReplayRun(scenarioPath: file, overrides: overrides, observed: observed, fitData: fitData,
                                                         replications: replications, seed: seed, threads: threads) }
        let report = try setup.report()
        if let output {
            let attributes = [("tool_version", BorderSim.version), ("created", ISO8601DateFormatter().string(from: Date())),
                              ("scenario_path", file), ("scenario_text", setup.scenario.resolvedText),
                              ("seed", String(setup.seed)), ("replications", String(setup.replications)),
                              ("observed_files", setup.period.files.map { "\($0.name) sha256:\($0.sha256)" }.joined(separator: "; ")),
                              ("command_line", CommandLine.arguments.map(shellQuoted).joined(separator: " "))]
            if output.target.hasSuffix(".h5") {
                try output.write { try report.writeHDF5(into: $0, attributes: attributes) }
            } else {
                try PlanningCLI.writeAtomically(report.csv(), to: output)
            }
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: report.json(), options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(report.text(), terminator: "")
            if let out { print("\nper-hour predictions written to \(out)") }
        }
    }
}

/// Shared by replay and calibrate: error reporting and safe text output.
enum PlanningCLI {
    static func load<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as ScenarioError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8)); throw ExitCode(2)
        } catch let error as ObservedPeriod.Failure {
            FileHandle.standardError.write(Data(("error: " + error.description + "\n").utf8)); throw ExitCode(2)
        } catch {
            FileHandle.standardError.write(Data(("error: \(error)\n").utf8)); throw ExitCode(2)
        }
    }

    /// Into a temporary file created exclusively (O_EXCL), then renamed with rename(2): an
    /// interrupted or failed write leaves the target as it was.
    static func writeAtomically(_ text: String, to output: ResultFileOutput) throws {
        try output.write(data: Data(text.utf8))
    }
}
