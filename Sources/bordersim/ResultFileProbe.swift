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
        let child = Process()
        child.executableURL = URL(fileURLWithPath: executable)
        child.arguments = [ProbeCommand.configuration.commandName!, path]
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        // A crash is the answer, not news: no backtrace (it takes a while to symbolicate).
        child.environment = ProcessInfo.processInfo.environment.merging(["SWIFT_BACKTRACE": "enable=no"]) { _, new in new }
        let done = DispatchSemaphore(value: 0)
        child.terminationHandler = { _ in done.signal() }
        do { try child.run() } catch { return }   // no probe possible: read as before
        if done.wait(timeout: .now() + timeout) == .timedOut {
            child.terminate()
            done.wait()
            throw ResultFileError(path, "damaged result file: reading it did not finish in \(Int(timeout)) s (the HDF5 library "
                                  + "loops on it); nothing was read from it")
        }
        if child.terminationReason == .uncaughtSignal {
            throw ResultFileError(path, "damaged result file: reading it crashed the HDF5 library (signal "
                                  + "\(child.terminationStatus)), so it is not read here; nothing was written")
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
