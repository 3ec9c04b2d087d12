import ArgumentParser
import Foundation
import ResultsStore

/// A result file from outside is read once in a child process before this one reads it.
///
/// Why: libhdf5 1.10 (Debian 12) trusts a file's own structures — a damaged B-tree, fractal
/// heap or object header makes it read or free wild pointers (`make fuzz` finds such files
/// within a minute). bordersim checks everything it indexes and reads the global heap itself
/// (`H5VariableStrings`), but it cannot check HDF5's structures before the library walks them.
/// So `probe-result-file` reads the file the way every reader here does; if the library crashes
/// or hangs there, the command says the file is damaged and reads (and writes) nothing.
enum ResultFileProbe {
    /// Longest a probe may take: reading a result file's metadata and tables takes seconds.
    /// (BORDERSIM_PROBE_TIMEOUT, in seconds, shortens it for the tests.)
    static var timeout: TimeInterval {
        ProcessInfo.processInfo.environment["BORDERSIM_PROBE_TIMEOUT"].flatMap(TimeInterval.init).map { min(max($0, 0.1), 300) } ?? 300
    }

    /// Throws when reading `path` crashes or hangs the child; a file the child reads, or fails
    /// to read with an error, is left to the caller's own read (which then gives that error).
    static func check(_ path: String) throws {
        guard let executable = selfExecutable() else { return }
        // posix_spawn, not Foundation's Process: no threads or objects of its own (which leak).
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // A crash is the answer, not news: no backtrace (it takes a while to symbolicate).
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"
        let arguments = [executable, ProbeCommand.configuration.commandName!, path]
        let envp = environment.map { strdup("\($0)=\($1)") } + [nil]
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for p in envp + argv { free(p) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, executable, &actions, nil, argv, envp) == 0 else { return }   // no probe: read as before

        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if r < 0 && errno != EINTR { return }
            if Date() > deadline {
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                throw ResultFileError(path, "damaged result file: reading it did not finish in \(Int(timeout)) s (the HDF5 library "
                                      + "loops on it); nothing was read from it")
            }
            usleep(5_000)
        }
        let signal = status & 0x7f   // WTERMSIG; 0 when the child exited
        if signal != 0 && signal != 0x7f {
            throw ResultFileError(path, "damaged result file: reading it crashed the HDF5 library (signal "
                                  + "\(signal)), so it is not read here; nothing was written")
        }
    }

    private static func selfExecutable() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// The child side of `ResultFileProbe`: reads a result file as inspect, merge and `run --from` do.
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe-result-file",
        abstract: "Read a result file in full and exit (used by inspect, merge and run --from).",
        shouldDisplay: false
    )

    @Argument(help: "Result file.") var file: String

    func run() throws {
        // Fault injection for the tests of the parent's side: no file crashes the library on
        // demand once its crashes are fixed, so BORDERSIM_PROBE_FAULT=crash|hang stands in.
        switch ProcessInfo.processInfo.environment["BORDERSIM_PROBE_FAULT"] {
        case "crash":   // a real wild read, as libhdf5 makes one (raise() would return after the backtracer)
            let wild = UnsafePointer<Int>(bitPattern: 0x10)!
            print(wild.pointee)
        case "hang": while true { sleep(60) }
        default: break
        }
        _ = try? RunFileReader.contents(of: file)
        _ = try? SweepFileReader.read(file)
    }
}
