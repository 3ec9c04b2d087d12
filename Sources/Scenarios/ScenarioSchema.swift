import BorderModel
import Foundation

/// The JSON Schema (draft 2020-12) of scenario files, for editors (`bordersim schema`).
///
/// It follows the loader: the same keys (taken from the readers' key lists), units as
/// patterns, distributions and profiles as `$defs`, `additionalProperties: false` wherever the
/// loader rejects unknown keys. A schema cannot check everything the loader does (names that
/// must refer to defined classes, lanes and stations; profile lengths against the horizon;
/// routing cycles); `bordersim validate` remains the reference. Values are described as a YAML
/// 1.1 reader (PyYAML) or a YAML 1.2 editor sees them: `90` is a number, `90s` a string.
public enum ScenarioSchema {
    public static let id = "https://bordersim.dev/schema/scenario.json"

    /// The schema as JSON text.
    public static var text: String { schema.rendered() + "\n" }

    public static var schema: JSONValue {
        guard case .object(let top) = Grammar.scenario.schema else { preconditionFailure("a record's schema is an object") }
        return .object([("$schema", "https://json-schema.org/draft/2020-12/schema"), ("$id", .string(id)),
                        ("title", "bordersim scenario")] + top + [("$defs", object(definitions))])
    }

    // MARK: building blocks

    static func object(_ entries: [(String, JSONValue)]) -> JSONValue { .object(entries) }

    static func ref(_ name: String, _ description: String? = nil) -> JSONValue {
        var entries: [(String, JSONValue)] = [("$ref", .string("#/$defs/" + name))]
        if let description { entries.append(("description", .string(description))) }
        return .object(entries)
    }

    static func strings(_ items: [String]) -> JSONValue { .array(items.map { .string($0) }) }

    /// A mapping with fixed keys: every key optional unless `required`, no other key allowed.
    static func record(_ properties: [(String, JSONValue)], required: [String] = [], description: String? = nil,
                       extra: [(String, JSONValue)] = []) -> JSONValue {
        var entries: [(String, JSONValue)] = [("type", "object")]
        if let description { entries.append(("description", .string(description))) }
        if !required.isEmpty { entries.append(("required", strings(required))) }
        entries.append(("additionalProperties", false))
        entries.append(("properties", .object(properties)))
        return .object(entries + extra)
    }

    /// A mapping from user-chosen names to definitions of one kind.
    static func namedMap(_ def: String, _ description: String, minimum: Int) -> JSONValue {
        var entries: [(String, JSONValue)] = [("type", "object"), ("description", .string(description))]
        if minimum > 0 { entries.append(("minProperties", .int(minimum))) }
        entries.append(("additionalProperties", ref(def)))
        return .object(entries)
    }

    /// A mapping from names (classes, violation types) to values of one kind.
    static func mapOf(_ value: JSONValue, _ description: String) -> JSONValue {
        ["type": "object", "description": .string(description), "additionalProperties": value]
    }

    /// A regular expression matching `word` in any letter case (the loader lower-cases units).
    static func anyCase(_ word: String) -> String {
        word.map { ch in ch.isLetter ? "[\(ch.lowercased())\(ch.uppercased())]" : String(ch) }.joined()
    }

    static let space = "[ \\t]*"
    /// Units.number, for any sign.
    static let number = "[-+]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
    /// A number ≥ 0 (no minus sign).
    static let unsigned = "\\+?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
    /// A number > 0: some non-zero digit before any exponent.
    static let positive = "\\+?(?:0*[1-9][0-9]*\\.?[0-9]*|0*\\.0*[1-9][0-9]*)(?:[eE][-+]?[0-9]+)?"

    /// Duration units of `Units.durationUnits`, grouped: s, sec(s), second(s), min(s), minute(s), h, hr(s), hour(s), d, day(s).
    static var durationUnit: String {
        let words = Units.durationUnits.keys.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
        return "(?:" + words.map(anyCase).joined(separator: "|") + ")"
    }

