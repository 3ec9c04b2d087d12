import BorderModel
import Yams

/// A lane while it is read: the model's lane plus what later keys need to know.
struct LaneDraft {
    var lane: Lane
    var extraBooths = 0
    /// `serves` was a valid list of defined classes: only then are service keys checked against it.
    var servesRead = false
    /// Classes with a service entry, valid or not (no second "missing" error).
    var given = Set<Int>()
}

/// `lanes.NAME`: a primary lane. Absent keys keep `Lane`'s own defaults.
extension Grammar {
    static func lane(classes: Int) -> Record<LaneDraft> {
        let blank = Lane(name: "", serves: [], booths: .constant(0), service: Array(repeating: nil, count: classes))
        return Record(blank: LaneDraft(lane: blank), [
            .custom("serves", required: true, ["type": "array", "minItems": 1, "items": ScenarioSchema.ref("text", "A class name.")]) { r, node, path, d in
                guard let items = r.yaml.list(node, path, of: "class names") else { return false }
                d.lane.serves = items.enumerated().compactMap { r.yaml.reference($1, path.index($0), to: "class", in: r.classNames) }
                if items.isEmpty { r.yaml.error(node, path, "expected at least one class, found an empty list") }
                d.servesRead = !items.isEmpty && d.lane.serves.count == items.count
                return d.servesRead
            },
            .bool("trusted-only", \.lane.trustedOnly, help: "Serves only parties enrolled in a trusted programme."),
            .extra("extra-booths", \.extraBooths, of: "booths", knob: "what-if.booths"),
            .schedule("booths", \.lane.booths, extra: \.extraBooths, multiplier: \.booths, help: "Booths open over time."),
            .custom("service", required: true, ScenarioSchema.mapOf(ScenarioSchema.ref("duration-distribution"), "Service time by class.")) { r, node, path, d in
                let ok = r.readServiceTimes(node, path, trusted: false, into: &d)
                for c in d.lane.serves where d.lane.service[c] == nil && !d.given.contains(c) {
                    r.yaml.error(node, path, "missing a service time for class '\(r.classNames[c])', which the lane serves")
                }
                return ok
            },
            .custom("trusted-service", ScenarioSchema.mapOf(ScenarioSchema.ref("duration-distribution"), "Service time of trusted parties by class.")) { r, node, path, d in
                r.readServiceTimes(node, path, trusted: true, into: &d)
            },
            .integer("capacity", \.lane.capacity, minimum: 1, help: "Places in the queue (not counting those at booths); default unlimited."),
            .custom("primary-detection", ScenarioSchema.mapOf(ScenarioSchema.ref("probability"), "Detection at primary by violation type.")) { r, node, path, d in
                d.lane.primaryDetection = r.byTypeTable(node, path)
                return true
            },
            .record("dynamic-opening", \.lane.dynamicOpening, dynamicOpening),
            .record("speed-up", \.lane.speedUp, speedUp),
        ])
    }

    /// `lanes.NAME.dynamic-opening`: supervisors open booths as the queue grows.
    static var dynamicOpening: Record<DynamicOpening> {
        let perBooth = "a number of parties per open booth,", range = DynamicOpening.perBooth
        return Record(help: "Supervisors open an extra booth at open-above parties waiting per open booth, close one at close-below.",
                      blank: DynamicOpening(openAbove: 0, closeBelow: 0), [
            .number("open-above", \.openAbove, range, what: perBooth, required: true),
            .number("close-below", \.closeBelow, range, what: perBooth, required: true),
            .custom("max-booths", ScenarioSchema.number(in: DynamicOpening.boothLimit),
                    help: "Most booths open in all (default: the schedule's maximum).") { r, node, path, d in
                guard let v = r.number(node, path, DynamicOpening.boothLimit, what: "a whole number of booths") else { return false }
                d.maxBooths = Int(v)
                return true
            },
        ], checks: [{ r, f, d in
            guard d.closeBelow < d.openAbove else {
                r.yaml.error(f["close-below"], f.path("close-below"), "expected close-below below open-above (\(d.openAbove)), found \(d.closeBelow)")
                return false
            }
            return true
        }])
    }

    /// `lanes.NAME.speed-up`: load-dependent service.
    static var speedUp: Record<LoadDependentService> {
        let perBooth = "a number of parties waiting per open booth,", range = LoadDependentService.perBooth
        return Record(help: "Load-dependent service: times divided by up to max as parties waiting per open booth go from 'from' to 'to'.",
                      blank: LoadDependentService(from: 0, to: 0, maxSpeedUp: 1), [
            .number("from", \.from, range, what: perBooth, required: true),
            .number("to", \.to, range, what: perBooth, required: true),
            .number("max", \.maxSpeedUp, LoadDependentService.factors, what: "a speed-up factor", required: true),
        ], checks: [{ r, f, s in
            guard s.from < s.to else {
                r.yaml.error(f["to"], f.path("to"), "expected 'to' above 'from' (\(s.from)), found \(s.to)")
                return false
            }
            return true
        }])
    }
}

extension ScenarioReader {
    /// `service` or `trusted-service`: a duration distribution by class, adjusted by what-if.
    func readServiceTimes(_ node: Node, _ path: KeyPath, trusted: Bool, into d: inout LaneDraft) -> Bool {
        var ok = true
        for (cls, k, v) in yaml.named(node, path, what: "class") {
            guard let c = yaml.reference(k, path.appending(cls), to: "class", in: classNames) else { ok = false; continue }
            if !trusted { d.given.insert(c) }
            guard let read = durations().read(v, path.appending(cls)),
                  let dist = whatIfService(read, for: "lane \(d.lane.name), \(trusted ? "trusted " : "")class \(cls)")
            else { ok = false; continue }
            if d.servesRead, !d.lane.serves.contains(c) {
                yaml.error(k, path.appending(cls), "expected a class this lane serves (\(d.lane.serves.map { classNames[$0] }.joined(separator: ", "))), found '\(cls)'")
                ok = false
            }
            if trusted { d.lane.trustedService[c] = dist } else { d.lane.service[c] = dist }
        }
        return ok
    }
}
