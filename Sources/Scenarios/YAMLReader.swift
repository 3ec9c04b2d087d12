import BorderModel
import Foundation
import Yams

/// Reads typed values out of a YAML node tree, recording every problem with its file, line,
/// column and key path instead of stopping at the first one.
final class YAMLReader {
    let file: String
    /// Folder of the scenario file: CSV references are relative to it.
    let directory: URL
    private(set) var problems: [ScenarioProblem] = []
    /// Values replaced from the command line (`--set`): problems at or under their key paths
    /// are reported against the argument.
    struct Argument { var path: String; var argument: String }
    var arguments: [Argument] = []
    /// Parts of the document read from other files (CSV columns), as the values they gave:
    /// the resolved text holds these instead of the references.
    var inlined: [(path: KeyPath, value: Node)] = []
    /// Files read besides the document (CSV), so that no output may replace them.
    var inputFiles: [String] = []
    /// Nodes read so far: a bound against pathological documents.
    private var budget = 2_000_000

    init(file: String, directory: URL) {
        self.file = file
        self.directory = directory
    }

    var hasErrors: Bool { problems.contains { $0.severity == .error } }
    static let maxProblems = 200

    func error(_ node: Node?, _ path: KeyPath, _ message: String) {
        report(node?.mark, path, message, .error)
    }

    func warning(_ node: Node?, _ path: KeyPath, _ message: String) {
        report(node?.mark, path, message, .warning)
    }

    func report(_ mark: Mark?, _ path: KeyPath, _ message: String, _ severity: ScenarioProblem.Severity) {
        // A document with 10^5 mistakes gets the first ones, not a message of megabytes.
        guard problems.count < Self.maxProblems else { return }
        if problems.count == Self.maxProblems - 1, severity == .error {
            problems.append(ScenarioProblem(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, path: path.description,
                                            message: "too many problems; the first \(Self.maxProblems - 1) are shown", severity: .error))
            return
        }
        let p = path.description
        let from = arguments.last { p == $0.path || p.hasPrefix($0.path + ".") || p.hasPrefix($0.path + "[") }
        problems.append(ScenarioProblem(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1,
                                        path: p, message: message, severity: severity, argument: from?.argument))
    }

    /// A problem with a command-line argument itself (its form, its key path).
    func argumentError(_ argument: String, _ message: String) {
        problems.append(ScenarioProblem(file: file, line: 1, column: 1, path: "", message: message,
                                        severity: .error, argument: argument))
    }