    static func durationPattern(_ number: String) -> String { "^\(space)\(number)\(space)(?:\(durationUnit))?\(space)$" }
    static func ratePattern(_ number: String) -> String { "^\(space)\(number)\(space)(?:/\(space)\(durationUnit))?\(space)$" }

    /// A quantity written either as a YAML number or as text with units.
    static func quantity(_ description: String, numeric: [(String, JSONValue)], pattern: String) -> JSONValue {
        ["description": .string(description),
         "anyOf": [.object([("type", "number")] + numeric), ["type": "string", "pattern": .string(pattern)]]]
    }

    // MARK: definitions

    static var definitions: [(String, JSONValue)] {
        var defs: [(String, JSONValue)] = [
            ("text", ["description": "Text (any scalar value is read as text).",
                      "type": ["string", "number", "boolean", "null"]]),
            ("boolean", ["description": "true or false (also yes/no, on/off).",
                         "anyOf": [["type": "boolean"],
                                   ["type": "string", "pattern": .string("^(?:" + ["true", "false", "yes", "no", "on", "off"]
                                        .map(anyCase).joined(separator: "|") + ")$")]]] as JSONValue),
            ("integer-min0", integer(minimum: 0)),
            ("integer-min1", integer(minimum: 1)),
            ("integer-signed", ["description": "A whole number, negative allowed.",
                                "anyOf": [["type": "integer"], ["type": "string", "pattern": .string("^\(space)[-+]?[0-9]+\(space)$")]]]),
            ("multiplier", ["description": "A plain number > 0 or a percentage (1 or 100% changes nothing; 120% is 1.2).",
                            "anyOf": [["type": "number", "exclusiveMinimum": 0],
                                      ["type": "string", "pattern": .string("^\(space)\(positive)\(space)%?\(space)$")]]]),
            ("multiplier-or-zero", ["description": "A plain number ≥ 0 or a percentage (1 or 100% changes nothing).",
                                    "anyOf": [["type": "number", "minimum": 0],
                                              ["type": "string", "pattern": .string("^\(space)\(unsigned)\(space)%?\(space)$")]]]),
            ("duration", quantity("A duration > 0: a number with s, min, h or d (a bare number is seconds), e.g. 45s, 8 min, 2h, 1d.",
                                  numeric: [("exclusiveMinimum", 0)], pattern: durationPattern(positive))),
            ("duration-or-zero", quantity("A duration ≥ 0: a number with s, min, h or d (a bare number is seconds), e.g. 0, 45s, 8 min.",
                                          numeric: [("minimum", 0)], pattern: durationPattern(unsigned))),
            ("rate", quantity("A rate > 0: a number with /s, /min, /h or /d (a bare number is per hour), e.g. 120/h, 3/min.",
                              numeric: [("exclusiveMinimum", 0)], pattern: ratePattern(positive))),
            ("rate-or-zero", quantity("A rate ≥ 0: a number with /s, /min, /h or /d (a bare number is per hour), e.g. 0, 120/h.",
                                      numeric: [("minimum", 0)], pattern: ratePattern(unsigned))),
            ("probability", quantity("A probability in [0, 1], or a percentage in [0%, 100%] such as 2.5%.",
                                     numeric: [("minimum", 0), ("maximum", 1)],
                                     pattern: "^\(space)\\+?(?:0+(?:\\.[0-9]*)?|0*\\.[0-9]+|0*1(?:\\.0*)?"
                                        + "|(?:0*100(?:\\.0*)?|0*[0-9]{1,2}(?:\\.[0-9]*)?|0*\\.[0-9]+)\(space)%)\(space)$")),
            ("clock-time", ["description": .string("A clock time \"HH:MM\" (or \"HH:MM:SS\") within a day; \"24:00\" is allowed as an end. "
                                + "Quote it: unquoted, YAML 1.1 reads 06:30 as the number 390."),
                            "anyOf": [["type": "string",
                                       "pattern": .string("^\(space)(?:(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?|24:00(?::00)?)\(space)$")],
                                      ["type": "integer", "minimum": 0, "maximum": 86_400]]]),
            ("time-of-arrival", ["description": "A clock time \"HH:MM\" within the first day, or a duration ≥ 0 from the start.",
                                 "anyOf": [ref("clock-time"), ref("duration-or-zero")]]),
            ("count-value", integer(minimum: 0, description: "A whole number ≥ 0.")),
            ("rate-profile", profile(value: ref("rate-or-zero"), what: "Rates (120/h, or bare numbers per hour)")),
            ("schedule", profile(value: ref("count-value"), what: "Counts (booths, servers, officers)")),
            ("duration-distribution", distribution(.duration)),
            ("count-distribution", distribution(.count)),
        ]
        defs += parameters(.duration).map { ("duration-distribution-\($0.0)", $0.1) }
        defs += parameters(.count).map { ("count-distribution-\($0.0)", $0.1) }
        defs += [
            ("arrivals", arrivals),
            ("class", Grammar.trafficClass.schema),
            ("lane", Grammar.lane(classes: 0).schema),
            ("rule", rule),
            ("station", Grammar.station(violationTypes: 0).schema),
            ("intelligence-source", Grammar.intelligenceSource.schema),
            ("what-if", whatIf),
        ]
        defs.append(("observed", observedDefinition))
        return defs
    }

