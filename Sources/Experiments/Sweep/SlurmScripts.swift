import Foundation

/// The batch scripts that run a sweep on a Slurm cluster: a job array with one shard per task,
/// and a merge job that starts only when every task succeeded (`afterok`). Paths are absolute:
/// the compute nodes must see the same file system (the plan, its scenario, the binary, DIR).
public struct SlurmScripts {
    public var planPath: String
    public var planName: String
    public var tasks: Int
    public var partition: String?
    public var time: String
    public var cpusPerTask: Int
    public var directory: String
    public var output: String
    public var executable: String
    public var replications: Int?

    public init(planPath: String, planName: String, tasks: Int, partition: String?, time: String, cpusPerTask: Int,
                directory: String, output: String, executable: String, replications: Int?) {
        self.planPath = Self.absolute(planPath); self.planName = planName; self.tasks = tasks; self.partition = partition
        self.time = time; self.cpusPerTask = cpusPerTask; self.directory = Self.absolute(directory)
        self.output = Self.absolute(output); self.executable = Self.absolute(executable); self.replications = replications
    }

    public static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            .appendingPathComponent(path).standardized.path
    }

    public func shardFile(_ i: Int) -> String { "\(directory)/shards/shard-\(i)-of-\(tasks).h5" }

    var header: String {
        var s = "#!/bin/bash\n"
        if let partition { s += "#SBATCH --partition=\(partition)\n" }
        s += "#SBATCH --time=\(time)\n"
        return s
    }

    public var arrayScript: String {
        header + """
        #SBATCH --job-name=bordersim-\(planName)
        #SBATCH --array=1-\(tasks)
        #SBATCH --cpus-per-task=\(cpusPerTask)
        #SBATCH --output=\(directory)/logs/shard-%a.out
        # One shard of the sweep per array task: points p with p mod \(tasks) = task − 1.
        # --resume continues a requeued task from the points it had saved.
        set -euo pipefail
        exec \(q(executable)) sweep \(q(planPath)) --shard "${SLURM_ARRAY_TASK_ID}/\(tasks)" \\
            --threads "${SLURM_CPUS_PER_TASK:-\(cpusPerTask)}" --quiet --resume --force \\
            --out "\(directory)/shards/shard-${SLURM_ARRAY_TASK_ID}-of-\(tasks).h5"\(replications.map { " --replications \($0)" } ?? "")

        """
    }

    public var mergeScript: String {
        header + """
        #SBATCH --job-name=bordersim-\(planName)-merge
        #SBATCH --cpus-per-task=1
        #SBATCH --output=\(directory)/logs/merge.out
        # Runs after every array task succeeded; checks that the shards cover every point once.
        set -euo pipefail
        exec \(q(executable)) merge \\
        \((1...tasks).map { "    \(q(shardFile($0))) \\" }.joined(separator: "\n"))
            -o \(q(output)) --force

        """
    }

    public var submitScript: String {
        """
        #!/bin/bash
        # Submits the sweep's job array, then the merge job that waits for it (afterok).
        set -euo pipefail
        cd \(q(directory))
        mkdir -p logs shards
        array=$(sbatch --parsable sweep-array.sbatch)
        array=${array%%;*}
        merge=$(sbatch --parsable --dependency=afterok:"$array" merge.sbatch)
        merge=${merge%%;*}
        echo "array job $array"
        echo "merge job $merge"
        echo "when both are done: bordersim inspect \(q(output))"

        """
    }

    /// Writes DIR/sweep-array.sbatch, DIR/merge.sbatch, DIR/submit.sh (executable) and the
    /// logs/ and shards/ folders.
    public func write() throws {
        let fm = FileManager.default
        for sub in ["", "/logs", "/shards"] {
            try fm.createDirectory(atPath: directory + sub, withIntermediateDirectories: true)
        }
        for (name, text) in [("sweep-array.sbatch", arrayScript), ("merge.sbatch", mergeScript), ("submit.sh", submitScript)] {
            let path = directory + "/" + name
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }
    }

    private func q(_ s: String) -> String {
        s.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,+@%".contains($0) } ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
