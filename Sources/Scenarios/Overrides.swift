import Yams

/// `--set key.path=value`: replaces (or adds) one scalar in the scenario before it is read, so
/// an override is validated exactly like the file. Paths name mapping keys separated by dots;
/// a list item is `key[3]`.
enum Overrides {
    static func apply(_ settings: [String], to root: Node, reader: YAMLReader) -> Node {
        var root = root
        for setting in settings {
            guard let eq = setting.firstIndex(of: "="), eq != setting.startIndex else {
                reader.error(nil, KeyPath(components: ["--set"]), "expected key.path=value, found '\(setting)'")
                continue
            }
            let path = String(setting[..<eq]), value = String(setting[setting.index(after: eq)...])
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
            if let message = set(&root, steps[...], to: value, path: path) {
                reader.error(nil, KeyPath(components: ["--set " + path]), message)
            }
        }
        return root
    }

    enum Step { case key(String), index(Int) }

    /// Returns a problem, or nil when the value was set.
    static func set(_ node: inout Node, _ steps: ArraySlice<Step>, to value: String, path: String) -> String? {
        guard let step = steps.first else {
            guard case .scalar(var s) = node else {
                return "expected a path to a single value, found \(YAMLReader.describe(node)) (set its parts one by one)"
            }
            s.string = value
            s.tag = Tag(.implicit)
            node = .scalar(s)
            return nil
        }
        switch (step, node) {
        case (.key(let k), .mapping(var m)):
            if var child = m[k] {
                if let problem = set(&child, steps.dropFirst(), to: value, path: path) { return problem }
                m[k] = child
            } else {
                guard steps.count == 1 else {
                    let hint = suggestion(for: k, among: m.keys.compactMap { $0.scalar?.string }).map { "; did you mean '\($0)'?" } ?? ""
                    return "no key '\(k)' at this point of the path\(hint)"
                }
                m[k] = Node(value, Tag(.implicit), .plain)
            }
            node = .mapping(m)
            return nil
        case (.index(let i), .sequence(var s)):
            guard s.indices.contains(i) else { return "no item [\(i)] (the list has \(s.count))" }
            var child = s[i]
            if let problem = set(&child, steps.dropFirst(), to: value, path: path) { return problem }
            s[i] = child
            node = .sequence(s)
            return nil
        case (.key(let k), _):
            return "expected a mapping containing '\(k)', found \(YAMLReader.describe(node))"
        case (.index(let i), _):
            return "expected a list for item [\(i)], found \(YAMLReader.describe(node))"
        }
    }
}
