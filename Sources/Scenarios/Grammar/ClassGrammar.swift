import BorderModel
import Yams

/// `classes.NAME`: a traffic class. Absent keys keep `TrafficClass`'s own defaults.
extension Grammar {
    static var trafficClass: Record<TrafficClass> {
        Record(blank: blankClass, [
            .custom("kind", required: true, ["enum": ScenarioSchema.strings(TrafficKind.allCases.map(\.rawValue))]) { r, node, path, c in
                guard let t = r.yaml.text(node, path) else { return false }
                guard let kind = TrafficKind(rawValue: t) else {
                    let all = TrafficKind.allCases.map(\.rawValue)
                    let hint = suggestion(for: t, among: all).map { "; did you mean '\($0)'?" } ?? ""
                    r.yaml.error(node, path, "expected one of \(all.joined(separator: ", ")), found '\(t)'\(hint)")
                    return false
                }
                c.kind = kind
                return true
            },
            .custom("arrivals", required: true, ScenarioSchema.ref("arrivals")) { r, node, path, c in
                guard let read = ArrivalReader(reader: r).read(node, path), let a = r.whatIfArrivals(read, ofClass: c.name)
                else { return false }
                c.arrivals = a
                return true
            },
            .probability("trusted-share", \.trustedShare, help: "Share enrolled in a trusted-traveller programme."),
            .probability("advance-info-share", \.advanceInfoShare, help: "Share with advance information (manifest, API/PNR)."),
            .custom("violations", ScenarioSchema.mapOf(ScenarioSchema.ref("probability"), "Prevalence by violation type.")) { r, node, path, c in
                c.violations = r.probabilitiesByType(node, path, what: "violation type (see violation-types)")
                    .map { ViolationPrevalence(type: $0.type, prevalence: $0.probability) }
                guard c.violations.reduce(0, { $0 + $1.prevalence }) <= 1 else {
                    r.yaml.error(node, path, "expected prevalences that sum to at most 100% (a party carries one violation at most)")
                    return false
                }
                return true
            },
            .record("risk", \.risk, risk, default: { ["auc": .number($0.risk.auc)] }),
            .durations("patience", \.patience, help: "Renege after waiting this long."),
            .record("balking", \.balking, balking),
            .custom("priority", ScenarioSchema.number(in: TrafficClass.priorities),
                    help: "Non-preemptive priority in queues (higher first).", default: { .int($0.priority) }) { r, node, path, c in
                guard let v = r.number(node, path, TrafficClass.priorities, what: "a whole number") else { return false }
                c.priority = Int(v)
                return true
            },
        ])
    }

    /// A class with the model's defaults; `kind` and `arrivals` are required keys.
    static var blankClass: TrafficClass { TrafficClass(name: "", kind: .passengerVehicle, arrivals: .poisson(rate: 0)) }

    /// `risk`: the binormal score's separation, as AUCs.
    static var risk: Record<RiskScoreModel> {
        Record(help: "Quality of the risk score (binormal model).", blank: blankClass.risk, [
            .number("auc", \.auc, RiskScoreModel.validAUC, what: "an AUC", required: true,
                    help: "Area under the ROC curve of the risk score."),
            .number("auc-with-advance-info", \.aucWithAdvanceInfo, RiskScoreModel.validAUC, what: "an AUC",
                    help: "AUC for parties with advance information (default: auc)."),
        ])
    }

    /// `balking`: turning away from a long queue.
    static var balking: Record<BalkingRule> {
        Record(help: "Parties turn away from a long queue.", blank: BalkingRule(queueLength: 1), [
            .integer("queue-length", \.queueLength, minimum: 1, required: true,
                     help: "The shortest queue the party may join holds at least this many."),
            .probability("probability", \.probability, help: "Chance of turning away then."),
        ])
    }
}

/// The scenario grammar: every mapping with fixed keys, declared once (see `Record`).
enum Grammar {}
