import Foundation
import Yams

/// Loads scenario files: reads the text safely, parses YAML, applies `--set` overrides, and
/// reads and checks the model. Every problem found is reported, each with file, line, column
/// and key path; nothing is half-loaded.
public enum ScenarioLoader {
    /// Scenario files are small; anything larger is refused before parsing.
    public static let maxBytes = 5_000_000
    /// Deeper nesting than any scenario needs is refused before parsing (libyaml recurses).
    public static let maxDepth = 64

    /// `option` names where the overrides come from in messages (`--set`, `--variant NAME`).
    /// `variant`: more overrides, named in messages by their own option (`--variant NAME:`).
    public static func load(path: String, overrides: [String] = [], option: String = "--set",
                            variant: (option: String, settings: [String])? = nil) throws -> Scenario {
        var scenario = try ScenarioDocument.open(path).scenario(overrides: overrides, option: option, variant: variant)
        scenario.inputFiles.insert(path, at: 0)   // no output may replace it (nor its CSV files)
        return scenario
    }

    /// The bytes of a scenario file, after checks that it is one and not too large.
    static func contents(path: String) throws -> Data {
        let shown = path
        func fail(_ message: String, line: Int = 1, column: Int = 1, keyPath: String = "") -> ScenarioError {
            ScenarioError(problems: [ScenarioProblem(file: shown, line: line, column: column, path: keyPath,
                                                     message: message, severity: .error)])
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw fail("expected a scenario file, found no file at this path")
        }
        guard !isDirectory.boolValue else { throw fail("expected a scenario file, found a directory") }
        // A FIFO or a device would block or never end: only regular files are read (through links).
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw fail("expected a scenario file, found a FIFO, device or socket")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= maxBytes else {
            throw fail("expected a scenario file under \(maxBytes / 1_000_000) MB, found \(size / 1_000_000) MB")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw fail("could not read the file") }
        return data
    }

    public static func parse(data: Data, file: String, directory: URL, overrides: [String] = [],
                             option: String = "--set", variant: (option: String, settings: [String])? = nil) throws -> Scenario {
        try ScenarioDocument(data: data, file: file, directory: directory).scenario(overrides: overrides, option: option, variant: variant)
    }

