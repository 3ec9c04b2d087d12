import ArgumentParser
import Experiments
import Foundation
import ResultsStore
import Scenarios

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run every point of a sweep plan (grid, Latin hypercube, Sobol) and write one HDF5 file.",
        discussion: """
        A plan names a base scenario, the parameters to vary (scenario key paths, as --set takes \
        them) with their values or ranges, a design and the replications per point; see \
        scenarios/README.md and scenarios/sweeps/. All points' replications share the machine's \
        cores; replication r of every point uses the same random streams (common random numbers), \
        so results are identical for any --threads, and differences between points are sharp.

        Finished points are saved in OUT.progress/ as they complete: after an interruption, run \
        the same command with --resume to continue; the final file is the one an uninterrupted \
        sweep writes. --shard i/n runs points p with p mod n = i-1 (for a cluster; join the shards \
        with `bordersim merge`, or let `bordersim slurm` write the job scripts).
        """
    )

    @Argument(help: "Sweep plan (YAML).", completion: yamlFiles) var plan: String
    @Option(help: "Replications per point (default: the plan's, else the scenario's).") var replications: Int?
    @Option(help: ArgumentHelp("Result file (default: results/PLAN-NAME.h5, or results/PLAN-NAME.shard-I-of-N.h5).", valueName: "file.h5"),
            completion: resultFiles)
    var out: String?
    @Option(help: "Worker threads (default: all cores); results are identical for any number.") var threads: Int?
    @Option(help: ArgumentHelp("Run only shard i of n (1-based), e.g. 2/8.", valueName: "i/n")) var shard: Shard?
    @Flag(help: "Continue an interrupted sweep from the points saved in OUT.progress/.") var resume = false
    @Flag(help: "Replace the result file if it exists.") var force = false
    @Flag(help: "No progress line and no table of points (progress shows only on a terminal anyway).") var quiet = false
    @OptionGroup var budget: BudgetOptions

    func validate() throws {
        if let r = replications, r < 1 { throw ValidationError("--replications must be at least 1") }
        if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let job: SweepJob
        do {
            let loaded = try SweepPlanLoader.load(path: plan)
            let part = shard.map { ($0.index, $0.count) } ?? (1, 1)
            // The budget is checked before the points' models are read (a plan too large is refused first).
            let full = try SweepJob(plan: loaded, replications: replications, shard: part, memoryLimit: budget.limit, threads: threads)
            let capped = Tool.capped(full.replications)
            job = capped == full.replications ? full : try SweepJob(plan: loaded, replications: capped, shard: part)
        } catch let error as ScenarioError {
            Tool.report(error)
            throw ExitCode(2)
        } catch let error as BudgetError {
            FileHandle.standardError.write(Data("bordersim sweep: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let suffix = job.shardCount > 1 ? ".shard-\(job.shardIndex)-of-\(job.shardCount)" : ""
        let target = out ?? "results/\(job.plan.name)\(suffix).h5"
        let output: ResultFileOutput
        let checkpoint = SweepCheckpoint(resultFile: target, hash: job.hash)
        let resuming = resume && checkpoint.exists
        if resume, !checkpoint.exists, !force, FileManager.default.fileExists(atPath: target), (try? ResultFileProbe.check(target)) != nil,
           let done = try? SweepFileReader.read(target), done.metadata.planHash == job.hash {
            // Nothing was interrupted: the file of this very sweep is complete.
            print("sweep \(job.plan.name): \(target) is complete (\(done.points.count) points), nothing to resume")
            return
        }
        do {
            output = try ResultFileOutput(target: target, force: force,
                                          inputs: [plan, job.plan.scenarioPath] + job.base.inputFiles)
            try checkpoint.prepare(resume: resume)
        } catch {
            // Refused before any work: say why, exit 2 like any other bad input.
            FileHandle.standardError.write(Data("bordersim sweep: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let metadata = job.metadata(toolVersion: BorderSim.version, created: ISO8601DateFormatter().string(from: Date()),
                                    commandLine: CommandLine.arguments.map(shellQuoted).joined(separator: " "))

        let start = Date()
        let line = ProgressLine(quiet: quiet)
        InterruptNote.arm("bordersim sweep: interrupted; finished points are saved in \(checkpoint.directory) — "
                          + "run the same command with --resume to continue")
        let record = try SweepRun.run(job, metadata: metadata, checkpoint: checkpoint, threads: threads) { p in
            line.update(done: p.replicationsDone, total: p.replicationsTotal,
                        label: "points \(p.pointsDone)/\(p.pointsTotal)")
        }
        line.finish()
        InterruptNote.disarm()
        try output.write { try SweepFileWriter.write(record, to: $0) }
        checkpoint.remove()
        let elapsed = Date().timeIntervalSince(start)
        if !quiet { print(SweepText.points(record)) }
        let shardNote = job.shardCount > 1 ? " (shard \(job.shardIndex)/\(job.shardCount) of \(job.points.count) points)" : ""
        print(String(format: "sweep %@: %d points × %d replications%@%@ in %.1f s → %@",
                     job.plan.name, job.selected.count, job.replications, shardNote,
                     resuming ? ", resumed from \(checkpoint.directory)" : "", elapsed, target))
    }
}

/// The readable table of a sweep's points: parameter values and a few headline metrics.
enum SweepText {
    static func points(_ r: SweepRecord, limit: Int = 40) -> String {
        let lane = r.tables.first { $0.name == "lane" }, port = r.tables.first { $0.name == "port" }
        let station = r.tables.first { $0.name == "station" }
        func column(_ t: MetricTable?, _ metric: String) -> (table: MetricTable, index: Int)? {
            guard let t, let i = t.metrics.firstIndex(where: { $0.name == metric }) else { return nil }
            return (t, i)
        }
        let meanWait = column(lane, "mean_wait_min"), p95 = column(lane, "p95_wait_min")
        let detected = column(port, "detected"), referred = column(port, "referred")
        let secondary = column(station, "mean_wait_min")
        let names = r.metadata.parameters
        var widths = names.map { max(10, $0.count + 2) }
        widths += [24, 24, 24, 22, 22]
        var out = "mean [95% CI] across replications; waits in minutes, the worst lane's or station's\n"
        out += SummaryText.row(["point"] + names + ["lane wait", "lane p95 wait", "secondary wait", "detected", "referred"],
                               [7] + widths) + "\n"
        for (row, point) in r.points.enumerated().prefix(limit) {
            let values = r.parameterValues.map { column -> String in
                switch column {
                case .reals(let v): return String(format: "%g", v[row])
                case .integers(let v): return String(v[row])
                case .strings(let v): return v[row]
                }
            }
            /// The entity with the largest mean, with its interval.
            func worst(_ c: (table: MetricTable, index: Int)?) -> String {
                guard let c else { return "" }
                let m = c.table.metrics.count, cells = c.table.summary.mean.count / max(1, r.points.count)
                let entities = cells / m
                let s = c.table.summary
                let best = (0..<entities).map { row * cells + $0 * m + c.index }.filter { s.mean[$0].isFinite }.max { s.mean[$0] < s.mean[$1] }
                guard let i = best else { return "—" }
                let digits = s.mean[i] >= 100 ? "%.0f" : "%.1f"
                let interval = s.ciLow[i].isFinite && s.ciHigh[i].isFinite
                    ? " [" + String(format: digits, s.ciLow[i]) + ", " + String(format: digits, s.ciHigh[i]) + "]" : ""
                return String(format: digits, s.mean[i]) + interval
            }
            out += SummaryText.row([String(point)] + values + [worst(meanWait), worst(p95), worst(secondary), worst(detected), worst(referred)],
                                   [7] + widths) + "\n"
        }
        if r.points.count > limit { out += "… \(r.points.count - limit) more points in the file\n" }
        return out
    }
}
