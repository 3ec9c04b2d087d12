import BorderModel
import Foundation
import SimKernel
import Yams

/// Turns the YAML node tree of a scenario into a `Scenario`, collecting every problem.
/// Names (classes, lanes, stations, violation types) are gathered first, so references can be
/// checked wherever they appear.
final class ScenarioReader {
    let yaml: YAMLReader
    var horizon = 86_400.0
    var classNames: [String] = []
    var laneNames: [String] = []
    var stationNames: [String] = []
    var violationTypes: [String] = []
    /// The `what-if:` knobs, read before the model so that each part is adjusted as it is read.
    var whatIf = WhatIf()

    static let topKeys = ["name", "description", "horizon", "warm-up", "replications", "seed", "violation-types",
                          "classes", "lanes", "targeting", "stations", "referral-station", "staffing", "metrics", "what-if",
                          "observed"]

    init(yaml: YAMLReader) { self.yaml = yaml }

    func durations() -> DistributionReader { DistributionReader(yaml: yaml, kind: .duration) }
    func schedule() -> ProfileReader { ProfileReader(yaml: yaml, kind: .count, horizon: horizon) }

    func read(_ root: Node, source: String, resolved: String, path: String) -> Scenario? {
        let top = KeyPath()
        guard let f = yaml.fields(root, top, allowed: Self.topKeys, required: ["name", "horizon", "classes", "lanes"])
        else { return nil }
        let name = f["name"].flatMap { yaml.text($0, f.path("name")) } ?? ""
        let description = f["description"].flatMap { yaml.text($0, f.path("description")) } ?? ""
        if let h = f["horizon"], let v = yaml.duration(h, f.path("horizon")) {
            horizon = v
            if let t = h.scalar?.string, let (n, unit) = Units.split(t), unit.isEmpty, v < 3600 {
                yaml.warning(h, f.path("horizon"), "a bare number is seconds, so the horizon is \(t) s; did you mean \(SweepPlanLoader.format(n))h?")
            }
        }
        if let w = f["what-if"] { whatIf = readWhatIf(w, f.path("what-if")) }
        var warmUp = 0.0
        if let w = f["warm-up"], let v = yaml.duration(w, f.path("warm-up"), positive: false) {
            warmUp = v
            if v >= horizon { yaml.error(w, f.path("warm-up"), "expected a warm-up shorter than the horizon, found \(yaml.text(w, f.path("warm-up")) ?? "")") }
        }
        let replications = f["replications"].flatMap { yaml.integer($0, f.path("replications"), minimum: 1) } ?? 10
        let seed = f["seed"].flatMap { yaml.integer($0, f.path("seed"), minimum: 0) }.map { UInt64($0) } ?? 1

        if let v = f["violation-types"], let items = yaml.list(v, f.path("violation-types"), of: "names") {
            var seen = Set<String>()   // linear in the number of types (10^5 types: issue 14)
            for (i, item) in items.enumerated() {
                guard let t = yaml.text(item, f.path("violation-types").index(i)) else { continue }
                if !seen.insert(t).inserted { yaml.error(item, f.path("violation-types").index(i), "duplicate violation type '\(t)'") }
                violationTypes.append(t)
            }
        }
        let classNodes = f["classes"].map { yaml.named($0, f.path("classes"), what: "class") } ?? []
        let laneNodes = f["lanes"].map { yaml.named($0, f.path("lanes"), what: "lane") } ?? []
        let stationNodes = f["stations"].map { yaml.named($0, f.path("stations"), what: "station") } ?? []
        classNames = classNodes.map(\.name)
        laneNames = laneNodes.map(\.name)
        stationNames = stationNodes.map(\.name)
        if let c = f["classes"], classNodes.isEmpty, !yaml.hasErrors { yaml.error(c, f.path("classes"), "expected at least one class, found none") }
        if let l = f["lanes"], laneNodes.isEmpty, !yaml.hasErrors { yaml.error(l, f.path("lanes"), "expected at least one lane, found none") }

        let classes = classNodes.compactMap { readClass($0.name, $0.value, f.path("classes").appending($0.name)) }
        let lanes = laneNodes.compactMap { readLane($0.name, $0.value, f.path("lanes").appending($0.name)) }
        let stations = stationNodes.compactMap { readStation($0.name, $0.value, f.path("stations").appending($0.name)) }
        let targeting = f["targeting"].flatMap { readTargeting($0, f.path("targeting")) } ?? TargetingPolicy()
        var referral: Int? = stationNames.isEmpty ? nil : 0
        if let r = f["referral-station"] { referral = yaml.reference(r, f.path("referral-station"), to: "station", in: stationNames) }
        let staffing = f["staffing"].flatMap { readStaffing($0, f.path("staffing")) }
        var metrics = MetricOptions()
        var trace = false
        if let m = f["metrics"], let g = yaml.fields(m, f.path("metrics"), allowed: ["queue-sample-interval", "series-bin", "trace", "wait-thresholds"]) {
            if let n = g["queue-sample-interval"], let v = yaml.duration(n, g.path("queue-sample-interval")) { metrics.queueSampleInterval = v }
            if let n = g["series-bin"], let v = yaml.duration(n, g.path("series-bin")) { metrics.seriesBin = v }
            if let n = g["trace"], let v = yaml.bool(n, g.path("trace")) { trace = v }
            if let n = g["wait-thresholds"], let items = yaml.list(n, g.path("wait-thresholds"), of: "durations") {
                let values = items.enumerated().compactMap { yaml.duration($1, g.path("wait-thresholds").index($0)) }
                if values.count == items.count {
                    if zip(values, values.dropFirst()).allSatisfy({ $0 < $1 }) && values.allSatisfy({ $0 > 0 }) && values.count <= 20 {
                        metrics.waitThresholds = values
                    } else {
                        yaml.error(n, g.path("wait-thresholds"), "expected at most 20 increasing durations > 0")
                    }
                }
            }
        }
        let observed = f["observed"].flatMap { readObserved($0, f.path("observed")) }
        guard !yaml.hasErrors, classes.count == classNodes.count, lanes.count == laneNodes.count,
              stations.count == stationNodes.count else { return nil }
        let config = PortConfiguration(name: name, horizon: horizon, warmUp: warmUp, violationTypes: violationTypes,
                                       classes: classes, lanes: lanes, targeting: targeting, stations: stations,
                                       referralStation: referral, staffing: staffing, metrics: metrics)
        ScenarioChecks(yaml: yaml, root: f, classNodes: classNodes, laneNodes: laneNodes,
                       stationNodes: stationNodes).check(config)
        guard !yaml.hasErrors else { return nil }
        return Scenario(name: name, description: description, config: config, replications: replications, seed: seed,
                        trace: trace, sourceText: source, resolvedText: resolved, path: path,
                        warnings: yaml.problems.filter { $0.severity == .warning }, observed: observed)
    }