    /// The document of a scenario file, parsed once (see `ScenarioDocument.open`).
    static func compose(data: Data, file: String) throws -> (text: String, root: Node) {
        func fail(_ message: String, line: Int = 1, column: Int = 1) -> ScenarioError {
            ScenarioError(problems: [ScenarioProblem(file: file, line: line, column: column, path: "",
                                                     message: message, severity: .error)])
        }
        guard !data.contains(0), let text = String(data: data, encoding: .utf8) else {
            throw fail("expected a UTF-8 text (YAML) file, found binary data")
        }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw fail("expected a scenario (a YAML mapping with name, horizon, classes, lanes), found an empty file")
        }
        if let (line, column) = tooDeep(text) {
            throw fail("expected at most \(maxDepth) levels of nesting, found deeper nesting", line: line, column: column)
        }
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw fail("expected a YAML mapping, found an empty document") }
            root = node
        } catch let error as YamlError {
            throw yamlProblem(error, file: file)
        }
        if let (key, limit) = aliasBomb(root, textSize: data.count) {
            throw ScenarioError(problems: [ScenarioProblem(
                file: file, line: key?.mark?.line ?? 1, column: key?.mark?.column ?? 1, path: key?.scalar?.string ?? "",
                message: "expected aliases to expand to at most \(limit) values, found more (a YAML alias bomb?)",
                severity: .error)])
        }
        if let kind = SweepPlanLoader.looksLikePlan(root) {
            throw fail("this is a sweep plan (it has \(kind)), not a scenario: run it with `bordersim sweep \(file)`")
        }
        return (text, root)
    }

    /// Reads the model out of a parsed document with the overrides applied.
    static func read(_ root: Node, text: String, file: String, directory: URL, overrides: [String], option: String,
                     variant: (option: String, settings: [String])?) throws -> Scenario {
        var root = root
        let reader = YAMLReader(file: file, directory: directory.standardizedFileURL)
        if !overrides.isEmpty || variant != nil {
            root = Overrides.apply(overrides, to: root, reader: reader, option: option)
            if let variant { root = Overrides.apply(variant.settings, to: root, reader: reader, option: variant.option) }
            if reader.hasErrors { throw ScenarioError(problems: reader.problems) }
        }
        let read = ScenarioReader(yaml: reader)
        guard var scenario = read.read(root, source: text, resolved: text, path: file) else {
            throw ScenarioError(problems: reader.problems.filter { $0.severity == .error })
        }
        // What the model adds up to (counts after what-if, bins, samples, cycles, arrivals): issue 14.
        ScenarioLimits(yaml: reader, root: root).check(scenario.config)
        if reader.hasErrors { throw ScenarioError(problems: reader.problems.filter { $0.severity == .error }) }
        scenario.inputFiles = reader.inputFiles
        // The text that reproduces the run: the overrides applied and CSV columns as values.
        if !overrides.isEmpty || variant != nil || !reader.inlined.isEmpty {
            for (path, value) in reader.inlined { _ = Overrides.set(&root, Overrides.steps(path.components), to: value) }
            scenario.resolvedText = (try? Yams.serialize(node: root)) ?? text
        }
        return scenario
    }

    /// Aliases share nodes, so a small text can describe an astronomically large tree ("billion
    /// laughs"). Without aliases a document has fewer nodes than half its characters; a tree that
    /// expands beyond that (plus slack) is refused before anything walks it. Returns the top-level
    /// key under which the limit was passed (nil: at the root) and the limit. Cost: O(limit).
    static func aliasBomb(_ root: Node, textSize: Int) -> (Node?, Int)? {
        let limit = textSize / 2 + 1_000
        var count = 0
        func walk(_ node: Node) -> Bool {
            count += 1
            if count > limit { return false }
            switch node {
            case .scalar, .alias: return true
            case .sequence(let s): return s.allSatisfy(walk)
            case .mapping(let m): return m.allSatisfy { walk($0.key) && walk($0.value) }
            }
        }
        if case .mapping(let m) = root {
            for (key, value) in m where !(walk(key) && walk(value)) { return (key, limit) }
            return nil
        }
        return walk(root) ? nil : (nil, limit)
    }

    /// The first place where flow brackets or indentation nest deeper than `maxDepth`.
    static func tooDeep(_ text: String) -> (Int, Int)? {
        var line = 1
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var depth = 0, column = 0, indent = 0, leading = true, quote: Character? = nil
            for ch in raw {
                column += 1
                if leading, ch == " " || ch == "-" { indent += 1; continue }
                leading = false
                if let q = quote { if ch == q { quote = nil }; continue }
                if ch == "\"" || ch == "'" { quote = ch; continue }
                if ch == "#" { break }
                if ch == "[" || ch == "{" { depth += 1 } else if ch == "]" || ch == "}" { depth -= 1 }
                if depth > maxDepth { return (line, column) }
            }
            if indent / 2 > maxDepth { return (line, 1) }
            line += 1
        }
        // Flow collections may span lines: count across the whole text too.
        var depth = 0, quote: Character? = nil
        line = 1
        var column = 0
        for ch in text {
            column += 1
            if ch == "\n" { line += 1; column = 0; continue }
            if let q = quote { if ch == q { quote = nil }; continue }
            if ch == "\"" || ch == "'" { quote = ch; continue }
            if ch == "[" || ch == "{" { depth += 1 } else if ch == "]" || ch == "}" { depth = max(0, depth - 1) }
            if depth > maxDepth { return (line, column) }
        }
        return nil
    }

    static func yamlProblem(_ error: YamlError, file: String) -> ScenarioError {
        func problem(_ message: String, _ mark: Mark?) -> ScenarioError {
            ScenarioError(problems: [ScenarioProblem(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1,
                                                     path: "", message: "YAML syntax error: " + message, severity: .error)])
        }
        switch error {
        case let .scanner(context, problemText, mark, _), let .parser(context, problemText, mark, _),
             let .composer(context, problemText, mark, _):
            guard let context else { return problem(problemText, mark) }
            // Something left open (a quote, a bracket) is best shown where it was opened.
            if problemText.contains("end of stream") { return problem(problemText + " " + context.text, context.mark) }
            let start = context.mark.line == mark.line && context.mark.column == mark.column ? ""
                : " (which starts at line \(context.mark.line), column \(context.mark.column))"
            return problem(problemText + " " + context.text + start, mark)
        case let .duplicatedKeysInMapping(duplicates, context):
            // Yams marks the first occurrence and attaches the whole text: point at the repeat instead.
            let first = context.mark
            let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            var line = first.line
            if let key = duplicates.first {
                let lines = context.text.split(separator: "\n", omittingEmptySubsequences: false)
                let indent = String(repeating: " ", count: max(0, first.column - 1))
                for (i, text) in lines.enumerated() where i + 1 > first.line {
                    if text.hasPrefix(indent + key + ":") || text.hasPrefix(indent + "\"" + key + "\":") {
                        line = i + 1
                        break
                    }
                }
            }
            return ScenarioError(problems: [ScenarioProblem(file: file, line: line, column: first.column, path: "",
                message: "YAML syntax error: duplicate key \(names) (first at line \(first.line), column \(first.column))",
                severity: .error)])
        case let .reader(problemText, _, _, _):
            return problem(problemText, nil)
        default:
            return problem("\(error)", nil)
        }
    }
}
