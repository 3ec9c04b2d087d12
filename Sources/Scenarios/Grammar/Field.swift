import BorderModel
import SimKernel
import Yams

/// One key of a mapping with fixed keys, declared once: its name, whether it is required, what
/// its value must be (the JSON Schema, with the help text and the model's default), and how it
/// is read into the model. The reader, `bordersim schema` and the checks all take it from here.
struct Field<Model> {
    typealias Read = (ScenarioReader, Node, KeyPath, inout Model) -> Bool

    let key: String
    let required: Bool
    /// The value's JSON Schema (without help and default).
    let schema: JSONValue
    let help: String?
    /// The default as the schema states it, taken from the model's blank value.
    let documentedDefault: ((Model) -> JSONValue?)?
    /// Reads the value into the model; false when it was wrong (the problem is recorded).
    let read: Read

    /// A key read by its own function (references, nested structures, what-if adjustments).
    static func custom(_ key: String, required: Bool = false, _ schema: JSONValue, help: String? = nil,
                       default documented: ((Model) -> JSONValue?)? = nil, read: @escaping Read) -> Field {
        Field(key: key, required: required, schema: schema, help: help, documentedDefault: documented, read: read)
    }

    /// The schema entry of the key: its value's schema with help and default added.
    func described(defaults: Model?) -> JSONValue {
        var entries: [(String, JSONValue)]
        if case .object(let e) = schema { entries = e } else { entries = [("allOf", [schema])] }
        if let help, !entries.contains(where: { $0.0 == "description" }) { entries.append(("description", .string(help))) }
        if !required, let defaults, let d = documentedDefault?(defaults) { entries.append(("default", d)) }
        return .object(entries)
    }
}

// MARK: keys with one value of a common kind

extension Field {
    /// A probability or percentage.
    static func probability(_ key: String, _ to: WritableKeyPath<Model, Double>, help: String? = nil) -> Field {
        .custom(key, ScenarioSchema.ref("probability"), help: help, default: { .number($0[keyPath: to]) }) { r, node, path, m in
            guard let v = r.yaml.probability(node, path) else { return false }
            m[keyPath: to] = v
            return true
        }
    }

    /// A number within a range the model declares; `what` names it in messages ("an AUC").
    static func number(_ key: String, _ to: WritableKeyPath<Model, Double>, _ range: ValueRange, what: String = "a number",
                       required: Bool = false, help: String? = nil) -> Field {
        .custom(key, required: required, ScenarioSchema.number(in: range), help: help, default: { .number($0[keyPath: to]) }) { r, node, path, m in
            guard let v = r.number(node, path, range, what: what) else { return false }
            m[keyPath: to] = v
            return true
        }
    }

    /// The same, into an optional (absent: nil).
    static func number(_ key: String, _ to: WritableKeyPath<Model, Double?>, _ range: ValueRange, what: String = "a number",
                       required: Bool = false, help: String? = nil) -> Field {
        .custom(key, required: required, ScenarioSchema.number(in: range), help: help) { r, node, path, m in
            guard let v = r.number(node, path, range, what: what) else { return false }
            m[keyPath: to] = v
            return true
        }
    }

    /// The schema of a whole number ≥ `minimum`, with the largest value the reader accepts for
    /// `key` (`InputLimits`, which the reader applies).
    static func wholeNumber(_ key: String, minimum: Int) -> JSONValue {
        .object([("$ref", .string("#/$defs/integer-min\(minimum)")), ("maximum", .int(InputLimits.maximum(forKey: key)))])
    }

    /// A whole number ≥ `minimum` (and at most the key's `InputLimits`).
    static func integer(_ key: String, _ to: WritableKeyPath<Model, Int>, minimum: Int, required: Bool = false,
                        help: String? = nil) -> Field {
        .custom(key, required: required, wholeNumber(key, minimum: minimum), help: help,
                default: { .int($0[keyPath: to]) }) { r, node, path, m in
            guard let v = r.yaml.integer(node, path, minimum: minimum) else { return false }
            m[keyPath: to] = v
            return true
        }
    }

    /// The same, into an optional (absent: nil).
    static func integer(_ key: String, _ to: WritableKeyPath<Model, Int?>, minimum: Int, required: Bool = false,
                        help: String? = nil) -> Field {
        .custom(key, required: required, wholeNumber(key, minimum: minimum), help: help) { r, node, path, m in
            guard let v = r.yaml.integer(node, path, minimum: minimum) else { return false }
            m[keyPath: to] = v
            return true
        }
    }