    /// How a node looks, for "found ..." in messages.
    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s):
            let text = SafeName.shown(s.string, limit: 40)   // control characters escaped: never to a terminal raw
            return s.string.isEmpty ? "nothing" : "'\(text)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// Counts a node against the budget; false once it is spent (reported once).
    func spend(_ node: Node, _ path: KeyPath) -> Bool {
        budget -= 1
        if budget == 0 { error(node, path, "the document is too large or too deeply aliased to read") }
        return budget > 0
    }

    // MARK: containers

    /// The entries of a mapping whose keys are fixed by the format. Unknown keys are reported
    /// with a suggestion; missing required keys are reported at the mapping.
    func fields(_ node: Node, _ path: KeyPath, allowed: [String], required: [String] = []) -> Fields? {
        guard spend(node, path) else { return nil }
        guard case .mapping(let mapping) = node else {
            error(node, path, "expected a mapping with keys \(allowed.joined(separator: ", ")), found \(Self.describe(node))")
            return nil
        }
        var values: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                error(key, path, "expected a key name, found \(Self.describe(key))")
                continue
            }
            if allowed.contains(name) {
                values[name] = value
            } else {
                let hint = suggestion(for: name, among: allowed).map { "; did you mean '\($0)'?" } ?? ""
                error(key, path.appending(name), "unknown key '\(name)'\(hint) (expected one of: \(allowed.joined(separator: ", ")))")
            }
        }
        for name in required where values[name] == nil {
            error(node, path, "missing required key '\(name)'")
        }
        return Fields(node: node, path: path, values: values)
    }

    struct Fields {
        let node: Node
        let path: KeyPath
        let values: [String: Node]
        subscript(key: String) -> Node? { values[key] }
        func path(_ key: String) -> KeyPath { path.appending(key) }
    }

    /// A mapping from user-chosen names (classes, lanes, stations) to values, in file order.
    func named(_ node: Node, _ path: KeyPath, what: String) -> [(name: String, key: Node, value: Node)] {
        guard spend(node, path) else { return [] }
        guard case .mapping(let mapping) = node else {
            error(node, path, "expected a mapping from \(what) names to \(what) definitions, found \(Self.describe(node))")
            return []
        }
        var out: [(String, Node, Node)] = []
        for (key, value) in mapping {
            guard let name = key.scalar?.string, !name.isEmpty else {
                error(key, path, "expected a \(what) name, found \(Self.describe(key))")
                continue
            }
            // Names reach tables on a terminal, HDF5 labels and file names: no newlines or escapes.
            if SafeName.hasControl(name) || name.count > 200 {
                error(key, path, "expected a \(what) name without control characters, at most 200 characters, found '\(SafeName.shown(name))'")
                continue
            }
            out.append((name, key, value))
        }
        return out
    }

    func list(_ node: Node, _ path: KeyPath, of what: String) -> [Node]? {
        guard spend(node, path) else { return nil }
        guard case .sequence(let seq) = node else {
            error(node, path, "expected a list of \(what), found \(Self.describe(node))")
            return nil
        }
        return Array(seq)
    }

    // MARK: scalars

    func scalarText(_ node: Node, _ path: KeyPath, expected: String) -> String? {
        guard spend(node, path) else { return nil }
        guard case .scalar(let s) = node else {
            error(node, path, "expected \(expected), found \(Self.describe(node))")
            return nil
        }
        return s.string
    }

    func text(_ node: Node, _ path: KeyPath) -> String? {
        scalarText(node, path, expected: "text")
    }

    func bool(_ node: Node, _ path: KeyPath) -> Bool? {
        guard let t = scalarText(node, path, expected: "true or false") else { return nil }
        switch t.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: error(node, path, "expected true or false, found '\(SafeName.shown(t))'"); return nil
        }
    }

    /// A number satisfying `valid`, described by `expected` (e.g. "a number > 0").
    func number(_ node: Node, _ path: KeyPath, expected: String = "a number",
                valid: (Double) -> Bool = { $0.isFinite }) -> Double? {
        guard let t = scalarText(node, path, expected: expected) else { return nil }
        guard let v = Double(t.trimmingCharacters(in: .whitespaces)), v.isFinite else {
            error(node, path, "expected \(expected), found '\(SafeName.shown(t))'")
            return nil
        }
        guard valid(v) else { error(node, path, "expected \(expected), found \(t)"); return nil }
        return v
    }

    /// A whole number in `minimum...maximum`; without `maximum`, the key's limit (`InputLimits`),
    /// so no count read from a file reaches an allocation or integer arithmetic unbounded.
    func integer(_ node: Node, _ path: KeyPath, minimum: Int = 0, maximum: Int? = nil) -> Int? {
        let most = maximum ?? InputLimits.maximum(for: path)
        let expected = "a whole number ≥ \(minimum)"
        guard let t = scalarText(node, path, expected: expected) else { return nil }
        let trimmed = t.trimmingCharacters(in: .whitespaces)
        guard let v = Int(trimmed) else {
            let digits = trimmed.drop { $0 == "-" || $0 == "+" }
            let tooLarge = !digits.isEmpty && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber)
            error(node, path, tooLarge ? "expected \(expected), found \(t) (too large; at most \(InputLimits.describe(most)))"
                                       : "expected \(expected), found '\(SafeName.shown(t))'")
            return nil
        }
        guard v >= minimum else { error(node, path, "expected \(expected), found \(v)"); return nil }
        guard v <= most else {
            error(node, path, "expected \(expected) and at most \(InputLimits.describe(most)), found \(v)")
            return nil
        }
        return v
    }

    /// A whole number of either sign (e.g. `extra-booths: -1`), at most `InputLimits.maxOffset` either way.
    func signedInteger(_ node: Node, _ path: KeyPath) -> Int? {
        let most = InputLimits.maxOffset
        let expected = "a whole number (negative allowed) such as 2 or -1"
        guard let t = scalarText(node, path, expected: expected) else { return nil }
        guard let v = Int(t.trimmingCharacters(in: .whitespaces)), abs(v) <= most else {
            let range = Int(t.trimmingCharacters(in: .whitespaces)) != nil || t.allSatisfy({ $0.isNumber || $0 == "-" })
                ? " from -\(most) to \(most)" : ""
            error(node, path, "expected \(expected)\(range), found '\(SafeName.shown(t))'")
            return nil
        }
        return v
    }

    /// A plain-number multiplier (what-if knobs): > 0, or ≥ 0 when `zeroAllowed`.
    func multiplier(_ node: Node, _ path: KeyPath, zeroAllowed: Bool = false) -> Double? {
        // A percentage as shares take them: 120% is 1.2.
        if case .scalar(let s) = node, s.string.hasSuffix("%"), let (v, unit) = Units.split(s.string), unit == "%" {
            let m = v / 100
            guard m.isFinite, zeroAllowed ? m >= 0 : m > 0, m <= Self.maxMultiplier else {
                let most = m > Self.maxMultiplier ? " and at most \(Int(Self.maxMultiplier))" : ""
                error(node, path, "expected a multiplier \(zeroAllowed ? "≥ 0" : "> 0")\(most) such as 1.2 or 120%, found \(s.string)")
                return nil
            }
            return m
        }
        let most = Self.maxMultiplier
        let v = zeroAllowed ? number(node, path, expected: "a multiplier ≥ 0 such as 1.5", valid: { $0 >= 0 })
                            : number(node, path, expected: "a multiplier > 0 such as 1.2", valid: { $0 > 0 })
        if let v, v > most {
            error(node, path, "expected a multiplier of at most \(Int(most)) (a what-if, not a typo), found \(node.scalar?.string ?? String(v))")
            return nil
        }
        return v
    }

    /// What-if multipliers beyond this are typos (1e300 booths), not studies.
    static let maxMultiplier = 1000.0

    /// A duration in seconds; `positive` rejects 0.
    func duration(_ node: Node, _ path: KeyPath, positive: Bool = true) -> Double? {
        let expected = positive ? "a duration > 0 such as 45s, 8 min, 2h or 1d"
                                : "a duration ≥ 0 such as 0, 45s, 8 min, 2h or 1d"
        guard let t = scalarText(node, path, expected: expected) else { return nil }
        guard let v = Units.duration(t), v.isFinite else {
            error(node, path, "expected \(expected), found '\(SafeName.shown(t))'")
            return nil
        }
        guard positive ? v > 0 : v >= 0 else { error(node, path, "expected \(expected), found \(t)"); return nil }
        guard v <= ModelLimits.maxDuration else {
            error(node, path, "expected \(expected) and at most 100 years (3.16e9 s), found \(t)")
            return nil
        }
        return v
    }

    /// A rate per second; `positive` rejects 0.
    func rate(_ node: Node, _ path: KeyPath, positive: Bool = true) -> Double? {
        let expected = positive ? "a rate > 0 such as 120/h or 3/min" : "a rate ≥ 0 such as 0, 120/h or 3/min"
        guard let t = scalarText(node, path, expected: expected) else { return nil }
        guard let v = Units.rate(t), v.isFinite else {
            error(node, path, "expected \(expected), found '\(SafeName.shown(t))'")
            return nil
        }
        guard positive ? v > 0 : v >= 0 else { error(node, path, "expected \(expected), found \(t)"); return nil }
        return v
    }

    func probability(_ node: Node, _ path: KeyPath) -> Double? {
        let expected = "a probability in [0, 1] or a percentage such as 2.5%"
        guard let t = scalarText(node, path, expected: expected) else { return nil }
        guard let v = Units.probability(t) else {
            error(node, path, "expected \(expected), found '\(SafeName.shown(t))'")
            return nil
        }
        guard (0...1).contains(v) else { error(node, path, "expected \(expected), found \(t)"); return nil }
        return v
    }

    /// A name that must be one of `names` (a class, lane, station or violation type).
    func reference(_ node: Node, _ path: KeyPath, to what: String, in names: [String]) -> Int? {
        guard let t = scalarText(node, path, expected: "the name of a \(what)") else { return nil }
        if let i = names.firstIndex(of: t) { return i }
        let hint = suggestion(for: t, among: names).map { "; did you mean '\($0)'?" } ?? ""
        // At most 20 names: a message must stay short when there are 10^5 of them.
        let shown = names.prefix(20).joined(separator: ", ") + (names.count > 20 ? ", … (\(names.count) in all)" : "")
        let known = names.isEmpty ? "none is defined" : "defined: \(shown)"
        error(node, path, "expected the name of a \(what), found undefined '\(t)'\(hint) (\(known))")
        return nil
    }
}

extension Node {
    var scalar: Node.Scalar? { if case .scalar(let s) = self { return s }; return nil }
}
