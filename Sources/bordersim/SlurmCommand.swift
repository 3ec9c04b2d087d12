import ArgumentParser
import Experiments
import Foundation
import Scenarios

struct SlurmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slurm",
        abstract: "Write the Slurm job scripts that run a sweep as a job array and merge its shards.",
        discussion: """
        Writes DIR/sweep-array.sbatch (a job array, one shard of the sweep per task), \
        DIR/merge.sbatch (joins the shards with `bordersim merge`) and DIR/submit.sh, which \
        submits the array and then the merge with --dependency=afterok on it. Run `bash \
        DIR/submit.sh` on the cluster's login node. The plan, its scenario, the bordersim binary \
        and DIR must be on a file system the compute nodes share; paths are written absolute.
        """
    )

    @Argument(help: "Sweep plan (YAML).", completion: yamlFiles) var plan: String
    @Option(help: "Array tasks (shards), at most the plan's number of points.") var tasks: Int
    @Option(help: "Partition (default: the cluster's default).") var partition: String?
    @Option(help: ArgumentHelp("Time limit per task: Slurm's formats (30, 30:00, 2:00:00, 1-12, 1-00:00:00, UNLIMITED) or a duration (2h, 90 min, 1d).",
                               valueName: "time"))
    var time = SlurmTime(argument: "1:00:00")!
    @Option(help: "CPUs per task; each shard runs its replications on that many threads.") var cpusPerTask = 1
    @Option(help: "Folder for the scripts, logs/ and shards/ (default: results/PLAN-NAME.slurm).", completion: .directory) var dir: String?
    @Option(help: ArgumentHelp("Merged result file (default: results/PLAN-NAME.h5).", valueName: "file.h5"), completion: resultFiles)
    var out: String?
    @Option(help: "Replications per point (default: the plan's).") var replications: Int?
    @Option(help: "bordersim binary the jobs run (default: this one).", completion: .file()) var bordersim: String?
    @Flag(help: "Let the merge job replace an existing merged file (and overwrite existing scripts).") var force = false

    func validate() throws {
        if tasks < 1 { throw ValidationError("--tasks must be at least 1") }
        if cpusPerTask < 1 { throw ValidationError("--cpus-per-task must be at least 1") }
        if let r = replications, r < 1 { throw ValidationError("--replications must be at least 1") }
    }

    /// Prints the reason and gives exit status 2 (the usage text would not help here).
    private func refuse(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("bordersim slurm: \(message)\n".utf8))
        return ExitCode(2)
    }

    func run() throws {
        let job: SweepJob
        do {
            job = try SweepJob(plan: try SweepPlanLoader.load(path: plan), replications: replications)
        } catch let error as ScenarioError {
            Tool.report(error)
            throw ExitCode(2)
        }
        guard tasks <= job.points.count else {
            throw refuse("--tasks \(tasks) is more than the plan's \(job.points.count) points")
        }
        let executable = bordersim ?? Bundle.main.executablePath ?? CommandLine.arguments[0]
        let scripts = SlurmScripts(planPath: plan, planName: job.plan.name, tasks: tasks, partition: partition, time: time.slurm,
                                   cpusPerTask: cpusPerTask, directory: dir ?? "results/\(job.plan.name).slurm",
                                   output: out ?? "results/\(job.plan.name).h5", executable: executable,
                                   replications: replications)
        if let problem = scripts.problem() { throw refuse(problem) }
        // The jobs replace their own shards (a rerun) but not an earlier merged result unless asked.
        if !force, FileManager.default.fileExists(atPath: scripts.output) {
            throw refuse("\(scripts.output) already exists; choose another --out, or add --force to let the merge job replace it")
        }
        if !force, FileManager.default.fileExists(atPath: scripts.directory + "/sweep-array.sbatch") {
            throw refuse("\(scripts.directory) already holds job scripts; choose another --dir, or add --force to overwrite them")
        }
        try scripts.write()
        print("""
        wrote \(scripts.directory)/sweep-array.sbatch (\(tasks) tasks over \(job.points.count) points × \(job.replications) replications), merge.sbatch, submit.sh
        submit with: bash \(shellQuoted(scripts.directory))/submit.sh
        the merged result will be \(scripts.output); logs in \(scripts.directory)/logs/
        """)
    }
}
