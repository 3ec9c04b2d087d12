import BorderModel
import Yams

/// An intelligence source while it is read: every kind's keys, checked against its kind at the end.
struct SourceDraft {
    var kind = "score"
    var classes: [Int]?
    var coverage = 1.0
    var timeliness = 1.0
    var agency: String?
    var shared = true
    var auc: Double?
    var aucByType: [Double?] = []
    var hitRate: [Double]?
    var falseHitRate = 0.0
    var onHit = IntelligenceSource.OnHit.refer
    var detects: Int?
    var sensitivity: Double?
    var serviceFactor = 1.0

    /// Keys that belong to one kind only.
    static let kindKeys = ["score": ["auc", "auc-by-violation"], "watchlist": ["hit-rate", "false-hit-rate", "on-hit"],
                           "biometric": ["detects", "sensitivity", "service-factor"]]
    static let required = ["score": ["auc"], "watchlist": ["hit-rate"], "biometric": ["detects", "sensitivity"]]

    func source(_ name: String, classCount: Int) -> IntelligenceSource {
        let evidence: IntelligenceSource.Evidence
        switch kind {
        case "watchlist": evidence = .watchlist(hitRate: hitRate ?? [], falseHitRate: falseHitRate, onHit: onHit)
        case "biometric": evidence = .biometric(detects: detects ?? 0, sensitivity: sensitivity ?? 0, serviceFactor: serviceFactor)
        default: evidence = .score(auc: auc ?? 0.5, aucByType: aucByType)
        }
        return IntelligenceSource(name: name, classes: classes ?? Array(0..<classCount), coverage: coverage,
                                  timeliness: timeliness, agency: agency, shared: shared, evidence: evidence)
    }
}

/// `intelligence.NAME`: a source of intelligence (see `IntelligenceSource`).
extension Grammar {
    static let sourceKinds = ["score", "watchlist", "biometric"]

