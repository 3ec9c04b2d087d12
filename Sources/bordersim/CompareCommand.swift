import ArgumentParser
import Experiments
import BorderModel
import Foundation
import ResultsStore
import Scenarios

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare plans on the same replications (common random numbers): paired differences with CIs.",
        discussion: """
        Give two or more scenario files, or one scenario and variants of it:

          bordersim compare plan-a.yaml plan-b.yaml
          bordersim compare land-port.yaml --variant peak:'lanes.general.booths[14]=16'
          bordersim compare land-port.yaml \\
              --variant strict:targeting.rule.threshold=2.25,targeting.rule.random=1%

        The first configuration is the baseline. Every configuration runs the same replications: \
        replication r draws from the streams of (seed, r), so the same parties arrive with the same \
        attributes, and the difference of a metric, replication by replication, measures the change \
        alone. For each headline metric (waits per lane and station, detections, misses, referrals, \
        officer-hours) the report gives the mean paired difference with its 95% Student-t CI in words; \
        --out writes every metric's differences to an HDF5 comparison file (results/README.md).
        """
    )

    @Argument(help: "Scenario files; the first is the baseline.", completion: yamlFiles) var files: [String]
    @Option(name: .customLong("variant"),
            help: ArgumentHelp("A variant of the (single) scenario: NAME:key.path=value[,key.path=value], values in YAML (repeatable).",
                               valueName: "name:key.path=value"))
    var variants: [String] = []
    @OptionGroup var counts: ReplicationOptions
    @OptionGroup var settings: OverrideOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var budget: BudgetOptions
    @Flag(help: "Print the findings as JSON on stdout.") var json = false

    var replications: Int? { counts.replications }
    var seed: UInt64? { counts.seed }
    var threads: Int? { counts.threads }
    var overrides: [String] { settings.overrides }
    var out: String? { output.out }
    var force: Bool { output.force }

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one scenario file") }
        if variants.isEmpty && files.count < 2 { throw ValidationError("give two or more scenario files, or one with --variant NAME:key.path=value") }
        if !variants.isEmpty && files.count != 1 { throw ValidationError("--variant compares variants of one scenario: give a single file") }
        if let r = replications, r < 2 { throw ValidationError("--replications must be at least 2 (a CI needs two)") }
        for v in variants where Self.parseVariant(v) == nil {
            throw ValidationError("--variant expects NAME:key.path=value[,key.path=value], found '\(v)'")
        }
    }

    /// `NAME:a.b=1,c.d=x` → ("NAME", ["a.b=1", "c.d=x"]). A comma outside brackets and quotes
    /// starts a new setting when what follows contains '=' (values may hold commas: lists, mappings).
    static func parseVariant(_ text: String) -> (name: String, settings: [String])? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let name = String(text[..<colon]), rest = text[text.index(after: colon)...]
        guard !name.isEmpty, !rest.isEmpty else { return nil }
        var parts: [String] = [], current = "", depth = 0, quote: Character? = nil
        for ch in rest {
            if let q = quote { if ch == q { quote = nil } } else if ch == "\"" || ch == "'" { quote = ch }
            else if ch == "[" || ch == "{" { depth += 1 } else if ch == "]" || ch == "}" { depth -= 1 }
            else if ch == ",", depth == 0 { parts.append(current); current = ""; continue }
            current.append(ch)
        }
        parts.append(current)
        var settings: [String] = []
        for part in parts {
            if part.contains("=") {
                settings.append(part)
            } else if !settings.isEmpty {
                settings[settings.count - 1] += "," + part
            } else {
                return nil
            }
        }
        return settings.allSatisfy { $0.contains("=") } ? (name, settings) : nil
    }

    /// When the files describe different ports: what the comparison leaves out (it compares
    /// the lanes, classes and stations that every file has, by name).
    static func sharedParts(_ configs: [PortConfiguration]) -> String? {
        var left: [String] = []
        for (what, names) in [("lanes", configs.map { $0.lanes.map(\.name) }), ("classes", configs.map { $0.classes.map(\.name) }),
                              ("stations", configs.map { $0.stations.map(\.name) })] {
            let shared = names.dropFirst().reduce(Set(names[0])) { $0.intersection($1) }
            let all = names.reduce(Set<String>()) { $0.union($1) }
            if shared != all {
                left.append("\(what) \(all.subtracting(shared).sorted().joined(separator: ", ")) (not in every file)"
                            + (shared.isEmpty ? "; no \(what) in common" : "; compared: \(shared.sorted().joined(separator: ", "))"))
            }
        }
        return left.isEmpty ? nil : "the files describe different ports; left out of the paired differences: " + left.joined(separator: "; ")
    }

    func run() throws {
        // Load every configuration first: a typo anywhere fails before any work or file.
        var configurations: [PairedComparison.Configuration] = []
        var baseline: Scenario?
        var failed = false
        var documents: [String: ScenarioDocument] = [:]   // each file read once, whatever the number of variants
        func load(_ file: String, _ extra: [String], variant: String? = nil) -> Scenario? {
            do {
                let document = try documents[file] ?? ScenarioDocument.open(file)
                documents[file] = document
                // The variant's settings are named in messages as the variant, not as --set.
                return try document.scenario(overrides: overrides, variant: variant.map { ("--variant \($0):", extra) })
            } catch let error as ScenarioError {
                Tool.report(error)
                failed = true
            } catch { FileHandle.standardError.write(Data("\(file): \(error)\n".utf8)); failed = true }
            return nil
        }
        if variants.isEmpty {
            var names: [String] = []
            for file in files {
                guard let s = load(file, []) else { continue }
                baseline = baseline ?? s
                var name = s.name
                if names.contains(name) { name = (file as NSString).lastPathComponent }
                names.append(name)
                configurations.append(.init(name: name, config: s.config, scenarioText: s.resolvedText))
            }
        } else if let base = load(files[0], []) {
            baseline = base
            configurations.append(.init(name: base.name, config: base.config, scenarioText: base.resolvedText))
            for v in variants {
                let (name, settings) = Self.parseVariant(v)!
                guard let s = load(files[0], settings, variant: name) else { continue }
                configurations.append(.init(name: name, config: s.config, scenarioText: s.resolvedText))
            }
        }
        if failed { throw ExitCode(2) }
        let names = configurations.map(\.name)
        if Set(names).count != names.count { throw ValidationError("configuration names must differ, found \(names)") }
        guard let base = baseline else { throw ExitCode(2) }
        let reps = Tool.capped(replications ?? max(2, base.replications), minimum: 2)
        // Configurations run one after the other: the largest one is the budget's.
        for c in configurations {
            try budget.check(c.config, replications: reps, threads: counts.threads, trace: false, command: "compare",
                             what: "\(c.name): \(reps) replications")
        }
        let output = try out.map { try ResultFileOutput(target: $0, force: force, inputs: files + base.inputFiles) }

        if variants.isEmpty, let note = Self.sharedParts(configurations.map(\.config)) {
            FileHandle.standardError.write(Data("note: \(note)\n".utf8))
        }
        let metadata = RunMetadata(
            toolVersion: BorderSim.version, created: ISO8601DateFormatter().string(from: Date()), seed: seed ?? base.seed,
            replications: reps, horizonSeconds: base.config.horizon, warmUpSeconds: base.config.warmUp, confidenceLevel: 0.95,
            scenarioName: base.name, scenarioPath: files[0], scenarioText: base.resolvedText,
            commandLine: CommandLine.arguments.map(shellQuoted).joined(separator: " "))
        let line = ProgressLine(quiet: json)
        let count = configurations.count, total = reps * count
        let record = try PairedComparison.run(configurations, metadata: metadata, threads: threads) { done, replicationsDone in
            line.update(done: replicationsDone, total: total, label: "configurations \(done)/\(count)")
        }
        line.finish()
        let report = ComparisonReport(record)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            print(String(decoding: try encoder.encode(report.json), as: UTF8.self))
        } else {
            print(report.text, terminator: "")
        }
        if let output {
            try output.write { try ComparisonFileWriter.write(record, to: $0) }
            let note = "comparison written to \(output.target)\n"
            if json { FileHandle.standardError.write(Data(note.utf8)) } else { print(note, terminator: "") }
        }
    }
}