    static func integer(minimum: Int, description: String? = nil) -> JSONValue {
        var entries: [(String, JSONValue)] = []
        if let description { entries.append(("description", .string(description))) }
        entries.append(("anyOf", [["type": "integer", "minimum": .int(minimum)],
                                  ["type": "string", "pattern": .string(minimum > 0 ? "^\(space)\\+?0*[1-9][0-9]*\(space)$"
                                                                                    : "^\(space)\\+?[0-9]+\(space)$")]]))
        return .object(entries)
    }

    /// Profiles and schedules: a constant, an hourly list, daily ranges, or a CSV column.
    static func profile(value: JSONValue, what: String) -> JSONValue {
        ["description": .string(what + ": a constant; a list of 24 (by hour of day), 168 (by hour of week) or one value "
            + "per hour of the horizon; daily ranges; or a CSV column."),
         "anyOf": [
            value,
            ["type": "array", "minItems": 1, "items": value],
            record([("default", value),
                    ("ranges", ["type": "array", "items": record([("from", ref("clock-time")), ("to", ref("clock-time")),
                                                                  ("value", value)], required: ["from", "to", "value"])])],
                   required: ["ranges"], description: "Ranges within a day, with a default elsewhere."),
            record([("csv", ref("text", "CSV file, relative to the scenario file.")), ("column", ref("text")),
                    ("repeat", ["enum": ["daily", "weekly", "none"]])],
                   required: ["csv", "column"], description: "One row per hour from the start of the horizon."),
         ]]
    }

    // MARK: distributions

