import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress report rewritten in place on the terminal (stderr), at most a few times
/// a second; silent when stdout is not a terminal (pipes, CI logs) or when asked to be quiet.
final class ProgressLine: @unchecked Sendable {
    private let enabled: Bool
    private let lock = NSLock()
    private let start = Date()
    private var last = Date.distantPast
    private var shown = false

    init(quiet: Bool) { enabled = !quiet && isatty(STDOUT_FILENO) == 1 && isatty(STDERR_FILENO) == 1 }

    /// `done` of `total` units (replications), `label` says what else to show.
    func update(done: Int, total: Int, label: String) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(last) >= 0.25 || done == total else { return }
        last = now
        let elapsed = now.timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta = rate > 0 ? Double(total - done) / rate : .nan
        let line = String(format: "\r%@  %.1f replications/s  ETA %@   ", label, rate, Self.clock(eta))
        FileHandle.standardError.write(Data(line.utf8))
        shown = true
    }

    /// Clears the line so the next output starts clean.
    func finish() {
        guard enabled, shown else { return }
        FileHandle.standardError.write(Data("\r\u{1b}[K".utf8))
    }

    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "--:--" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