    static var intelligenceSource: Record<SourceDraft> {
        let byType = { (value: JSONValue, help: String) in ScenarioSchema.mapOf(value, help) }
        return Record(help: "A source of intelligence: a partner agency's lookouts, passenger data (API/PNR), cargo filings (ISF), a watchlist, biometric checks.",
                      blank: SourceDraft(), [
            .custom("kind", ["enum": ScenarioSchema.strings(sourceKinds)], help: "score (a risk signal), watchlist (hits) or biometric (identity checks at primary).",
                    default: { .string($0.kind) }) { r, node, path, d in
                guard let t = r.yaml.text(node, path) else { return false }
                guard sourceKinds.contains(t) else {
                    let hint = suggestion(for: t, among: sourceKinds).map { "; did you mean '\($0)'?" } ?? ""
                    r.yaml.error(node, path, "expected one of \(sourceKinds.joined(separator: ", ")), found '\(t)'\(hint)")
                    return false
                }
                d.kind = t
                return true
            },
            .custom("covers", ["type": "array", "minItems": 1, "items": ScenarioSchema.ref("text", "A class name.")],
                    help: "Classes it covers (default: all).") { r, node, path, d in
                guard let items = r.yaml.list(node, path, of: "class names") else { return false }
                let classes = items.enumerated().compactMap { r.yaml.reference($1, path.index($0), to: "class", in: r.classNames) }
                if items.isEmpty { r.yaml.error(node, path, "expected at least one class, found an empty list") }
                d.classes = classes
                return !items.isEmpty && classes.count == items.count
            },
            .probability("coverage", \.coverage, help: "Share of the covered classes' parties it holds information on."),
            .probability("timeliness", \.timeliness, help: "Share of its information that reaches the officer before primary; the rest reaches secondary."),
            .custom("agency", ScenarioSchema.ref("text"), help: "The partner agency that holds it (default: the port's own agency).") { r, node, path, d in
                guard let t = r.yaml.text(node, path) else { return false }
                d.agency = t
                return true
            },
            .bool("shared", \.shared, help: "Whether the partner agency shares it (a sharing agreement); the port's own sources are always used."),
            .number("auc", \.auc, RiskScoreModel.validAUC, what: "an AUC", help: "kind score: how well its signal separates violators."),
            .custom("auc-by-violation", byType(ScenarioSchema.number(in: RiskScoreModel.validAUC), "kind score: AUC by violation type (default: auc).")) { r, node, path, d in
                var table = [Double?](repeating: nil, count: r.violationTypes.count), ok = true
                for (name, key, value) in r.yaml.named(node, path, what: "violation type") {
                    guard let t = r.yaml.reference(key, path.appending(name), to: "violation type (see violation-types)", in: r.violationTypes),
                          let v = r.number(value, path.appending(name), RiskScoreModel.validAUC, what: "an AUC") else { ok = false; continue }
                    table[t] = v
                }
                d.aucByType = table
                return ok
            },
            .custom("hit-rate", byType(ScenarioSchema.ref("probability"), "kind watchlist: P(hit) for a violator, by violation type (default 0).")) { r, node, path, d in
                d.hitRate = r.byTypeTable(node, path)
                return true
            },
            .probability("false-hit-rate", \.falseHitRate, help: "kind watchlist: P(hit) for a party without a violation."),
            .custom("on-hit", ["anyOf": [["enum": ["refer"]],
                                         ScenarioSchema.record([("raise-score", ["type": "number", "minimum": 0])], required: ["raise-score"])]],
                    help: "kind watchlist: refer the party (default), or {raise-score: x} add x to its fused score.") { r, node, path, d in
                if case .scalar(let s) = node {
                    guard s.string == "refer" else {
                        r.yaml.error(node, path, "expected refer or {raise-score: x}, found '\(s.string)'")
                        return false
                    }
                    d.onHit = .refer
                    return true
                }
                guard let f = r.yaml.fields(node, path, allowed: ["raise-score"], required: ["raise-score"]), let n = f["raise-score"],
                      let x = r.number(n, f.path("raise-score"), .closed(0, 100), what: "a score rise") else { return false }
                d.onHit = .raiseScore(x)
                return true
            },
            .custom("detects", ScenarioSchema.ref("text", "A violation type."), help: "kind biometric: the violation type it detects (e.g. identity fraud).") { r, node, path, d in
                guard let t = r.yaml.reference(node, path, to: "violation type (see violation-types)", in: r.violationTypes) else { return false }
                d.detects = t
                return true
            },
            .custom("sensitivity", ScenarioSchema.ref("probability"), help: "kind biometric: P(detect) for a party with that violation.") { r, node, path, d in
                guard let p = r.yaml.probability(node, path) else { return false }
                d.sensitivity = p
                return true
            },
            .number("service-factor", \.serviceFactor, IntelligenceSource.serviceFactors, what: "a service-time factor",
                    help: "kind biometric: primary service takes this many times as long for covered parties (0.7: faster)."),
        ], checks: [{ r, f, d in
            var ok = true
            for (kind, keys) in SourceDraft.kindKeys where kind != d.kind {
                for key in keys where f[key] != nil {
                    r.yaml.error(f[key], f.path(key), "'\(key)' belongs to kind \(kind), but this source is kind \(d.kind)")
                    ok = false
                }
            }
            for key in SourceDraft.required[d.kind] ?? [] where f[key] == nil {
                r.yaml.error(f.node, f.path, "missing required key '\(key)' for a source of kind \(d.kind)")
                ok = false
            }
            return ok
        }])
    }
}

extension ScenarioReader {
    /// `intelligence`: sources by name.
    func readIntelligence(_ node: Node, _ path: KeyPath) -> [IntelligenceSource]? {
        var sources: [IntelligenceSource] = [], ok = true
        for (name, _, value) in yaml.named(node, path, what: "intelligence source") {
            var d = Grammar.intelligenceSource.blank
            if Grammar.intelligenceSource.read(self, value, path.appending(name), into: &d) {
                sources.append(d.source(name, classCount: classNames.count))
            } else {
                ok = false
            }
        }
        return ok ? sources : nil
    }
}