    // MARK: classes

    static let classKeys = ["kind", "arrivals", "trusted-share", "advance-info-share", "violations", "risk",
                            "patience", "balking", "priority"]

    func readClass(_ name: String, _ node: Node, _ path: KeyPath) -> TrafficClass? {
        guard let f = yaml.fields(node, path, allowed: Self.classKeys, required: ["kind", "arrivals"]) else { return nil }
        var kind: TrafficKind?
        if let k = f["kind"], let t = yaml.text(k, f.path("kind")) {
            kind = TrafficKind(rawValue: t)
            if kind == nil {
                let all = TrafficKind.allCases.map(\.rawValue)
                let hint = suggestion(for: t, among: all).map { "; did you mean '\($0)'?" } ?? ""
                yaml.error(k, f.path("kind"), "expected one of \(all.joined(separator: ", ")), found '\(t)'\(hint)")
            }
        }
        let arrivals = f["arrivals"].flatMap { ArrivalReader(reader: self).read($0, f.path("arrivals")) }
            .flatMap { whatIfArrivals($0, ofClass: name) }
        let trusted = f["trusted-share"].map { yaml.probability($0, f.path("trusted-share")) } ?? 0
        let advance = f["advance-info-share"].map { yaml.probability($0, f.path("advance-info-share")) } ?? 0
        var violations: [ViolationPrevalence] = []
        if let v = f["violations"] {
            violations = probabilitiesByType(v, f.path("violations"), what: "violation type (see violation-types)")
                .map { ViolationPrevalence(type: $0.type, prevalence: $0.probability) }
            if violations.reduce(0, { $0 + $1.prevalence }) > 1 {
                yaml.error(v, f.path("violations"), "expected prevalences that sum to at most 100% (a party carries one violation at most)")
            }
        }
        var risk = RiskScoreModel(auc: 0.75)
        if let r = f["risk"], let g = yaml.fields(r, f.path("risk"), allowed: ["auc", "auc-with-advance-info"], required: ["auc"]) {
            let aucRule = "an AUC strictly between 0.5 and 1"
            if let a = g["auc"], let v = yaml.number(a, g.path("auc"), expected: aucRule, valid: { $0 > 0.5 && $0 < 1 }) { risk.auc = v }
            if let a = g["auc-with-advance-info"] {
                risk.aucWithAdvanceInfo = yaml.number(a, g.path("auc-with-advance-info"), expected: aucRule, valid: { $0 > 0.5 && $0 < 1 })
            }
        }
        let patience = f["patience"].flatMap { durations().read($0, f.path("patience")) }
        var balking: BalkingRule?
        if let b = f["balking"], let g = yaml.fields(b, f.path("balking"), allowed: ["queue-length", "probability"], required: ["queue-length"]) {
            let q = g["queue-length"].flatMap { yaml.integer($0, g.path("queue-length"), minimum: 1) }
            let p = g["probability"].map { yaml.probability($0, g.path("probability")) } ?? 1
            if let q, let p { balking = BalkingRule(queueLength: q, probability: p) }
        }
        let priority = f["priority"].flatMap { yaml.number($0, f.path("priority"), expected: "a whole number from -1000 to 1000",
                                                            valid: { $0 == $0.rounded() && abs($0) <= 1000 }) }
        guard let kind, let arrivals, let trusted, let advance, f["priority"] == nil || priority != nil else { return nil }
        return TrafficClass(name: name, kind: kind, arrivals: arrivals, trustedShare: trusted, advanceInfoShare: advance,
                            violations: violations, risk: risk, patience: patience, balking: balking,
                            priority: Int(priority ?? 0))
    }

