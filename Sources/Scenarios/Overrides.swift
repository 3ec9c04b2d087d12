import Yams

/// `--set key.path=value`: replaces (or adds) one scalar in the scenario before it is read, so
/// an override is validated exactly like the file. Paths name mapping keys separated by dots;
/// a list item is `key[3]`. Missing mappings along the path are created (`what-if.booths=1.5`
/// without a `what-if:` block), unless the missing key looks like a typo of one that exists.
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
            } else if steps.count == 1 {
                m[k] = Node(value, Tag(.implicit), .plain)
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
                if let problem = set(&child, steps.dropFirst(), to: value, path: path) { return problem }
                m[k] = child
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