    /// Parameters of each named distribution, for durations (values with units) or counts (numbers).
    static func parameters(_ kind: DistributionReader.Kind) -> [(String, JSONValue)] {
        let dist = kind == .duration ? "duration-distribution" : "count-distribution"
        let pos: JSONValue = kind == .duration ? ref("duration") : ["type": "number", "exclusiveMinimum": 0]
        let nonneg: JSONValue = kind == .duration ? ref("duration-or-zero") : ["type": "number", "minimum": 0]
        let shape: JSONValue = ["type": "number", "exclusiveMinimum": 0]
        let none: (String) -> JSONValue = { key in ["required": [.string(key)]] }
        var out: [(String, JSONValue)] = [
            ("exponential", record([("mean", pos), ("rate", ref("rate"))],
                                   extra: [("anyOf", [["required": ["mean"]], ["required": ["rate"]]])])),
            ("erlang", record([("k", ref("integer-min1")), ("mean", pos)], required: ["k", "mean"])),
            ("gamma", record([("shape", shape), ("scale", pos)], required: ["shape", "scale"])),
            ("lognormal", record([("mean", pos), ("sd", pos), ("mu", ["type": "number"]), ("sigma", shape)],
                                 extra: [("anyOf", [["required": ["mu", "sigma"]],
                                                    ["required": ["mean", "sd"],
                                                     "not": ["anyOf": [none("mu"), none("sigma")]]]])])),
            ("weibull", record([("shape", shape), ("scale", pos)], required: ["shape", "scale"])),
            ("normal", record([("mean", nonneg), ("sd", pos)], required: ["mean", "sd"])),
            ("truncated-normal", record([("mean", nonneg), ("sd", pos), ("min", nonneg), ("max", nonneg)], required: ["mean", "sd"])),
            ("uniform", record([("min", nonneg), ("max", nonneg)], required: ["min", "max"])),
            ("triangular", record([("min", nonneg), ("mode", nonneg), ("max", nonneg)], required: ["min", "mode", "max"])),
            ("deterministic", pos),
            ("beta", record([("a", shape), ("b", shape), ("scale", pos), ("min", nonneg), ("max", nonneg)], required: ["a", "b"])),
            ("empirical", record([("samples", ["type": "array", "minItems": 1, "items": nonneg]),
                                  ("cdf", ["type": "array", "minItems": 1,
                                           "items": ["type": "array", "prefixItems": [nonneg, ref("probability")],
                                                     "minItems": 2, "maxItems": 2]]),
                                  ("interpolate", ref("boolean"))],
                                 extra: [("anyOf", [["required": ["samples"]], ["required": ["cdf"]]])])),
            ("mixture", ["type": "array", "minItems": 1, "items": .string("") /* replaced below */]),
        ]
        if kind == .count {
            out += [
                ("poisson", record([("mean", shape)], required: ["mean"])),
                ("binomial", record([("n", ref("integer-min1")), ("p", ref("probability"))], required: ["n", "p"])),
                ("geometric", record([("p", ref("probability"))], required: ["p"])),
            ]
        }
        // A mixture component: {weight: w, <one distribution>: parameters}.
        let names = out.map(\.0)
        let component: JSONValue = [
            "type": "object", "required": ["weight"], "minProperties": 2, "maxProperties": 2,
            "additionalProperties": false,
            "properties": .object([("weight", shape)] + names.map { ($0, ref("\(dist)-\($0)")) }),
        ]
        if let i = out.firstIndex(where: { $0.0 == "mixture" }) {
            out[i].1 = ["type": "array", "minItems": 1, "items": component]
        }
        return out
    }

    static func distribution(_ kind: DistributionReader.Kind) -> JSONValue {
        let dist = kind == .duration ? "duration-distribution" : "count-distribution"
        let params = kind == .duration ? DistributionReader.continuousNames
                                       : DistributionReader.continuousNames + DistributionReader.countNames
        let single: [JSONValue] = params.map { name in
            ["type": "object", "required": [.string(name)], "additionalProperties": false,
             "properties": .object([(name, ref("\(dist)-\(name)"))])]
        }
        let bare: JSONValue = kind == .duration
            ? ref("duration", "Deterministic.")
            : ["description": "Deterministic.", "anyOf": [["type": "number", "exclusiveMinimum": 0],
                                                          ["type": "string", "pattern": .string("^\(space)\(positive)\(space)$")]]]
        return ["description": .string(kind == .duration
                    ? "A distribution of durations: a bare duration (deterministic) or a single-key mapping such as {exponential: {mean: 45s}}."
                    : "A distribution of counts: a bare number or a single-key mapping such as {poisson: {mean: 40}}."),
                "anyOf": .array([bare] + single)]
    }

    // MARK: the model

