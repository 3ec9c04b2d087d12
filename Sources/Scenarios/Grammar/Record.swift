import Yams

/// A mapping with fixed keys, declared once: its fields in reading order, the blank model value
/// that absent keys leave as it is (so defaults live in the model), and the checks that span
/// several keys. `read` fills the model and records every problem; `schema` is the JSON Schema
/// `bordersim schema` prints for it.
struct Record<Model> {
    typealias Check = (ScenarioReader, YAMLReader.Fields, Model) -> Bool

    let help: String?
    let blank: Model
    let fields: [Field<Model>]
    /// Checks across keys (close-below below open-above, ...), run once every key read well.
    var checks: [Check] = []
    /// Schema keywords beyond properties and required (anyOf of key sets, ...).
    var extraSchema: [(String, JSONValue)] = []

    init(help: String? = nil, blank: Model, _ fields: [Field<Model>], checks: [Check] = [],
         extraSchema: [(String, JSONValue)] = []) {
        self.help = help; self.blank = blank; self.fields = fields; self.checks = checks; self.extraSchema = extraSchema
    }

    var keys: [String] { fields.map(\.key) }
    var required: [String] { fields.filter(\.required).map(\.key) }

    /// Reads `node` into `model`; false if a key was wrong, missing or unknown.
    func read(_ r: ScenarioReader, _ node: Node, _ path: KeyPath, into model: inout Model) -> Bool {
        guard let f = r.yaml.fields(node, path, allowed: keys, required: required) else { return false }
        var ok = true
        for field in fields {
            if let value = f[field.key] {
                ok = field.read(r, value, f.path(field.key), &model) && ok
            } else if field.required {
                ok = false   // reported by fields(_:)
            }
        }
        let unknown = f.values.count < Self.entries(node)
        guard ok, !unknown else { return false }
        for check in checks where !check(r, f, model) { ok = false }
        return ok
    }

    /// Entries of a mapping node (unknown keys are among them but not among the fields read).
    static func entries(_ node: Node) -> Int { if case .mapping(let m) = node { return m.count }; return 0 }

    var schema: JSONValue {
        ScenarioSchema.record(fields.map { ($0.key, $0.described(defaults: blank)) }, required: required,
                              description: help, extra: extraSchema)
    }
}
