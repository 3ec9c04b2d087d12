/// One thing wrong (or worth a warning) in a scenario file, located precisely:
/// `FILE:LINE:COLUMN: key.path: what was expected, what was found`.
public struct ScenarioProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }
    public var file: String
    public var line: Int
    public var column: Int
    public var path: String
    public var message: String
    public var severity: Severity
    /// The command-line argument (`--set key=value`) the problem comes from, if not the file.
    public var argument: String?

    public init(file: String, line: Int, column: Int, path: String, message: String, severity: Severity,
                argument: String? = nil) {
        self.file = file; self.line = line; self.column = column; self.path = path; self.message = message
        self.severity = severity; self.argument = argument
    }

    public var description: String {
        let place = argument.map { "\($0) (on \(file))" } ?? "\(file):\(line):\(column)"
        let prefix = severity == .warning ? "warning: " : ""
        return path.isEmpty ? "\(place): \(prefix)\(message)" : "\(place): \(prefix)\(path): \(message)"
    }
}

/// A scenario that cannot be used, with every problem found.
public struct ScenarioError: Error, Sendable, CustomStringConvertible {
    public var problems: [ScenarioProblem]
    public init(problems: [ScenarioProblem]) { self.problems = problems }
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// A dotted key path such as `lanes.general.booths[3]`.
struct KeyPath: CustomStringConvertible {
    var components: [String] = []
    var description: String {
        var out = ""
        for c in components {
            if c.hasPrefix("[") { out += c } else { out += out.isEmpty ? c : "." + c }
        }
        return out
    }
    func appending(_ key: String) -> KeyPath { KeyPath(components: components + [key]) }
    func index(_ i: Int) -> KeyPath { KeyPath(components: components + ["[\(i)]"]) }
}

/// Levenshtein distance, for "did you mean" suggestions.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
public func suggestion(for word: String, among candidates: [String]) -> String? {
    // The length difference bounds the distance from below: candidates that cannot be close
    // enough are skipped without the quadratic edit distance (10^5 names stay fast).
    let w = word.lowercased(), n = w.count
    let scored = candidates.lazy.filter { abs($0.count - n) <= max(2, $0.count / 3) }
        .map { ($0, editDistance(w, $0.lowercased())) }
    guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
    return best.1 <= max(2, best.0.count / 3) ? best.0 : nil
}
