import ArgumentParser
import BorderModel
import Experiments
import Foundation
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
    @Option(help: "Write the results to an HDF5 file (results/NAME.h5).") var out: String?

    func validate() throws {
        if let r = replications, r < 1 { throw ValidationError("--replications must be at least 1") }
        if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        if out != nil {
            throw CLIError("writing HDF5 results (--out) is not available yet: it arrives with the results store")
        }
        let scenario: Scenario
        do { scenario = try ScenarioLoader.load(path: file, overrides: overrides) } catch let error as ScenarioError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(2)
        }
        for w in scenario.warnings { FileHandle.standardError.write(Data((w.description + "\n").utf8)) }
        let reps = replications ?? scenario.replications
        let masterSeed = seed ?? scenario.seed
        let start = Date()
        let results = try ReplicationRunner.run(scenario.config, seed: masterSeed, replications: reps, threads: threads)
        let elapsed = Date().timeIntervalSince(start)
        let summary = RunSummary(scenario: scenario.name, config: scenario.config, seed: masterSeed, results: results)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(data: try encoder.encode(summary), encoding: .utf8)!)
        } else {
            print(SummaryText.render(summary, elapsed: elapsed, parties: results.reduce(0) { $0 + $1.partiesArrived }))
        }
    }
}

struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}
