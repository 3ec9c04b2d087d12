import ArgumentParser
import Experiments
import Foundation
import ResultsStore

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the shard files of one sweep (from `sweep --shard i/n`) into one sweep file.",
        discussion: """
        Checks that every shard comes from the same plan (plan hash: plan, scenario, seed, \
        replications), that they share one layout, and that together they hold every point \
        exactly once; otherwise names what is missing or duplicated and writes nothing. The \
        merged file equals the file of the same sweep run in one piece.
        """
    )

    @Argument(help: "Shard files.", completion: resultFiles) var shards: [String]
    @Option(name: [.customShort("o"), .customLong("out")], help: ArgumentHelp("Merged result file.", valueName: "file.h5"),
            completion: resultFiles)
    var out: String
    @Flag(help: "Replace the merged file if it exists.") var force = false

    func run() throws {
        let output = try ResultFileOutput(target: out, force: force, inputs: shards)
        var records: [(path: String, record: SweepRecord)] = []
        do {
            for path in shards {
                try ResultFileProbe.check(path)
                records.append((path, try SweepFileReader.read(path)))
            }
            let merged = try SweepMerge.merge(records) { m in
                var m = m
                m.run.created = ISO8601DateFormatter().string(from: Date())
                m.run.commandLine = CommandLine.arguments.map(shellQuoted).joined(separator: " ")
                return m
            }
            try output.write { try SweepFileWriter.write(merged, to: $0) }
            print("merged \(shards.count) shard(s), \(merged.points.count) points → \(out)")
        } catch let error as ResultFileError {
            FileHandle.standardError.write(Data("bordersim merge: \(error)\n".utf8))
            throw ExitCode(2)
        } catch let error as SweepMerge.Problem {
            FileHandle.standardError.write(Data("bordersim merge: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
