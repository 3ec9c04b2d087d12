import CHDF5

/// A failed HDF5 call: what we tried, on which object, and HDF5's own error stack
/// (innermost, most specific entry first).
public struct HDF5Error: Error, CustomStringConvertible, Sendable {
    public var operation: String
    public var stack: [String]

    public var description: String {
        // The innermost entry says why (e.g. "errno = 28, No space left on device"); the
        // outermost says what failed at the API.
        guard let inner = stack.first else { return operation }
        var text = "\(operation): \(Self.clean(inner))"
        if stack.count > 1, let outer = stack.last { text += " (\(Self.clean(outer)))" }
        return text
    }

    static func clean(_ entry: String) -> String {
        guard let colon = entry.firstIndex(of: ":") else { return entry }
        return String(entry[entry.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
    }

    /// Captures and clears the current HDF5 error stack.
    static func current(_ operation: String) -> HDF5Error {
        var buffer = [CChar](repeating: 0, count: 4096)
        bordersim_h5_error_stack(&buffer, buffer.count)
        let text = String(cString: buffer)
        return HDF5Error(operation: operation, stack: text.isEmpty ? [] : text.split(separator: "\n").map(String.init))
    }
}

/// Checks of HDF5 return codes. HDF5's automatic error printing is silenced once, on first use:
/// every failure becomes an `HDF5Error` instead.
enum H5 {
    private static let silenced: Bool = {
        _ = H5open()
        bordersim_h5_silence()
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

    /// A tri-state (htri_t) answer.
    static func truth(_ value: htri_t, _ operation: @autoclosure () -> String) throws -> Bool {
        if value < 0 { throw HDF5Error.current(operation()) }
        return value > 0
    }

    static let defaultList = bordersim_H5P_DEFAULT()
}

import Foundation
