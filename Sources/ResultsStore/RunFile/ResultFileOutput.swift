import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a result file safely: into `NAME.h5.partial` next to the target, renamed to the
/// target only once complete and closed. A failure removes the partial file; an interrupt
/// (SIGINT, SIGTERM, SIGHUP) removes it too, then exits 130 (or 128 + signal). An existing
/// target is refused unless `force`; with `force` it is replaced atomically, never damaged
/// before the new file is complete.
public struct ResultFileOutput: Sendable {
    public let target: String
    public let partial: String
    public let force: Bool

    /// Checks the target before any work is done, so a long run does not end in a refusal.
    public init(target: String, force: Bool) throws {
        self.target = target
        self.partial = target + ".partial"
        self.force = force
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        var link = stat()
        if lstat(target, &link) == 0, (link.st_mode & S_IFMT) == S_IFLNK, !fm.fileExists(atPath: target), !force {
            throw ResultFileError(target, "already exists (a symbolic link to nothing); use --force to replace it")
        }
        if fm.fileExists(atPath: target, isDirectory: &isDirectory) {
            if isDirectory.boolValue {
                throw ResultFileError(target, "is a directory; give a file name such as \(target.hasSuffix("/") ? target : target + "/")run.h5")
            }
            if !force { throw ResultFileError(target, "already exists; use --force to replace it") }
        }
        let directory = (target as NSString).deletingLastPathComponent.isEmpty ? "." : (target as NSString).deletingLastPathComponent
        guard fm.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ResultFileError(target, "the directory \(directory) does not exist")
        }
        guard access(directory, W_OK | X_OK) == 0 else {
            throw ResultFileError(target, "the directory \(directory) is not writable (\(String(cString: strerror(errno))))")
        }
    }

    /// Creates the partial file, lets `body` fill it, closes it and moves it into place.
    public func write(_ body: (H5File) throws -> Void) throws {
        InterruptCleanup.arm(removing: partial)
        defer { InterruptCleanup.disarm() }
        do {
            let file = try H5File.create(partial, truncate: true)
            do {
                try body(file)
                try file.close()
            } catch {
                try? file.close()
                throw error
            }
            try moveIntoPlace()
        } catch let error as HDF5Error {
            unlink(partial)
            throw ResultFileError(target, "could not write the result file: \(error)")
        } catch {
            unlink(partial)
            throw error
        }
    }

    private func moveIntoPlace() throws {
        if force {
            // rename(2) replaces the old file atomically.
            guard rename(partial, target) == 0 else { throw ResultFileError(target, "could not rename \(partial): \(String(cString: strerror(errno)))") }
        } else {
            // link(2) fails if the target appeared meanwhile: never replace a file without --force.
            guard link(partial, target) == 0 else {
                let reason = errno == EEXIST ? "it appeared while the run was going; use --force to replace it"
                    : String(cString: strerror(errno))
                throw ResultFileError(target, "could not move the result into place: \(reason)")
            }
            unlink(partial)
        }
    }
}

/// Removes the partial file when the process is interrupted, after printing the note the
/// command prepared (`setNote`), if any. The handler only calls async-signal-safe functions
/// (write, unlink, _exit) on a path and a text prepared in advance.
public enum InterruptCleanup {
    nonisolated(unsafe) private static var path: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) private static var note: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) private static var noteLength = 0
    private static let signals = [SIGINT, SIGTERM, SIGHUP]

    /// The line printed on stderr when a signal stops the process while a file is being written.
    public static func setNote(_ text: String?) {
        let old = note
        note = text.map { strdup("\n" + $0 + "\n") }
        noteLength = note.map { strlen($0) } ?? 0
        free(old)
    }

    static func arm(removing file: String) {
        path = strdup(file)
        for s in signals {
            signal(s) { number in
                if let p = InterruptCleanup.path { unlink(p) }
                if let m = InterruptCleanup.note { _ = write(STDERR_FILENO, m, InterruptCleanup.noteLength) }
                _exit(128 + number)
            }
        }
    }

    static func disarm() {
        for s in signals { signal(s, SIG_DFL) }
        free(path)
        path = nil
    }
}
