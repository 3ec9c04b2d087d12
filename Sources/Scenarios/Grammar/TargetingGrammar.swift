import BorderModel
import Yams

/// A selection rule's mapping form while it is read: `{threshold: T, random: p}` and the like.
struct RuleDraft {
    var random = 0.0
    var threshold: Double?
    var targetFraction: Double?
    var congestion: CongestionDraft?

    var rule: SelectionRule {
        if let t = threshold { return .threshold(t, randomRate: random) }
        if let f = targetFraction { return .targetFraction(f, randomRate: random) }
        if let c = congestion {
            return .congestionAware(threshold: c.threshold, slope: c.slope, freeQueue: c.freeQueue, randomRate: random)
        }
        return .random(rate: random)
    }
}

struct CongestionDraft {
    var threshold = 0.0
    var slope = 0.0
    var freeQueue = 0
}

/// `targeting`: who is referred to secondary. Absent keys keep `TargetingPolicy`'s defaults.
extension Grammar {
    static let scoreRules = ["threshold", "target-fraction", "congestion-aware"]

    static var targeting: Record<TargetingPolicy> {
        Record(help: "Referral to secondary (default rule: none).", blank: TargetingPolicy(), [
            .custom("rule", ScenarioSchema.ref("rule")) { r, node, path, p in
                guard let rule = r.readRule(node, path) else { return false }
                p.rule = rule
                return true
            },
            .custom("per-class", ScenarioSchema.mapOf(ScenarioSchema.ref("rule"), "Rules by class name.")) { r, node, path, p in
                var ok = true
                for (cls, k, v) in r.yaml.named(node, path, what: "class") {
                    guard let c = r.yaml.reference(k, path.appending(cls), to: "class", in: r.classNames),
                          let rule = r.readRule(v, path.appending(cls)) else { ok = false; continue }
                    p.perClass[c] = rule
                }
                return ok
            },
            .custom("trusted", ScenarioSchema.ref("rule", "The rule for trusted parties.")) { r, node, path, p in
                guard let rule = r.readRule(node, path) else { return false }
                p.trusted = rule
                return true
            },
        ])
    }

    /// A rule's mapping form; at most one score rule, and some key.
    static var rule: Record<RuleDraft> {
        Record(blank: RuleDraft(), [
            .probability("random", \.random, help: "Share referred at random, whatever the score."),
            .number("threshold", \.threshold, .finite, what: "a score threshold (a number)", help: "Refer when the risk score exceeds this."),
            .custom("target-fraction", ScenarioSchema.ref("probability"), help: "Refer this share of the highest scores.") { r, node, path, d in
                guard let v = r.yaml.probability(node, path) else { return false }
                d.targetFraction = v
                return true
            },
            .record("congestion-aware", \.congestion, congestionAware),
        ], checks: [{ r, f, _ in
            let given = scoreRules.filter { f[$0] != nil }
            if given.count > 1 {
                r.yaml.error(f.node, f.path, "expected one of threshold, target-fraction or congestion-aware, found \(given.joined(separator: " and "))")
                return false
            }
            if given.isEmpty && f["random"] == nil {
                r.yaml.error(f.node, f.path, "expected a rule: none, all, {random: p}, {threshold: T}, {target-fraction: f} or {congestion-aware: ...}")
                return false
            }
            return true
        }])
    }

    static var congestionAware: Record<CongestionDraft> {
        Record(help: "A threshold that rises with the referral station's queue.", blank: CongestionDraft(), [
            .number("threshold", \.threshold, .finite, required: true, help: "The threshold with no queue."),
            .number("slope", \.slope, .atLeast(0), what: "a slope", required: true,
                    help: "Rise of the threshold per party queued beyond free-queue."),
            .integer("free-queue", \.freeQueue, minimum: 0, help: "Queue the threshold ignores."),
        ])
    }
}

extension ScenarioReader {
    /// `none`, `all`, or the mapping form of `Grammar.rule`.
    func readRule(_ node: Node, _ path: KeyPath) -> SelectionRule? {
        if case .scalar(let s) = node {
            switch s.string {
            case "none": return SelectionRule.none
            case "all": return .all
            default:
                let names = ["none", "all"] + Grammar.rule.keys
                let hint = suggestion(for: s.string, among: names).map { "; did you mean '\($0)'?" } ?? ""
                yaml.error(node, path, "expected none, all, or a mapping such as {threshold: 2.0, random: 1%}, found '\(s.string)'\(hint)")
                return nil
            }
        }
        var draft = RuleDraft()
        return Grammar.rule.read(self, node, path, into: &draft) ? draft.rule : nil
    }
}