    /// A mapping from violation-type names to probabilities, e.g. `{narcotics: 80%}`.
    func probabilitiesByType(_ node: Node, _ path: KeyPath, what: String = "violation type")
        -> [(type: Int, probability: Double)] {
        yaml.named(node, path, what: "violation type").compactMap { name, key, value in
            guard let t = yaml.reference(key, path.appending(name), to: what, in: violationTypes),
                  let p = yaml.probability(value, path.appending(name)) else { return nil }
            return (t, p)
        }
    }

    /// The same, as a table indexed by violation type (0 where not given).
    func byTypeTable(_ node: Node, _ path: KeyPath) -> [Double] {
        var table = [Double](repeating: 0, count: violationTypes.count)
        for (t, p) in probabilitiesByType(node, path) { table[t] = p }
        return table
    }

    // MARK: lanes

    static let laneKeys = ["serves", "trusted-only", "booths", "extra-booths", "service", "trusted-service", "capacity",
                           "primary-detection", "dynamic-opening", "speed-up"]

    func readLane(_ name: String, _ node: Node, _ path: KeyPath) -> Lane? {
        guard let f = yaml.fields(node, path, allowed: Self.laneKeys, required: ["serves", "booths", "service"]) else { return nil }
        var serves: [Int] = []
        var servesRead = false   // a valid list of defined classes: only then are service keys checked against it
        if let s = f["serves"], let items = yaml.list(s, f.path("serves"), of: "class names") {
            serves = items.enumerated().compactMap { yaml.reference($1, f.path("serves").index($0), to: "class", in: classNames) }
            if items.isEmpty { yaml.error(s, f.path("serves"), "expected at least one class, found an empty list") }
            servesRead = serves.count == items.count
        }
        let trustedOnly = f["trusted-only"].map { yaml.bool($0, f.path("trusted-only")) } ?? false
        let extra = f["extra-booths"].flatMap { yaml.signedInteger($0, f.path("extra-booths")) } ?? 0   // an error is recorded
        let booths = f["booths"].flatMap { schedule().read($0, f.path("booths")) }
            .map { WhatIf.adjust($0, multiplier: whatIf.booths, extra: extra) }
        var service = [Distribution?](repeating: nil, count: classNames.count)
        var trustedService = service
        var given = Set<Int>()   // classes with a service entry, valid or not (no second "missing" error)
        for (key, target) in [("service", 0), ("trusted-service", 1)] {
            guard let s = f[key] else { continue }
            for (cls, k, v) in yaml.named(s, f.path(key), what: "class") {
                guard let c = yaml.reference(k, f.path(key).appending(cls), to: "class", in: classNames) else { continue }
                if target == 0 { given.insert(c) }
                guard let read = durations().read(v, f.path(key).appending(cls)),
                      let d = whatIfService(read, for: "lane \(name), \(key == "service" ? "" : "trusted ")class \(cls)")
                else { continue }
                if servesRead, !serves.contains(c) { yaml.error(k, f.path(key).appending(cls), "expected a class this lane serves (\(serves.map { classNames[$0] }.joined(separator: ", "))), found '\(cls)'") }
                if target == 0 { service[c] = d } else { trustedService[c] = d }
            }
        }
        if let s = f["service"] {
            for c in serves where service[c] == nil && !given.contains(c) {
                yaml.error(s, f.path("service"), "missing a service time for class '\(classNames[c])', which the lane serves")
            }
        }
        let capacity = f["capacity"].flatMap { yaml.integer($0, f.path("capacity"), minimum: 1) }
        let detection = f["primary-detection"].map { byTypeTable($0, f.path("primary-detection")) }
            ?? Array(repeating: 0, count: violationTypes.count)
        let opening = f["dynamic-opening"].flatMap { readDynamicOpening($0, f.path("dynamic-opening")) }
        let speedUp = f["speed-up"].flatMap { readSpeedUp($0, f.path("speed-up")) }
        guard let trustedOnly, let booths, f["capacity"] == nil || capacity != nil,
              f["dynamic-opening"] == nil || opening != nil, f["speed-up"] == nil || speedUp != nil else { return nil }
        return Lane(name: name, serves: serves, trustedOnly: trustedOnly, booths: booths, service: service,
                    trustedService: trustedService, capacity: capacity, primaryDetection: detection,
                    dynamicOpening: opening, speedUp: speedUp)
    }

