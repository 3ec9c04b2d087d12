import Foundation
import Yams

/// Reads sweep plan files (scenarios/sweeps/*.yaml; format in scenarios/README.md) with the
/// same precise errors as scenario files: FILE:LINE:COL: key.path: expected ..., found ....
public enum SweepPlanLoader {
    static let topKeys = ["name", "description", "scenario", "replications", "seed", "set", "design", "parameters"]
    /// Sobol points come from GSL, which knows directions for up to 40 dimensions.
    public static let maxSobolDimensions = 40
    /// A Saltelli design draws A and B from one Sobol sequence of twice the parameters.
    public static let maxSaltelliParameters = maxSobolDimensions / 2
    /// A grid beyond this many points is almost surely a mistake in the plan.
    public static let maxPoints = 1_000_000

    public static func load(path: String) throws -> SweepPlan {
        func fail(_ message: String) -> ScenarioError {
            ScenarioError(problems: [ScenarioProblem(file: path, line: 1, column: 1, path: "", message: message, severity: .error)])
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw fail("expected a sweep plan file, found no file at this path")
        }
        guard !isDirectory.boolValue else { throw fail("expected a sweep plan file, found a directory") }
        guard let data = FileManager.default.contents(atPath: path), data.count <= ScenarioLoader.maxBytes else {
            throw fail("could not read the file (or it is larger than \(ScenarioLoader.maxBytes / 1_000_000) MB)")
        }
        guard !data.contains(0), let text = String(data: data, encoding: .utf8) else {
            throw fail("expected a UTF-8 text (YAML) file, found binary data")
        }
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw fail("expected a sweep plan (a YAML mapping with name, scenario, design, parameters), found an empty file")
            }
            root = node
        } catch let error as YamlError {
            throw ScenarioLoader.yamlProblem(error, file: path)
        }
        // Relative paths in the plan resolve against its folder, from any working directory.
        let directory = URL(fileURLWithPath: path).absoluteURL.standardizedFileURL.deletingLastPathComponent()
        if case .mapping(let m) = root, m["parameters"] == nil, m["lanes"] != nil || m["classes"] != nil {
            throw fail("this is a scenario (it has lanes and classes), not a sweep plan: run it with `bordersim run \(path)`")
        }
        let yaml = YAMLReader(file: path, directory: directory)
        let plan = read(root, yaml: yaml, path: path, text: text, directory: directory)
        if yaml.hasErrors { throw ScenarioError(problems: yaml.problems.filter { $0.severity == .error }) }
        return plan!
    }

    static func read(_ root: Node, yaml: YAMLReader, path: String, text: String, directory: URL) -> SweepPlan? {
        guard let f = yaml.fields(root, KeyPath(), allowed: topKeys, required: ["name", "scenario", "parameters"]) else { return nil }
        let name = f["name"].flatMap { yaml.text($0, f.path("name")) } ?? ""
        if let n = f["name"], name.isEmpty || !SafeName.isPlain(name) {
            yaml.error(n, f.path("name"), "expected a plan name (it names the result file and the Slurm jobs): letters, digits, "
                       + "'.', '_' and '-' only, at most \(SafeName.maxLength) characters, found '\(SafeName.shown(name))'")
        }
        let description = f["description"].flatMap { yaml.text($0, f.path("description")) } ?? ""
        var scenarioPath = ""
        if let s = f["scenario"], let p = yaml.text(s, f.path("scenario")) {
            scenarioPath = p.hasPrefix("/") ? p : directory.appendingPathComponent(p).standardizedFileURL.path
            if !FileManager.default.fileExists(atPath: scenarioPath) {
                yaml.error(s, f.path("scenario"), "expected a scenario file (relative to the plan's folder), found no file at \(scenarioPath)")
            }
        }
        let replications = f["replications"].flatMap { yaml.integer($0, f.path("replications"), minimum: 1) }
        let seed = f["seed"].flatMap { yaml.integer($0, f.path("seed"), minimum: 0) }.map { UInt64($0) }
        var fixed: [String] = []
        if let s = f["set"] {
            for entry in yaml.named(s, f.path("set"), what: "key path") {
                if let v = value(entry.value, f.path("set").appending(entry.name), yaml) { fixed.append("\(entry.name)=\(v)") }
            }
        }
        let design = readDesign(f["design"], f.path("design"), yaml, defaultSeed: seed ?? 1)
        var parameters: [SweepParameter] = []
        if let p = f["parameters"] {
            let entries = yaml.named(p, f.path("parameters"), what: "key path")
            if entries.isEmpty, !yaml.hasErrors { yaml.error(p, f.path("parameters"), "expected at least one parameter, found none") }
            for entry in entries {
                let path = f.path("parameters").appending(entry.name)
                guard let parameter = readParameter(entry.name, entry.key, entry.value, path, yaml) else { continue }
                if design == .grid, case .range = parameter.domain {
                    yaml.error(entry.value, path, "a grid needs values: give a list, {from, to, step} or {min, max, count} "
                               + "(a bare {min, max} range is for latin-hypercube, sobol and saltelli designs)")
                }
                parameters.append(parameter)
            }
        }
        checkSize(design, parameters: parameters, node: f["design"] ?? root, path: f.path("design"), yaml)
        return SweepPlan(name: name, description: description, path: path, text: text, scenarioPath: scenarioPath,
                         replications: replications, seed: seed, fixed: fixed, design: design, parameters: parameters)
    }

    /// A value as `--set` takes it: a scalar's text, or a list or mapping as one line of flow YAML.
    static func value(_ node: Node, _ path: KeyPath, _ yaml: YAMLReader) -> String? {
        switch node {
        case .scalar(let s): return s.string
        case .sequence, .mapping: return Overrides.flowText(node)
        case .alias: yaml.error(node, path, "expected a value, found an alias"); return nil
        }
    }

    /// Whether the file at `path` reads as a sweep plan (false if unreadable: the loaders say why).
    public static func isPlan(path: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path), data.count <= ScenarioLoader.maxBytes,
              let text = String(data: data, encoding: .utf8), let root = try? Yams.compose(yaml: text) else { return false }
        return looksLikePlan(root) != nil
    }

    /// Whether a document is a sweep plan rather than a scenario: what gives it away, or nil.
    static func looksLikePlan(_ root: Node) -> String? {
        guard case .mapping(let m) = root, m["lanes"] == nil, m["parameters"] != nil, m["scenario"] != nil else { return nil }
        return "'scenario' and 'parameters' keys"
    }

    /// `[v1, v2, ...]`, `{from: a, to: b, step: s}`, `{min: a, max: b, count: n}` (values), or
    /// `{min: a, max: b [, integer: true]}` (a range, for Latin hypercube and Sobol designs).
    static func readParameter(_ name: String, _ key: Node, _ node: Node, _ path: KeyPath, _ yaml: YAMLReader) -> SweepParameter? {
        let line = key.mark?.line ?? 1, column = key.mark?.column ?? 1
        func make(_ domain: SweepParameter.Domain) -> SweepParameter {
            SweepParameter(path: name, domain: domain, line: line, column: column)
        }
        if case .sequence = node {
            guard let items = yaml.list(node, path, of: "values") else { return nil }
            let values = items.enumerated().compactMap { value($1, path.index($0), yaml) }
            guard !values.isEmpty else { yaml.error(node, path, "expected at least one value, found an empty list"); return nil }
            return make(.values(values))
        }
        let forms = "a list of values, {from, to, step}, {min, max, count} or {min, max [, integer: true]}"
        guard case .mapping = node else {
            yaml.error(node, path, "expected \(forms), found \(YAMLReader.describe(node))")
            return nil
        }
        guard let f = yaml.fields(node, path, allowed: ["from", "to", "step", "min", "max", "count", "integer"]) else { return nil }
        func num(_ k: String) -> Double? { f[k].flatMap { yaml.number($0, f.path(k)) } }
        if f["from"] != nil || f["to"] != nil || f["step"] != nil {
            guard let from = num("from"), let to = num("to"), let step = num("step") else {
                if !yaml.hasErrors { yaml.error(node, path, "expected from, to and step together") }
                return nil
            }
            guard step > 0, to >= from else {
                yaml.error(f["step"], f.path("step"), "expected step > 0 and to ≥ from, found from \(from), to \(to), step \(step)")
                return nil
            }
            // Counted in floating point first: (to - from) / step may exceed any Int (1e30 / 1, 1 / 1e-320).
            let count = ((to - from) / step + 1e-9).rounded(.down) + 1
            guard count.isFinite, count <= Double(maxPoints) else {
                yaml.error(node, path, "expected at most \(maxPoints) values, found \(count.isFinite ? format(count) : "more than any count") "
                           + "(from \(format(from)) to \(format(to)) by \(format(step)))")
                return nil
            }
            let n = Int(count)
            return make(.values((0..<n).map { format(from + Double($0) * step) }))
        }
        guard let lo = num("min"), let hi = num("max") else {
            if !yaml.hasErrors { yaml.error(node, path, "expected \(forms), found a mapping without min and max") }
            return nil
        }
        guard hi > lo else { yaml.error(f["max"], f.path("max"), "expected max > min, found min \(lo), max \(hi)"); return nil }
        let integer = f["integer"].flatMap { yaml.bool($0, f.path("integer")) } ?? false
        if let c = f["count"] {
            guard let n = yaml.integer(c, f.path("count"), minimum: 2) else { return nil }
            let values = (0..<n).map { i -> Double in
                let v = lo + (hi - lo) * Double(i) / Double(n - 1)
                return integer ? v.rounded() : v
            }
            return make(.values(values.map(format)))
        }
        return make(.range(min: lo, max: hi, integer: integer))
    }

    static func readDesign(_ node: Node?, _ path: KeyPath, _ yaml: YAMLReader, defaultSeed: UInt64) -> SweepDesign {
        let kinds = ["grid", "latin-hypercube", "sobol", "saltelli"]
        var design = SweepDesign.grid
        if let node {
            if case .scalar(let s) = node {
                if s.string == "grid" { design = .grid } else {
                    let hint = suggestion(for: s.string, among: kinds).map { "; did you mean '\($0)'?" } ?? ""
                    yaml.error(node, path, "expected grid, {latin-hypercube: {points: N}}, {sobol: {points: N}} or {saltelli: {base: N}}, found '\(s.string)'\(hint)")
                }
            } else if let f = yaml.fields(node, path, allowed: kinds), f.values.count == 1 {
                if let g = f["grid"] {
                    _ = yaml.fields(g, f.path("grid"), allowed: [])
                } else if let l = f["latin-hypercube"], let lf = yaml.fields(l, f.path("latin-hypercube"), allowed: ["points", "seed"], required: ["points"]) {
                    let n = lf["points"].flatMap { yaml.integer($0, lf.path("points"), minimum: 2) } ?? 2
                    let seed = lf["seed"].flatMap { yaml.integer($0, lf.path("seed"), minimum: 0) }.map { UInt64($0) } ?? defaultSeed
                    design = .latinHypercube(points: n, seed: seed)
                } else if let s = f["sobol"], let sf = yaml.fields(s, f.path("sobol"), allowed: ["points", "skip"], required: ["points"]) {
                    let n = sf["points"].flatMap { yaml.integer($0, sf.path("points"), minimum: 1) } ?? 1
                    let skip = sf["skip"].flatMap { yaml.integer($0, sf.path("skip"), minimum: 0) } ?? 0
                    design = .sobol(points: n, skip: skip)
                } else if let s = f["saltelli"], let sf = yaml.fields(s, f.path("saltelli"), allowed: ["base", "second-order", "skip"], required: ["base"]) {
                    let n = sf["base"].flatMap { yaml.integer($0, sf.path("base"), minimum: 1) } ?? 1
                    let second = sf["second-order"].flatMap { yaml.bool($0, sf.path("second-order")) } ?? true
                    let skip = sf["skip"].flatMap { yaml.integer($0, sf.path("skip"), minimum: 0) } ?? 0
                    design = .saltelli(base: n, secondOrder: second, skip: skip)
                }
            } else if case .mapping(let m) = node, m.count != 1 {
                yaml.error(node, path, "expected exactly one design (grid, latin-hypercube, sobol or saltelli), found \(m.count)")
            }
        }
        return design
    }

    /// Points in bounds: a grid's product of value counts, Sobol's dimension limit.
    static func checkSize(_ design: SweepDesign, parameters: [SweepParameter], node: Node, path: KeyPath, _ yaml: YAMLReader) {
        switch design {
        case .grid:
            var total = 1
            for p in parameters {
                guard case .values(let v) = p.domain else { continue }
                let (product, overflow) = total.multipliedReportingOverflow(by: v.count)
                total = overflow ? Int.max : product
            }
            if total > maxPoints {
                yaml.error(node, path, "expected a grid of at most \(maxPoints) points, found \(total) (use a latin-hypercube or sobol design)")
            }
        case .latinHypercube(let n, _):
            if n > maxPoints { yaml.error(node, path, "expected at most \(maxPoints) points, found \(n)") }
        case .sobol(let n, _):
            if n > maxPoints { yaml.error(node, path, "expected at most \(maxPoints) points, found \(n)") }
            if parameters.count > maxSobolDimensions {
                yaml.error(node, path, "expected at most \(maxSobolDimensions) parameters for a Sobol design (GSL's limit), found \(parameters.count)")
            }
        case let .saltelli(n, second, _):
            let rows = SweepDesign.saltelliRowsPerBase(parameters: parameters.count, secondOrder: second)
            let (total, overflow) = n.multipliedReportingOverflow(by: rows)
            if overflow || total > maxPoints {
                yaml.error(node, path, "expected at most \(maxPoints) points, found base \(n) × \(rows) rows per base row (\(parameters.count) parameters)")
            }
            if parameters.count > maxSaltelliParameters {
                yaml.error(node, path, "expected at most \(maxSaltelliParameters) parameters for a Saltelli design (A and B come from one Sobol sequence of twice the parameters; GSL's limit is \(maxSobolDimensions)), found \(parameters.count)")
            }
        }
    }

    /// A number as scenario text: whole numbers without a decimal point, others exactly.
    public static func format(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : "\(v)"
    }
}
