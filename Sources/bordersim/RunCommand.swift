import ArgumentParser
import BorderModel
import Experiments
import Foundation
import ResultsStore
import Scenarios

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a scenario's replications in parallel and summarise waits and security outcomes.",
        discussion: """
        Results are identical for any --threads. The summary gives means with 95% confidence \
        intervals (Student t across replications). Waits are in minutes.
        """
    )

    @Argument(help: "Scenario file (YAML).") var file: String
    @Option(help: "Replications (default: the scenario's).") var replications: Int?
    @Option(help: "Master seed (default: the scenario's).") var seed: UInt64?
    @Option(help: "Worker threads (default: all cores).") var threads: Int?
    @Option(name: .customLong("set"), help: "Override a value: key.path=value (repeatable), validated like the file.")
    var overrides: [String] = []
    @Flag(help: "Print the summary as JSON on stdout.") var json = false
    @Option(help: "Write the results to this HDF5 file (e.g. results/NAME.h5); see results/README.md.")
    var out: String?
    @Flag(help: "Replace the --out file if it exists.") var force = false
    @Flag(help: "Write the per-party trace with the results (as metrics.trace: true does).") var trace = false

    func validate() throws {
        if let r = replications, r < 1 { throw ValidationError("--replications must be at least 1") }
        if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        if trace && out == nil { throw ValidationError("--trace needs --out: the trace is written into the result file") }
        let scenario: Scenario
        do { scenario = try ScenarioLoader.load(path: file, overrides: overrides) } catch let error as ScenarioError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(2)
        }
        for w in scenario.warnings { FileHandle.standardError.write(Data((w.description + "\n").utf8)) }
        let reps = replications ?? scenario.replications
        let masterSeed = seed ?? scenario.seed
        // Refuse a bad --out before the run, not after it.
        let output = try out.map { try ResultFileOutput(target: $0, force: force) }

        let start = Date()
        var results: [ReplicationResult] = []
        if let output {
            let metadata = RunMetadata(
                toolVersion: BorderSim.version, created: ISO8601DateFormatter().string(from: Date()), seed: masterSeed,
                replications: reps, horizonSeconds: scenario.config.horizon, warmUpSeconds: scenario.config.warmUp,
                confidenceLevel: 0.95, scenarioName: scenario.name, scenarioPath: file, scenarioText: scenario.resolvedText,
                commandLine: CommandLine.arguments.map(shellQuoted).joined(separator: " "))
            results = try RecordedRun.run(scenario.config, metadata: metadata, output: output,
                                          trace: trace || scenario.trace, threads: threads)
        } else {
            results = try ReplicationRunner.run(scenario.config, seed: masterSeed, replications: reps, threads: threads)
        }
        let elapsed = Date().timeIntervalSince(start)
        let summary = RunSummary(scenario: scenario.name, config: scenario.config, seed: masterSeed, results: results)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(data: try encoder.encode(summary), encoding: .utf8)!)
        } else {
            print(SummaryText.render(summary, elapsed: elapsed, parties: results.reduce(0) { $0 + $1.partiesArrived }))
        }
        if let output {
            let size = (try? FileManager.default.attributesOfItem(atPath: output.target)[.size] as? Int) ?? 0
            let note = "results written to \(output.target) (\(size / 1024) KiB); read them with `bordersim inspect \(output.target)`\n"
            // Keep stdout pure JSON under --json.
            if json { FileHandle.standardError.write(Data(note.utf8)) } else { print(note, terminator: "") }
        }
    }
}

/// An argument as a POSIX shell would need it, to record a command line that can be re-run.
func shellQuoted(_ word: String) -> String {
    let safe = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,+@%".contains($0) }
    return safe && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}
