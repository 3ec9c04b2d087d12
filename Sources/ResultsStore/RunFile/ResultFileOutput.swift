import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a result file safely: into a temporary file next to the target, created exclusively
/// (`O_EXCL`: `NAME.partial`, or `NAME.partial-XXXXXX` when that name is taken — an existing
/// file is never truncated), renamed to the target only once complete and closed. A failure
/// removes the temporary file; an interrupt (SIGINT, SIGTERM, SIGHUP) removes it too, then exits
/// 130 (or 128 + signal). An existing target is refused unless `force`; with `force` it is
/// replaced atomically, never damaged before the new file is complete. The target is never one
/// of the command's inputs (same device and inode, through symbolic links), never a device, FIFO,
/// socket or directory.
public struct ResultFileOutput: Sendable {
    public let target: String
    /// The preferred name of the temporary file (the one used unless it exists already).
    public let partial: String
    public let force: Bool

    /// Checks the target before any work is done, so a long run does not end in a refusal.
    /// `inputs`: the files the command reads (scenario, CSV, plan, shards, the file of --from).
    public init(target: String, force: Bool, inputs: [String] = []) throws {
        guard !target.isEmpty else { throw ResultFileError("--out ''", "expected a file name, found an empty one") }
        if target.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw ResultFileError(target.debugDescription, "expected a file name without control characters (newlines, tabs, escapes)")
        }
        self.target = target
        self.partial = target + ".partial"
        self.force = force
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        var link = stat()
        if lstat(target, &link) == 0, (link.st_mode & S_IFMT) == S_IFLNK, !fm.fileExists(atPath: target), !force {
            throw ResultFileError(target, "already exists (a symbolic link to nothing); use --force to replace it")
        }
        var info = stat()
        if stat(target, &info) == 0 {
            for input in inputs {
                var other = stat()
                if stat(input, &other) == 0, other.st_dev == info.st_dev, other.st_ino == info.st_ino {
                    throw ResultFileError(target, "is the input \(input) (the same file\(input == target ? "" : ", through a link")); "
                                          + "an output never replaces an input: choose another --out")
                }
            }
            let type = info.st_mode & S_IFMT
            if type == S_IFDIR {
                throw ResultFileError(target, "is a directory; give a file name such as \(target.hasSuffix("/") ? target : target + "/")run.h5")
            }
            if type != S_IFREG {
                let kind = type == S_IFIFO ? "a FIFO" : type == S_IFCHR || type == S_IFBLK ? "a device" : type == S_IFSOCK ? "a socket" : "not a regular file"
                throw ResultFileError(target, "is \(kind); a result file replaces only a regular file")
            }
            if !force { throw ResultFileError(target, "already exists; use --force to replace it") }
        } else if fm.fileExists(atPath: target, isDirectory: &isDirectory), !force {
            throw ResultFileError(target, "already exists; use --force to replace it")
        }
        let directory = (target as NSString).deletingLastPathComponent.isEmpty ? "." : (target as NSString).deletingLastPathComponent
        guard fm.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ResultFileError(target, "the directory \(directory) does not exist")
        }
        guard access(directory, W_OK | X_OK) == 0 else {
            throw ResultFileError(target, "the directory \(directory) is not writable (\(String(cString: strerror(errno))))")
        }
    }

    /// Creates the temporary file exclusively (`O_CREAT | O_EXCL | O_NOFOLLOW`): `NAME.partial`,
    /// else a fresh random suffix. Nothing that exists is ever opened, truncated or followed.
    public func createTemporary() throws -> String {
        for attempt in 0..<64 {
            let name = attempt == 0 ? partial : partial + "-" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
            let fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            if fd >= 0 { close(fd); return name }
            guard errno == EEXIST else {
                throw ResultFileError(target, "could not create a temporary file \(name): \(String(cString: strerror(errno)))")
            }
        }
        throw ResultFileError(target, "could not create a temporary file next to it (64 names taken)")
    }

    /// Creates the partial file, lets `body` fill it, closes it and moves it into place.
    public func write(_ body: (H5File) throws -> Void) throws {
        let temporary = try createTemporary()
        InterruptCleanup.arm(removing: temporary)
        defer { InterruptCleanup.disarm() }
        do {
            let file = try H5File.create(temporary, truncate: true)
            do {
                try body(file)
                try file.close()
            } catch {
                try? file.close()
                throw error
            }
            try moveIntoPlace(temporary)
        } catch let error as HDF5Error {
            unlink(temporary)
            throw ResultFileError(target, "could not write the result file: \(error)")
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Writes `data` the same way (a text output such as a replay report).
    public func write(data: Data) throws {
        let temporary = try createTemporary()
        InterruptCleanup.arm(removing: temporary)
        defer { InterruptCleanup.disarm() }
        do {
            try data.write(to: URL(fileURLWithPath: temporary))
            try moveIntoPlace(temporary)
        } catch {
            unlink(temporary)
            throw error
        }
    }

    private func moveIntoPlace(_ temporary: String) throws {
        if force {
            // rename(2) replaces the old file atomically.
            guard rename(temporary, target) == 0 else { throw ResultFileError(target, "could not rename \(temporary): \(String(cString: strerror(errno)))") }
        } else {
            // link(2) fails if the target appeared meanwhile: never replace a file without --force.
            guard link(temporary, target) == 0 else {
                let reason = errno == EEXIST ? "it appeared while the run was going; use --force to replace it"
                    : String(cString: strerror(errno))
                throw ResultFileError(target, "could not move the result into place: \(reason)")
            }
            unlink(temporary)
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
