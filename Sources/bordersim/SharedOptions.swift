import ArgumentParser
import BorderModel
import Experiments
import Foundation

/// Options that several commands share, declared once.

/// How many replications, from which seed, on how many threads.
struct ReplicationOptions: ParsableArguments {
    @Option(help: "Replications (default: the scenario's).") var replications: Int?
    @Option(help: "Master seed (default: the scenario's).") var seed: UInt64?
    @Option(help: "Worker threads (default: all cores); results are identical for any number.") var threads: Int?

    func validate() throws {
        if let r = replications, r < 1 { throw ValidationError("--replications must be at least 1") }
        if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1") }
    }
}

/// `--set key.path=value`: a YAML value replacing one in the scenario, validated like the file.
struct OverrideOptions: ParsableArguments {
    @Option(name: .customLong("set"),
            help: ArgumentHelp("Replace a value: key.path=value, the value in YAML (30, 8 min, [4, 4, 6], {default: 2}); repeatable.",
                               valueName: "key.path=value"))
    var overrides: [String] = []
}

/// Where results go, and whether an existing file may be replaced.
struct OutputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Write the results to this HDF5 file (e.g. results/NAME.h5); see results/README.md.", valueName: "file.h5"),
            completion: .file(extensions: ["h5"]))
    var out: String?
    @Flag(help: "Replace the --out file if it exists.") var force = false

    /// HDF5 is written whatever the name: a name that says otherwise is worth a word.
    func warnAboutExtension() {
        guard let out, !out.hasSuffix(".h5"), !out.hasSuffix(".hdf5") else { return }
        FileHandle.standardError.write(Data("warning: --out \(out): the file is HDF5 whatever its name; name it .h5 so tools recognise it\n".utf8))
    }
}

/// `--memory-limit`: the resource budget a run is checked against before it starts.
struct BudgetOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Refuse runs estimated to need more memory than this: 4G, 512M, 60% (default: half the physical memory, or of the address-space limit).",
                               valueName: "size"))
    var memoryLimit: String?

    func validate() throws {
        if let m = memoryLimit, ResourceBudget.parseLimit(m) == nil {
            throw ValidationError("--memory-limit '\(m)': expected a size such as 4G, 512M, 2GB or 60% (of the physical memory)")
        }
    }

    var limit: Double? { memoryLimit.flatMap(ResourceBudget.parseLimit) }

    /// Checks the estimate of a run before anything is written; a refusal is exit status 2.
    func check(_ config: PortConfiguration, replications: Int, threads: Int?, trace: Bool, command: String, what: String) throws {
        let estimate = ResourceBudget.estimate(config, replications: replications, concurrent: threads ?? ResourceBudget.cores,
                                               trace: trace)
        do { try ResourceBudget.check(estimate, limit: limit, what: what) } catch let error as BudgetError {
            FileHandle.standardError.write(Data("bordersim \(command): \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}

/// `--shard i/n`: shard i (1-based) of n.
struct Shard: ExpressibleByArgument, Equatable {
    var index: Int
    var count: Int
    init(index: Int, count: Int) { self.index = index; self.count = count }
    init?(argument: String) {
        let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(i) else { return nil }
        (index, count) = (i, n)
    }
    var defaultValueDescription: String { "\(index)/\(count)" }
    static var defaultCompletionKind: CompletionKind { .default }
}

/// A Slurm time limit: Slurm's own forms (`30`, `30:00`, `2:00:00`, `1-00:00:00`, `1-12`,
/// `UNLIMITED`) or one of the tool's durations (`2h`, `90 min`, `1d`), converted to Slurm's form.
struct SlurmTime: ExpressibleByArgument, Equatable {
    var slurm: String
    init?(argument: String) {
        guard !argument.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }), argument.count <= 40 else { return nil }
        let t = argument.trimmingCharacters(in: .whitespaces)
        if ["UNLIMITED", "INFINITE"].contains(t.uppercased()) { slurm = t.uppercased(); return }
        if Self.isSlurmForm(t) { slurm = t; return }
        // The tool's durations: a number with a unit (a bare number is Slurm's minutes, above).
        let units: [String: Double] = ["s": 1, "sec": 1, "min": 60, "m": 60, "h": 3600, "hr": 3600, "hours": 3600,
                                       "hour": 3600, "d": 86_400, "day": 86_400, "days": 86_400, "minutes": 60]
        guard let range = t.range(of: #"^[0-9]+(\.[0-9]+)?"#, options: .regularExpression), let value = Double(t[range]),
              let unit = units[t[range.upperBound...].trimmingCharacters(in: .whitespaces).lowercased()] else { return nil }
        // At most a year: Slurm's limits are far below, and the product must fit an Int.
        let total = (value * unit).rounded(.up)
        guard total > 0, total <= 366 * 86_400 else { return nil }
        let seconds = Int(total)
        let d = seconds / 86_400, h = seconds % 86_400 / 3600, m = seconds % 3600 / 60, s = seconds % 60
        slurm = (d > 0 ? "\(d)-" : "") + String(format: "%02d:%02d:%02d", h, m, s)
    }

    /// minutes, minutes:seconds, hours:minutes:seconds, days-hours, days-hours:minutes, days-hours:minutes:seconds.
    static func isSlurmForm(_ t: String) -> Bool {
        let n = "[0-9]{1,7}", two = "[0-9]{1,2}"
        let forms = ["^\(n)$", "^\(n):\(two)$", "^\(n):\(two):\(two)$", "^\(n)-\(n)$", "^\(n)-\(n):\(two)$", "^\(n)-\(n):\(two):\(two)$"]
        return forms.contains { t.range(of: $0, options: .regularExpression) != nil }
    }
    var defaultValueDescription: String { slurm }
    static var defaultCompletionKind: CompletionKind { .default }
}

/// Scenario and plan files: YAML, with shell completion.
let yamlFiles = CompletionKind.file(extensions: ["yaml", "yml"])
let resultFiles = CompletionKind.file(extensions: ["h5"])
