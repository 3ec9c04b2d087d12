import CHDF5

/// A failed HDF5 call: what we tried, on which object, and HDF5's own error stack
/// (innermost, most specific entry first).
public struct HDF5Error: Error, CustomStringConvertible, Sendable {
    public var operation: String
    public var stack: [String]

    public var description: String {
        guard let inner = stack.first else { return operation }
        // The innermost entry says why. An I/O failure carries the system's reason (e.g.
        // "errno = 28, error message = 'No space left on device'") among many details: lead
        // with it. Otherwise give the innermost and the outermost (what failed at the API).
        let entry = Self.clean(inner)
        if let reason = Self.systemReason(entry) {
            let what = entry.components(separatedBy: ":").first ?? entry
            return "\(operation): \(reason) (HDF5: \(what))"
        }
        var text = "\(operation): \(entry)"
        if stack.count > 1, let outer = stack.last { text += " (\(Self.clean(outer)))" }
        return text
    }

    /// "function: description" → the description on one line.
    static func clean(_ entry: String) -> String {
        let text = entry.firstIndex(of: ":").map { String(entry[entry.index(after: $0)...]) } ?? entry
        return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }

    /// The operating system's message and errno in a driver error, if any.
    static func systemReason(_ entry: String) -> String? {
        guard let start = entry.range(of: "error message = '") else { return nil }
        let rest = entry[start.upperBound...]
        guard let end = rest.firstIndex(of: "'") else { return nil }
        var reason = String(rest[..<end])
        if let e = entry.range(of: "errno = ") {
            let digits = entry[e.upperBound...].prefix { $0.isNumber }
            if !digits.isEmpty { reason += " (errno \(digits))" }
        }
        return reason
    }

    /// Captures and clears the current HDF5 error stack.
    static func current(_ operation: String) -> HDF5Error {
        var buffer = [CChar](repeating: 0, count: 4096)
        bordersim_h5_error_stack(&buffer, buffer.count)
        let text = String(nulTerminated: buffer)
        return HDF5Error(operation: operation, stack: text.isEmpty ? [] : text.split(separator: "\u{1E}").map(String.init))
    }
}

/// Checks of HDF5 return codes. HDF5's automatic error printing is silenced once, on first use:
/// every failure becomes an `HDF5Error` instead.
enum H5 {
    private static let silenced: Bool = {
        // No clean-up at process exit: files are closed explicitly, and after a failed close
        // (a full disk) HDF5's own exit handler would touch objects of a file already gone.
        _ = H5dont_atexit()
        _ = H5open()
        bordersim_h5_silence()
        H5VariableStrings.register()
        return true
    }()

    static func prepare() { _ = silenced }

    /// An identifier returned by HDF5: negative means failure.
    @discardableResult
    static func id(_ value: hid_t, _ operation: @autoclosure () -> String) throws -> hid_t {
        if value < 0 { throw HDF5Error.current(operation()) }
        return value
    }

    /// A status code returned by HDF5: negative means failure.
    static func check(_ status: herr_t, _ operation: @autoclosure () -> String) throws {
        if status < 0 { throw HDF5Error.current(operation()) }
    }

    static let defaultList = bordersim_H5P_DEFAULT()
}

import Foundation
