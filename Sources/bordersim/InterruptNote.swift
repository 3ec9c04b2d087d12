import ResultsStore
#if canImport(Glibc)
import Glibc
#endif

/// While a long job runs, Ctrl-C (or SIGTERM, SIGHUP) prints one prepared line — e.g. how to
/// resume — and exits 128 + signal. The handler only calls write(2) and _exit(2), which are
/// async-signal-safe, on a message built in advance.
enum InterruptNote {
    nonisolated(unsafe) private static var message: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) private static var length = 0

    static func arm(_ text: String) {
        InterruptCleanup.setNote(text)   // the handler that removes a partial result file prints it too
        message = strdup("\n" + text + "\n")
        length = strlen(message!)
        for s in [SIGINT, SIGTERM, SIGHUP] {
            signal(s) { number in
                if let m = InterruptNote.message { _ = write(STDERR_FILENO, m, InterruptNote.length) }
                _exit(128 + number)
            }
        }
    }

    static func disarm() {
        InterruptCleanup.setNote(nil)
        for s in [SIGINT, SIGTERM, SIGHUP] { signal(s, SIG_DFL) }
        free(message)
        message = nil
    }
}
