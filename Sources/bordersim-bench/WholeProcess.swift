#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Another program timed as a whole process, as a user runs it: started with posix_spawn,
/// pinned to one core with `taskset -c 0`, its standard output kept in a file; wall time
/// from the parent's monotonic clock, CPU time (user + system) from the kernel's accounting of
/// the finished child (`wait4`), which leaves out the time other processes held the core.
struct WholeProcess {
    var wall: Double
    var cpu: Double
    var status: Int32
    var output: String

    static func run(_ arguments: [String], pinned: Bool = true) -> WholeProcess {
        let argv = (pinned ? ["taskset", "-c", "0"] : []) + arguments
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("bordersim-bench-\(getpid()).out").path
        defer { unlink(out) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { for a in cArgs { free(a) } }
        var pid: pid_t = 0
        var t0 = timespec(), t1 = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t0)
        guard posix_spawnp(&pid, argv[0], &actions, nil, cArgs, environ) == 0 else {
            return WholeProcess(wall: .nan, cpu: .nan, status: -1, output: "")
        }
        var status: Int32 = 0
        var usage = rusage()
        _ = wait4(pid, &status, 0, &usage)
        clock_gettime(CLOCK_MONOTONIC, &t1)
        func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
        let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        return WholeProcess(wall: Double(t1.tv_sec - t0.tv_sec) + Double(t1.tv_nsec - t0.tv_nsec) * 1e-9,
                            cpu: s(usage.ru_utime) + s(usage.ru_stime), status: status, output: text)
    }

    /// The `bordersim` built beside this benchmark (`make bench` builds both), or nil.
    static var bordersim: String? {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let path = dir.appendingPathComponent("bordersim").path
        return access(path, X_OK) == 0 ? path : nil
    }

    /// The output parsed as one JSON object.
    var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(output.utf8))) as? [String: Any]
    }
}