    /// A duration in seconds, > 0 (or ≥ 0 unless `positive`).
    static func duration(_ key: String, _ to: WritableKeyPath<Model, Double>, positive: Bool = true, required: Bool = false,
                         help: String? = nil) -> Field {
        .custom(key, required: required, ScenarioSchema.ref(positive ? "duration" : "duration-or-zero"), help: help,
                default: { .string(documented(duration: $0[keyPath: to])) }) { r, node, path, m in
            guard let v = r.yaml.duration(node, path, positive: positive) else { return false }
            m[keyPath: to] = v
            return true
        }
    }

    static func bool(_ key: String, _ to: WritableKeyPath<Model, Bool>, help: String? = nil) -> Field {
        .custom(key, ScenarioSchema.ref("boolean"), help: help, default: { .bool($0[keyPath: to]) }) { r, node, path, m in
            guard let v = r.yaml.bool(node, path) else { return false }
            m[keyPath: to] = v
            return true
        }
    }

    static func text(_ key: String, _ to: WritableKeyPath<Model, String>, required: Bool = false, help: String? = nil) -> Field {
        .custom(key, required: required, ScenarioSchema.ref("text"), help: help) { r, node, path, m in
            guard let v = r.yaml.text(node, path) else { return false }
            m[keyPath: to] = v
            return true
        }
    }

    /// A distribution of durations (service, patience, repair times).
    static func durations(_ key: String, _ to: WritableKeyPath<Model, Distribution?>, required: Bool = false,
                          help: String? = nil) -> Field {
        .custom(key, required: required, ScenarioSchema.ref("duration-distribution"), help: help) { r, node, path, m in
            guard let d = r.durations().read(node, path) else { return false }
            m[keyPath: to] = d
            return true
        }
    }

    /// `extra-booths` / `extra-servers`: a whole number of either sign added to a schedule.
    static func extra(_ key: String, _ to: WritableKeyPath<Model, Int>, of schedule: String, knob: String) -> Field {
        .custom(key, ScenarioSchema.ref("integer-signed"), help: "Added to every value of \(schedule) (after \(knob)), clipped at 0.",
                default: { .int($0[keyPath: to]) }) { r, node, path, m in
            guard let v = r.yaml.signedInteger(node, path) else { return false }
            m[keyPath: to] = v
            return true
        }
    }

    /// A schedule of positions (booths, servers), adjusted by its what-if multiplier and extra count
    /// (declared before it, so read first).
    static func schedule(_ key: String, _ to: WritableKeyPath<Model, PiecewiseConstant>, extra: Swift.KeyPath<Model, Int>,
                         multiplier: Swift.KeyPath<WhatIf, Double>, help: String) -> Field {
        .custom(key, required: true, ScenarioSchema.ref("schedule"), help: help) { r, node, path, m in
            guard let s = r.schedule().read(node, path) else { return false }
            m[keyPath: to] = WhatIf.adjust(s, multiplier: r.whatIf[keyPath: multiplier], extra: m[keyPath: extra])
            return true
        }
    }

    /// A nested mapping with fixed keys of its own, read over its blank value.
    static func record<Part>(_ key: String, _ to: WritableKeyPath<Model, Part?>, _ grammar: Record<Part>,
                             required: Bool = false) -> Field {
        .custom(key, required: required, grammar.schema) { r, node, path, m in
            var part = grammar.blank
            guard grammar.read(r, node, path, into: &part) else { return false }
            m[keyPath: to] = part
            return true
        }
    }

    /// The same, into a non-optional part (absent: the model's default part).
    static func record<Part>(_ key: String, _ to: WritableKeyPath<Model, Part>, _ grammar: Record<Part>,
                             default documented: ((Model) -> JSONValue?)? = nil) -> Field {
        .custom(key, grammar.schema, default: documented) { r, node, path, m in
            var part = grammar.blank
            guard grammar.read(r, node, path, into: &part) else { return false }
            m[keyPath: to] = part
            return true
        }
    }
}

extension ScenarioReader {
    /// A number within a declared range: "expected an AUC strictly between 0.5 and 1, found 0.5".
    func number(_ node: Node, _ path: KeyPath, _ range: ValueRange, what: String) -> Double? {
        let expected = range == .finite ? what : "\(what) \(range.phrase)"
        return yaml.number(node, path, expected: expected, valid: range.contains)
    }
}

/// A duration as a scenario would write it (300 → "5min"), for documented defaults.
func documented(duration seconds: Double) -> String {
    for (unit, size) in [("d", 86_400.0), ("h", 3600), ("min", 60)] where seconds >= size && (seconds / size).rounded() == seconds / size {
        return "\(Int(seconds / size))\(unit)"
    }
    return seconds == seconds.rounded() ? "\(Int(seconds))s" : "\(seconds)s"
}
