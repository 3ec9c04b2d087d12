import Yams

/// `--set key.path=value`: replaces (or adds) one value in the scenario before it is read, so
/// an override is validated exactly like the file. The value is YAML: a number or text
/// (`30`, `8 min`), a list (`[4, 4, 6]`) or a flow mapping (`{default: 2, ranges: [...]}`).
/// Paths name mapping keys separated by dots; a list item is `key[3]`. Missing mappings along
/// the path are created (`what-if.booths=1.5` without a `what-if:` block), unless the missing
/// key looks like a typo of one that exists. Problems in a replaced value are reported against
/// the command-line argument (see `YAMLReader.arguments`), not against the file.
enum Overrides {
    static func apply(_ settings: [String], to root: Node, reader: YAMLReader, option: String = "--set") -> Node {
        var root = root
        for setting in settings {
            guard let eq = setting.firstIndex(of: "="), eq != setting.startIndex else {
                reader.argumentError("\(option) \(setting)", "expected key.path=value")
                continue
            }
            let path = String(setting[..<eq]), text = String(setting[setting.index(after: eq)...])
            let value: Node
            switch parseValue(text) {
            case .success(let node): value = node
            case .failure(let message):
                reader.argumentError("\(option) \(setting)", message)
                continue
            }
            var steps: [Step] = []
            for part in path.split(separator: ".", omittingEmptySubsequences: false) {
                var name = Substring(part)
                var indices: [Int] = []
                while name.hasSuffix("]"), let open = name.lastIndex(of: "["), let i = Int(name[name.index(after: open)..<name.index(before: name.endIndex)]) {
                    indices.insert(i, at: 0)
                    name = name[..<open]
                }
                steps.append(.key(String(name)))
                steps += indices.map { .index($0) }
            }
            if let message = set(&root, steps[...], to: value) {
                reader.argumentError("\(option) \(setting)", "\(path): " + message)
            } else {
                reader.arguments.append(.init(path: path, argument: "\(option) \(setting)"))
            }
        }
        return root
    }

    enum Parsed { case success(Node), failure(String) }

    /// The value of an override as YAML. Text that is not a YAML collection stays the text as
    /// written (so `#1` or an empty value are values, not comments or nothing).
    static func parseValue(_ text: String) -> Parsed {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let first = trimmed.first, first == "[" || first == "{" else {
            return .success(Node(text, Tag(.implicit), .plain))
        }
        do {
            guard let node = try Yams.compose(yaml: trimmed) else { return .success(Node(text, Tag(.implicit), .plain)) }
            return .success(node)
        } catch let error as YamlError {
            let message: String
            switch error {
            case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
                message = problem; _ = mark
            default: message = "\(error)"
            }
            return .failure("expected a YAML value (a number, text, [a list] or {a: mapping}), found a syntax error: \(message)")
        } catch {
            return .failure("expected a YAML value, found \(error)")
        }
    }

    enum Step { case key(String), index(Int) }

    /// The steps of a reader's key path (`["lanes", "general", "booths", "[3]"]`).
    static func steps(_ components: [String]) -> ArraySlice<Step> {
        components.map { c -> Step in
            if c.hasPrefix("["), c.hasSuffix("]"), let i = Int(c.dropFirst().dropLast()) { return .index(i) }
            return .key(c)
        }[...]
    }

    /// Returns a problem, or nil when the value was set.
    static func set(_ node: inout Node, _ steps: ArraySlice<Step>, to value: Node) -> String? {
        guard let step = steps.first else {
            node = value
            return nil
        }
        switch (step, node) {
        case (.key(let k), .mapping(var m)):
            if var child = m[k] {
                if let problem = set(&child, steps.dropFirst(), to: value) { return problem }
                m[k] = child
            } else if steps.count == 1 {
                m[k] = value
            } else {
                // A missing key inside the path: likely a typo if an existing key is close to it;
                // otherwise a mapping that the file leaves out (e.g. `what-if.service-time=1.1`
                // on a scenario without a what-if block) is created, and the reader checks it like
                // the file. A list cannot be made up: `key[3]` needs the list to exist.
                let hint = suggestion(for: k, among: m.keys.compactMap { $0.scalar?.string })
                guard hint == nil, case .key = steps[steps.index(after: steps.startIndex)] else {
                    return "no key '\(k)' at this point of the path\(hint.map { "; did you mean '\($0)'?" } ?? "")"
                }
                var child = Node([(Node, Node)]())
                if let problem = set(&child, steps.dropFirst(), to: value) { return problem }
                m[k] = child
            }
            node = .mapping(m)
            return nil
        case (.index(let i), .sequence(var s)):
            guard s.indices.contains(i) else { return "no item [\(i)] (the list has \(s.count))" }
            var child = s[i]
            if let problem = set(&child, steps.dropFirst(), to: value) { return problem }
            s[i] = child
            node = .sequence(s)
            return nil
        case (.key(let k), _):
            return "expected a mapping containing '\(k)', found \(YAMLReader.describe(node))"
        case (.index(let i), _):
            return "expected a list for item [\(i)], found \(YAMLReader.describe(node))"
        }
    }

    /// A node as one line of flow YAML, for sweep plans that give lists or mappings as values.
    static func flowText(_ node: Node) -> String {
        switch node {
        case .scalar(let s):
            let plain = !s.string.isEmpty && s.string.allSatisfy { $0.isLetter || $0.isNumber || " ._%/+-".contains($0) }
                && s.string.first != " " && s.string.last != " "
            if plain && s.style != .doubleQuoted && s.style != .singleQuoted { return s.string }
            var out = "\""
            for ch in s.string {
                switch ch {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                default: out.append(ch)
                }
            }
            return out + "\""
        case .sequence(let seq): return "[" + seq.map(flowText).joined(separator: ", ") + "]"
        case .mapping(let m): return "{" + m.map { flowText($0.key) + ": " + flowText($0.value) }.joined(separator: ", ") + "}"
        case .alias: return ""
        }
    }
}
