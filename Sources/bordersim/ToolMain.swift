import ArgumentParser
import Foundation
import ResultsStore
import Scenarios

/// How the tool is started and named: a misspelt command gets a suggestion, an unknown option
/// the closest option of its command, and hints print the command the way it was run.
extension BorderSim {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let names = configuration.subcommands.map { $0._commandName }
        if let first = arguments.first, !first.hasPrefix("-"), !names.contains(first), first != "help" {
            let hint = Tool.closest(first, among: names).map { "; did you mean '\($0)'?" } ?? ""
            FileHandle.standardError.write(Data("Error: unknown command '\(first)'\(hint)\n(commands: \(names.joined(separator: ", ")); see `\(Tool.invocation) --help`)\n".utf8))
            Foundation.exit(64)
        }
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            // Unknown options: name the closest one of the command (e.g. --hlep → --help).
            let message = fullMessage(for: error)
            if let range = message.range(of: #"Unknown option '--?[A-Za-z0-9-]+'"#, options: .regularExpression) {
                let option = message[range].split(separator: "'")[1]
                let command = names.first { arguments.first == $0 }
                let type = configuration.subcommands.first { $0._commandName == command } ?? BorderSim.self
                let known = Tool.options(in: type.helpMessage()) + ["--help"]
                if let near = Tool.closest(String(option), among: known) {
                    FileHandle.standardError.write(Data("Error: unknown option '\(option)'; did you mean '\(near)'?\n".utf8))
                    FileHandle.standardError.write(Data("See `\(Tool.invocation)\(command.map { " " + $0 } ?? "") --help`.\n".utf8))
                    Foundation.exit(64)
                }
            }
            // A result file refused or unreadable (an output onto an input, a damaged file): bad input, status 2.
            if let refusal = error as? ResultFileError {
                FileHandle.standardError.write(Data("Error: \(refusal)\n".utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

enum Tool {
    /// The command as the user can type it again: `bordersim` when that is on the PATH (and is
    /// this program), else the path it was started by (e.g. `.build/release/bordersim`).
    static var invocation: String {
        let argv0 = CommandLine.arguments[0]
        let me = URL(fileURLWithPath: Bundle.main.executablePath ?? argv0).resolvingSymlinksInPath().path
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent("bordersim")
            if FileManager.default.isExecutableFile(atPath: candidate.path), candidate.resolvingSymlinksInPath().path == me {
                return "bordersim"
            }
        }
        return argv0.contains("/") ? shellQuoted(argv0) : shellQuoted(me)
    }

    /// Prints a scenario's problems on stderr, with the commands they suggest as the user can run them.
    static func report(_ error: ScenarioError) {
        let text = error.description.replacingOccurrences(of: "`bordersim ", with: "`\(invocation) ")
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// `BORDERSIM_MAX_REPLICATIONS=N` caps every replication count (for quick checks of the
    /// documented commands; never set in normal use).
    static func capped(_ replications: Int, minimum: Int = 1) -> Int {
        guard let text = ProcessInfo.processInfo.environment["BORDERSIM_MAX_REPLICATIONS"], let cap = Int(text), cap >= 1 else {
            return replications
        }
        return max(min(replications, cap), min(minimum, replications))
    }

    static func options(in help: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: #"--[a-z][a-z0-9-]*"#) else { return [] }
        let ns = help as NSString
        return Array(Set(regex.matches(in: help, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range) }))
    }

    static func closest(_ word: String, among candidates: [String]) -> String? { suggestion(for: word, among: candidates) }
}