    /// `{open-above: Q, close-below: q, max-booths: N}`: parties waiting per open booth.
    func readDynamicOpening(_ node: Node, _ path: KeyPath) -> DynamicOpening? {
        guard let g = yaml.fields(node, path, allowed: ["open-above", "close-below", "max-booths"],
                                  required: ["open-above", "close-below"]) else { return nil }
        let perBooth = "a number of parties per open booth, from 0 to 10000"
        let above = g["open-above"].flatMap { yaml.number($0, g.path("open-above"), expected: perBooth, valid: { $0 >= 0 && $0 <= 10_000 }) }
        let below = g["close-below"].flatMap { yaml.number($0, g.path("close-below"), expected: perBooth, valid: { $0 >= 0 && $0 <= 10_000 }) }
        let most = g["max-booths"].flatMap { yaml.integer($0, g.path("max-booths"), minimum: 1) }
        guard let above, let below, g["max-booths"] == nil || most != nil else { return nil }
        if most.map({ $0 > 100_000 }) ?? false {
            yaml.error(g["max-booths"]!, g.path("max-booths"), "expected at most 100000 booths")
            return nil
        }
        guard below < above else {
            yaml.error(g["close-below"]!, g.path("close-below"), "expected close-below below open-above (\(above)), found \(below)")
            return nil
        }
        return DynamicOpening(openAbove: above, closeBelow: below, maxBooths: most)
    }

