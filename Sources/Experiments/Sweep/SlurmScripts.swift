import Foundation
import Scenarios

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

    /// Why these values cannot go into a script, or nil. `#SBATCH` lines are read by sbatch, not a
    /// shell, so what they hold is restricted to plain characters; everything else is quoted.
    public func problem() -> String? {
        if let partition, partition.range(of: #"^[A-Za-z0-9_.+-]+(,[A-Za-z0-9_.+-]+)*$"#, options: .regularExpression) == nil
            || SafeName.hasControl(partition) || partition.count > 200 {
            return "--partition '\(SafeName.shown(partition))': expected a partition name (letters, digits, '_', '.', '-', '+'; a comma-separated list)"
        }
        if !Self.isSlurmTime(time) {
            return "--time '\(SafeName.shown(time))': expected a Slurm time limit such as 30, 2:00:00, 1-12 or UNLIMITED"
        }
        if !SafeName.isPlain(planName) {
            return "the plan name '\(SafeName.shown(planName))' is not a plain name (letters, digits, '.', '_', '-')"
        }
        for (option, value) in [("--dir", directory), ("--out", output), ("--bordersim", executable), ("the plan path", planPath)]
            where SafeName.hasControl(value) {
            return "\(option) '\(SafeName.shown(value))': expected a path without control characters (newlines, tabs, escapes)"
        }
        return nil
    }

    /// Slurm's forms: minutes, minutes:seconds, hours:minutes:seconds, days-hours[:minutes[:seconds]], UNLIMITED.
    public static func isSlurmTime(_ t: String) -> Bool {
        if t == "UNLIMITED" || t == "INFINITE" { return true }
        guard t.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || $0 == ":" || $0 == "-" }), t.count <= 20 else { return false }
        let n = "[0-9]{1,7}", two = "[0-9]{1,2}"
        let forms = ["^\(n)$", "^\(n):\(two)$", "^\(n):\(two):\(two)$", "^\(n)-\(n)$", "^\(n)-\(n):\(two)$", "^\(n)-\(n):\(two):\(two)$"]
        return forms.contains { t.range(of: $0, options: .regularExpression) != nil }
    }

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
        #SBATCH --output=logs/shard-%a.out
        # One shard of the sweep per array task: points p with p mod \(tasks) = task − 1.
        # --resume continues a requeued task from the points it had saved.
        set -euo pipefail
        exec \(q(executable)) sweep \(q(planPath)) --shard "${SLURM_ARRAY_TASK_ID}/\(tasks)" \\
            --threads "${SLURM_CPUS_PER_TASK:-\(cpusPerTask)}" --quiet --resume --force \\
            --out \(q(directory))"/shards/shard-${SLURM_ARRAY_TASK_ID}-of-\(tasks).h5"\(replications.map { " --replications \($0)" } ?? "")

        """
    }

    public var mergeScript: String {
        header + """
        #SBATCH --job-name=bordersim-\(planName)-merge
        #SBATCH --cpus-per-task=1
        #SBATCH --output=logs/merge.out
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
        if let problem = problem() { throw SlurmScriptError(description: problem) }
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
        s.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_./=:,+@%".unicodeScalars.contains($0)) }
            && !s.isEmpty ? s : SafeName.shellQuoted(s)
    }
}

/// Values that cannot be written into a job script.
public struct SlurmScriptError: Error, CustomStringConvertible {
    public var description: String
}
