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

        --suggest-warmup: after the summary, an MSER-5 truncation point (White 1997) from the \
        queue-length samples: parties waiting in all lanes and stations together, sampled every \
        metrics.queue-sample-interval (5 min by default) over the whole horizon and averaged over \
        the replications. The queues carry the empty start, and this series is fine enough for \
        MSER-5 (a 26-h run gives 62 batches of 5 samples); the hourly series (waits, throughput) \
        give only 5 batches. The suggestion is compared with the scenario's warm-up, and each \
        queue is also analysed on its own. When MSER stops at its search limit (half the series) \
        there is no valid suggestion: the series is too short or not stationary — a daily \
        arrival profile is not a transient. On short runs (fewer than 40 batches) sample the queues \
        more often (metrics: {queue-sample-interval: 1 min}).

        --precision 5%: sequential replications. Starts with the scenario's replications (or \
        --replications), then adds batches of --precision-batch replications (default 8, run in \
        parallel) until the 95% CI half-width of every --precision-metric is at most 5% of its \
        |mean| (a metric that is 0 in every replication counts as met), or --max-replications \
        (default 200; then a warning names the metrics that missed, exit status 0). \
        --precision-metric TABLE.METRIC (repeatable) names a metric of a result table (port, \
        lane, flow, class, station, security; see results/README.md) for every entity of that \
        table; default: lane.mean_wait_min (every lane), station.mean_wait_min (every station) and \
        port.detected. Replication r always \
        uses the streams of (seed, r) and the batch size is fixed, so the result equals a fixed \
        run with the final count, for any --threads. --out holds the final set of replications.
        """
    )

    @Argument(help: "Scenario file (YAML).", completion: yamlFiles) var file: String?
    @Option(help: ArgumentHelp("Re-run the run stored in this result file (its scenario, seed and replications), bit for bit.",
                               valueName: "file.h5"), completion: resultFiles)
    var from: String?
    @OptionGroup var counts: ReplicationOptions
    @OptionGroup var settings: OverrideOptions
    @Flag(help: "Print the summary as JSON on stdout.") var json = false
    @OptionGroup var output: OutputOptions
    @OptionGroup var budget: BudgetOptions
    @Flag(help: "No warnings about the scenario and no progress lines on stderr (errors still show).") var quiet = false
    @Flag(help: "Write the per-party trace with the results (as metrics.trace: true does).") var trace = false
    @Flag(help: "Also report an MSER-5 warm-up from the sampled queue lengths and compare it with the scenario's.")
    var suggestWarmup = false
    @Option(help: "Add replications until the 95% CI half-widths are within this share of the means: 5% or 0.05.")
    var precision: String?
    @Option(help: "With --precision: stop at this many replications (default \(PrecisionPlan.defaultMaxReplications)).")
    var maxReplications: Int?
    @Option(help: "With --precision: TABLE.METRIC to hold to the target (repeatable; default lane.mean_wait_min, station.mean_wait_min, port.detected).")
    var precisionMetric: [String] = []
    @Option(help: "With --precision: replications added per step (default \(PrecisionPlan.defaultBatch)).")
    var precisionBatch: Int?

    var replications: Int? { counts.replications }
    var seed: UInt64? { counts.seed }
    var threads: Int? { counts.threads }
    var out: String? { output.out }

    func validate() throws {
        if precision == nil {
            if maxReplications != nil { throw ValidationError("--max-replications needs --precision") }
            if !precisionMetric.isEmpty { throw ValidationError("--precision-metric needs --precision") }
            if precisionBatch != nil { throw ValidationError("--precision-batch needs --precision") }
        }
        if let m = maxReplications, m < 1 { throw ValidationError("--max-replications must be at least 1") }
        if let b = precisionBatch, b < 1 { throw ValidationError("--precision-batch must be at least 1") }
        _ = try precisionPlan()
    }

    /// The sequential-replication rule from the options, checked before anything runs.
    func precisionPlan() throws -> PrecisionPlan? {
        guard let precision else { return nil }
        do {
            let relative = try parseRelativePrecision(precision)
            let targets = precisionMetric.isEmpty ? PrecisionTarget.defaults : try precisionMetric.map(PrecisionTarget.init(parsing:))
            return PrecisionPlan(relative: relative, targets: targets,
                                 maxReplications: maxReplications ?? PrecisionPlan.defaultMaxReplications,
                                 batch: precisionBatch ?? PrecisionPlan.defaultBatch)
        } catch let error as PrecisionError {
            throw ValidationError(error.description)
        }
    }

    /// The scenario, and the seed, replications and trace of the run it comes from (--from).
    func scenario() throws -> (scenario: Scenario, path: String, stored: StoredRun?) {
        do {
            if let from {
                let stored = try StoredRun(file: from)
                let scenario = try ScenarioLoader.parse(data: Data(stored.scenarioText.utf8), file: "\(from) (scenario_yaml)",
                                                        directory: stored.directory, overrides: settings.overrides)
                return (scenario, stored.scenarioPath, stored)
            }
            return (try ScenarioLoader.load(path: file!, overrides: settings.overrides), file!, nil)
        } catch let error as ScenarioError {
            Tool.report(error)
            throw ExitCode(2)
        } catch let error as CLIError {
            FileHandle.standardError.write(Data("bordersim run: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }

    func run() throws {
        // Checked here, not in validate(): an unknown option (a typo) is reported first.
        if file == nil && from == nil { throw ValidationError("give a scenario file, or --from a result file to re-run its run") }
        if file != nil && from != nil { throw ValidationError("give a scenario file or --from a result file, not both") }
        if trace && out == nil { throw ValidationError("--trace needs --out: the trace is written into the result file") }
        let plan = try precisionPlan()
        let (scenario, path, stored) = try scenario()
        if !quiet { for w in scenario.warnings { FileHandle.standardError.write(Data((w.description + "\n").utf8)) } }
        let reps = Tool.capped(replications ?? stored?.replications ?? scenario.replications)
        if let plan, plan.maxReplications < reps {
            throw ValidationError("--max-replications (\(plan.maxReplications)) is below the starting replications (\(reps))")
        }
        let masterSeed = seed ?? stored?.seed ?? scenario.seed
        let withTrace = trace || (stored?.trace ?? scenario.trace)
        try budget.check(scenario.config, replications: plan?.maxReplications ?? reps, threads: threads, trace: withTrace,
                         command: "run", what: "\(path): \(plan?.maxReplications ?? reps) replications")
        // Refuse a bad --out before the run, not after it.
        output.warnAboutExtension()
        let inputs = scenario.inputFiles + [file, from].compactMap { $0 }
        let output = try out.map { try ResultFileOutput(target: $0, force: self.output.force, inputs: inputs) }
        InterruptNote.arm("bordersim run: interrupted; nothing was written"
                          + (out.map { " (\($0) is untouched)" } ?? ""))
        defer { InterruptNote.disarm() }

        let start = Date()
        var results: [ReplicationResult] = []
        var outcome: PrecisionOutcome?
        let progress = plan.map { plan in { (count: Int, checks: [PrecisionCheck]) in
            if !quiet { RunCommand.progress(count: count, checks: checks, plan: plan) }
        } }
        if let output {
            let metadata = RunMetadata(
                toolVersion: BorderSim.version, created: ISO8601DateFormatter().string(from: Date()), seed: masterSeed,
                replications: reps, horizonSeconds: scenario.config.horizon, warmUpSeconds: scenario.config.warmUp,
                confidenceLevel: 0.95, scenarioName: scenario.name, scenarioPath: path, scenarioText: scenario.resolvedText,
                commandLine: CommandLine.arguments.map(shellQuoted).joined(separator: " "))
            if let plan {
                (results, outcome) = try SequentialReplications.recorded(
                    scenario.config, metadata: metadata, output: output, trace: withTrace,
                    initial: reps, plan: plan, threads: threads, step: progress)
            } else {
                results = try RecordedRun.run(scenario.config, metadata: metadata, output: output,
                                              trace: withTrace, threads: threads)
            }
        } else if let plan {
            (results, outcome) = try SequentialReplications.run(scenario.config, seed: masterSeed, initial: reps,
                                                                plan: plan, threads: threads, step: progress)
        } else {
            results = try ReplicationRunner.run(scenario.config, seed: masterSeed, replications: reps, threads: threads)
        }
        let elapsed = Date().timeIntervalSince(start)
        let summary = RunSummary(scenario: scenario.name, config: scenario.config, seed: masterSeed, results: results)

        var warmUp: WarmUpSuggestion?
        var warmUpProblem: String?
        if suggestWarmup {
            do { warmUp = try WarmUpSuggestion(config: scenario.config, results: results) } catch {
                warmUpProblem = "no warm-up suggestion: \(error)"
            }
        }

        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let report = RunReport(summary: summary, warmUp: warmUp, warmUpProblem: warmUpProblem, precision: outcome)
            print(String(data: try encoder.encode(report), encoding: .utf8)!)
        } else {
            print(SummaryText.render(summary, elapsed: elapsed, parties: results.reduce(0) { $0 + $1.partiesArrived }))
            if let outcome { print("\n" + RunCommand.render(outcome), terminator: "") }
            if let warmUp { print("\n" + RunCommand.render(warmUp), terminator: "") }
            if let warmUpProblem { print("\n" + warmUpProblem) }
        }
        if let outcome, !outcome.met {
            let missed = outcome.missed.map { "\($0.label) (±\(percent($0.relativeHalfWidth)))" }.joined(separator: ", ")
            FileHandle.standardError.write(Data(("warning: precision target \(percent(outcome.relative)) not reached with the "
                + "maximum of \(outcome.maxReplications) replications: \(missed)\n").utf8))
        }
        if let output {
            let size = (try? FileManager.default.attributesOfItem(atPath: output.target)[.size] as? Int) ?? 0
            let note = "results written to \(output.target) (\(size / 1024) KiB); read them with `\(Tool.invocation) inspect \(shellQuoted(output.target))`\n"
            // Keep stdout pure JSON under --json.
            if json { FileHandle.standardError.write(Data(note.utf8)) } else { print(note, terminator: "") }
        }
    }

    /// One line per step on stderr, when it is a terminal.
    static func progress(count: Int, checks: [PrecisionCheck], plan: PrecisionPlan) {
        guard isatty(2) != 0 else { return }
        let met = checks.filter(\.met).count
        var line = "precision: \(count) replications, \(met)/\(checks.count) metrics within \(percent(plan.relative))"
        if let worst = checks.filter({ !$0.met }).max(by: { $0.relativeHalfWidth < $1.relativeHalfWidth }) {
            line += "; widest \(worst.label) ±\(percent(worst.relativeHalfWidth))"
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static func render(_ o: PrecisionOutcome) -> String {
        var out = "precision: \(Int((o.confidenceLevel * 100).rounded()))% CI half-width ≤ \(percent(o.relative)) of |mean| for "
            + o.targets.joined(separator: ", ") + "\n"
        let how = "(started with \(o.initialReplications), batches of \(o.batch), max \(o.maxReplications))"
        out += o.met ? "  met with \(o.replications) replications \(how)\n"
                     : "  WARNING: not met with the maximum of \(o.replications) replications \(how); missed: "
                       + o.missed.map(\.label).joined(separator: ", ") + "\n"
        let widths = [max(36, (o.checks.map(\.label.count).max() ?? 0) + 2), 14, 14, 10, 6]
        out += "  " + SummaryText.row(["metric", "mean", "± half-width", "relative"], widths)
            .trimmingCharacters(in: .whitespaces) + "\n"
        for c in o.checks {
            out += "  " + SummaryText.row([c.label, String(format: "%.4g", c.mean),
                                           c.halfWidth.isFinite ? String(format: "%.4g", c.halfWidth) : "–",
                                           c.relativeHalfWidth.isFinite ? percent(c.relativeHalfWidth) : "–",
                                           c.met ? "ok" : "MISSED"], widths).trimmingCharacters(in: .whitespaces) + "\n"
        }
        return out
    }

    static func render(_ w: WarmUpSuggestion) -> String {
        let hm = WarmUpSuggestion.hoursMinutes
        var out = "warm-up (\(w.method) on the queue length of all lanes and stations, mean of \(w.replications) replications, "
            + "sampled every \(hm(w.sampleIntervalSeconds))):\n"
        let t = w.total
        if let s = w.suggestedSeconds {
            out += "  suggested \(hm(s)) (\(t.truncatedBatches) of \(t.batches) batches of \(t.batchSize) samples dropped; "
                + "search limit \(t.searchLimitBatches)); "
                + "scenario warm-up \(hm(w.scenarioWarmUpSeconds))\n"
        } else {
            out += "  no suggestion: MSER at its search limit (\(t.searchLimitBatches) of \(t.batches) batches); "
                + "scenario warm-up \(hm(w.scenarioWarmUpSeconds))\n"
        }
        out += "  " + w.verdict + "\n"
        for note in w.notes { out += "  note: " + note + "\n" }
        let byQueue = w.queues.map { q -> String in
            guard let m = q.mser else { return "\(q.name) –" }
            return "\(q.name) \(hm(m.truncationTime ?? 0))" + (m.atSearchLimit ? " (search limit)" : "")
        }
        out += "  by queue: " + byQueue.joined(separator: ", ") + "\n"
        return out
    }
}

/// `--json`: the run summary's keys, plus `warm_up_suggestion` and `precision` when asked for.
struct RunReport: Encodable {
    var summary: RunSummary
    var warmUp: WarmUpSuggestion?
    var warmUpProblem: String?
    var precision: PrecisionOutcome?
    enum CodingKeys: String, CodingKey { case warmUp = "warm_up_suggestion", warmUpProblem = "warm_up_problem", precision }
    func encode(to encoder: Encoder) throws {
        try summary.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(warmUp, forKey: .warmUp)
        try c.encodeIfPresent(warmUpProblem, forKey: .warmUpProblem)
        try c.encodeIfPresent(precision, forKey: .precision)
    }
}

/// "5%", "12.3%", "0.41%".
func percent(_ share: Double) -> String {
    let p = share * 100
    return String(format: p >= 10 || p == p.rounded() ? "%.0f%%" : (p >= 1 ? "%.1f%%" : "%.2f%%"), p)
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