    /// `{from: Q0, to: Q1, max: S}`: service times divided by up to S as the queue per booth grows.
    func readSpeedUp(_ node: Node, _ path: KeyPath) -> LoadDependentService? {
        guard let g = yaml.fields(node, path, allowed: ["from", "to", "max"], required: ["from", "to", "max"]) else { return nil }
        let perBooth = "a number of parties waiting per open booth, from 0 to 10000"
        let from = g["from"].flatMap { yaml.number($0, g.path("from"), expected: perBooth, valid: { $0 >= 0 && $0 <= 10_000 }) }
        let to = g["to"].flatMap { yaml.number($0, g.path("to"), expected: perBooth, valid: { $0 >= 0 && $0 <= 10_000 }) }
        let most = g["max"].flatMap { yaml.number($0, g.path("max"), expected: "a speed-up factor from 1 to 10", valid: { $0 >= 1 && $0 <= 10 }) }
        guard let from, let to, let most else { return nil }
        guard from < to else {
            yaml.error(g["to"]!, g.path("to"), "expected 'to' above 'from' (\(from)), found \(to)")
            return nil
        }
        return LoadDependentService(from: from, to: to, maxSpeedUp: most)
    }

    // MARK: targeting

    func readTargeting(_ node: Node, _ path: KeyPath) -> TargetingPolicy? {
        guard let f = yaml.fields(node, path, allowed: ["rule", "per-class", "trusted"]) else { return nil }
        var policy = TargetingPolicy()
        if let r = f["rule"], let rule = readRule(r, f.path("rule")) { policy.rule = rule }
        if let p = f["per-class"] {
            for (cls, k, v) in yaml.named(p, f.path("per-class"), what: "class") {
                guard let c = yaml.reference(k, f.path("per-class").appending(cls), to: "class", in: classNames),
                      let rule = readRule(v, f.path("per-class").appending(cls)) else { continue }
                policy.perClass[c] = rule
            }
        }
        if let t = f["trusted"] { policy.trusted = readRule(t, f.path("trusted")) }
        return policy
    }

    static let ruleNames = ["none", "all", "random", "threshold", "target-fraction", "congestion-aware"]

    func readRule(_ node: Node, _ path: KeyPath) -> SelectionRule? {
        if case .scalar(let s) = node {
            switch s.string {
            case "none": return SelectionRule.none
            case "all": return .all
            default:
                let hint = suggestion(for: s.string, among: Self.ruleNames).map { "; did you mean '\($0)'?" } ?? ""
                yaml.error(node, path, "expected none, all, or a mapping such as {threshold: 2.0, random: 1%}, found '\(s.string)'\(hint)")
                return nil
            }
        }
        guard let f = yaml.fields(node, path, allowed: ["random", "threshold", "target-fraction", "congestion-aware"]) else { return nil }
        let random = f["random"].map { yaml.probability($0, f.path("random")) } ?? 0
        guard let random else { return nil }
        let scoreRules = ["threshold", "target-fraction", "congestion-aware"].filter { f[$0] != nil }
        if scoreRules.count > 1 {
            yaml.error(node, path, "expected one of threshold, target-fraction or congestion-aware, found \(scoreRules.joined(separator: " and "))")
            return nil
        }
        if let t = f["threshold"] {
            return yaml.number(t, f.path("threshold"), expected: "a score threshold (a number)").map { .threshold($0, randomRate: random) }
        }
        if let t = f["target-fraction"] {
            return yaml.probability(t, f.path("target-fraction")).map { .targetFraction($0, randomRate: random) }
        }
        if let c = f["congestion-aware"] {
            guard let g = yaml.fields(c, f.path("congestion-aware"), allowed: ["threshold", "slope", "free-queue"],
                                      required: ["threshold", "slope"]),
                  let tn = g["threshold"], let sn = g["slope"],
                  let t = yaml.number(tn, g.path("threshold")),
                  let s = yaml.number(sn, g.path("slope"), expected: "a slope ≥ 0", valid: { $0 >= 0 }) else { return nil }
            let q = g["free-queue"].map { yaml.integer($0, g.path("free-queue"), minimum: 0) } ?? 0
            guard let q else { return nil }
            return .congestionAware(threshold: t, slope: s, freeQueue: q, randomRate: random)
        }
        if f["random"] == nil { yaml.error(node, path, "expected a rule: none, all, {random: p}, {threshold: T}, {target-fraction: f} or {congestion-aware: ...}") ; return nil }
        return .random(rate: random)
    }
}