    static var arrivals: JSONValue {
        func only(_ key: String, _ value: JSONValue) -> JSONValue {
            ["type": "object", "required": [.string(key)], "additionalProperties": false, "properties": .object([(key, value)])]
        }
        let batchTime: JSONValue = ["anyOf": [ref("time-of-arrival"),
                                              record([("at", ref("time-of-arrival")), ("size", ref("integer-min0"))], required: ["at"])]]
        let batches = record([("every", ["oneOf": [only("poisson", ref("rate")), only("profile", ref("rate-profile"))]]),
                              ("timetable", ["type": "array", "items": batchTime]),
                              ("size", ref("count-distribution", "Parties per batch.")),
                              ("spread", ref("duration-distribution", "Spread of a batch's arrivals after its time.")),
                              ("size-by-hour", ref("schedule", "Mean batch size over the day (whole numbers, e.g. passengers per flight by hour): `size` is rescaled to it."))],
                             required: ["size"],
                             extra: [("oneOf", [["required": ["every"]], ["required": ["timetable"]]])])
        let variants: [(String, JSONValue)] = [
            ("poisson", ref("rate", "Poisson arrivals at a constant rate.")),
            ("profile", ref("rate-profile", "Non-homogeneous Poisson arrivals.")),
            ("batches", batches),
            ("timetable", ["type": "array", "items": ref("time-of-arrival")]),
            ("trace", record([("csv", ref("text", "CSV with columns time [, trusted, advance-info, violation, risk-score]."))],
                             required: ["csv"])),
        ]
        precondition(variants.map(\.0) == ArrivalReader.kinds)
        return ["description": "Exactly one of poisson, profile, batches, timetable, trace.",
                "oneOf": .array(variants.map { only($0.0, $0.1) })]
    }

    /// A selection rule: `none`, `all`, or the mapping form with at most one score rule.
    static var rule: JSONValue {
        var pairs: [JSONValue] = []
        for (i, a) in Grammar.scoreRules.enumerated() {
            for b in Grammar.scoreRules[(i + 1)...] { pairs.append(["required": [.string(a), .string(b)]]) }
        }
        var mapping = Grammar.rule
        mapping.extraSchema = [("minProperties", 1), ("not", ["anyOf": .array(pairs)])]
        return ["description": .string("none | all | {random: p} | {threshold: T, random: p} | {target-fraction: f, random: p} "
                    + "| {congestion-aware: {threshold: T, slope: s, free-queue: n}, random: p}"),
                "anyOf": [["enum": ["none", "all"]], mapping.schema]]
    }

    /// A number in a range the model declares.
    static func number(in range: ValueRange) -> JSONValue {
        var entries: [(String, JSONValue)] = [("type", range.wholeNumbers ? "integer" : "number")]
        if let l = range.lower { entries.append((range.lowerOpen ? "exclusiveMinimum" : "minimum", .number(l))) }
        if let u = range.upper { entries.append((range.upperOpen ? "exclusiveMaximum" : "maximum", .number(u))) }
        return .object(entries)
    }

    static var whatIf: JSONValue {
        let knobs: [(String, JSONValue)] = [
            ("arrival-rate", ref("multiplier", "Multiplies every class's arrival rate (Poisson rates, profiles, "
                                 + "batches' 'every' process); timetables and traces take only 1.")),
            ("service-time", ref("multiplier", "Multiplies every service time (lanes: service and trusted-service; "
                                 + "stations: service and service-by-class).")),
            ("booths", ref("multiplier-or-zero", "Multiplies every lane's booth schedule, each value rounded to the nearest whole number.")),
            ("servers", ref("multiplier-or-zero", "Multiplies every station's server schedule, each value rounded to the nearest whole number.")),
        ]
        precondition(knobs.map(\.0) == WhatIf.keys)
        return record(knobs, description: "What-if knobs applied to the whole scenario (all optional, default 1).")
    }
}
