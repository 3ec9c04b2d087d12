/// Names that reach file names, Slurm scripts and terminals (plan names, partitions): plain
/// characters only, so none can add a line to a script, a path component or an escape sequence.
public enum SafeName {
    public static let maxLength = 100

    /// Letters, digits, `.`, `_` and `-`, not starting with `.` or `-`, at most `maxLength` long.
    public static func isPlain(_ name: String) -> Bool {
        guard !name.isEmpty, name.count <= maxLength, let first = name.unicodeScalars.first,
              first != ".", first != "-" else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && (isAlphanumeric($0) || "._-".unicodeScalars.contains($0)) }
    }

    /// True when the text holds a control character (newline, tab, escape, NUL, DEL, C1).
    public static func hasControl(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
    }

    /// The text with control characters shown as escapes (`\n`, `\u{1B}`), safe to print.
    public static func shown(_ text: String, limit: Int = 80) -> String {
        var out = ""
        for s in text.unicodeScalars.prefix(limit) {
            switch s {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out += s.value < 0x20 || (0x7F...0x9F).contains(s.value) ? "\\u{\(String(s.value, radix: 16))}" : String(s)
            }
        }
        return text.unicodeScalars.count > limit ? out + "…" : out
    }

    /// A word for a POSIX shell: single-quoted, each `'` written as `'\''`.
    public static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    private static func isAlphanumeric(_ s: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s)
    }
}
