import BorderModel
import SimKernel
import Yams

/// A station while it is read: the model's station plus the extra servers `servers` needs.
struct StationDraft {
    var station: SecondaryStation
    var extraServers = 0
}

/// `stations.NAME` (secondary inspection) and `staffing`. Absent keys keep the model's defaults.
extension Grammar {
    /// Stands for a required distribution until its key is read.
    static var placeholder: Distribution { try! Distribution.deterministic(0) }

    static func station(violationTypes: Int) -> Record<StationDraft> {
        let blank = SecondaryStation(name: "", servers: .constant(0), service: placeholder,
                                     sensitivity: Array(repeating: 0, count: violationTypes))
        let route: JSONValue = ScenarioSchema.ref("text", "A station name, or release.")
        return Record(blank: StationDraft(station: blank), [
            .extra("extra-servers", \.extraServers, of: "servers", knob: "what-if.servers"),
            .schedule("servers", \.station.servers, extra: \.extraServers, multiplier: \.servers,
                      help: "Servers (officers, scanners) over time."),
            .custom("service", required: true, ScenarioSchema.ref("duration-distribution")) { r, node, path, d in
                guard let read = r.durations().read(node, path), let s = r.whatIfService(read, for: "station \(d.station.name)")
                else { return false }
                d.station.service = s
                return true
            },
            .custom("service-by-class", ScenarioSchema.mapOf(ScenarioSchema.ref("duration-distribution"), "Service time by class.")) { r, node, path, d in
                var ok = true
                for (cls, k, v) in r.yaml.named(node, path, what: "class") {
                    guard let c = r.yaml.reference(k, path.appending(cls), to: "class", in: r.classNames),
                          let read = r.durations().read(v, path.appending(cls)),
                          let s = r.whatIfService(read, for: "station \(d.station.name), class \(cls)") else { ok = false; continue }
                    d.station.serviceByClass[c] = s
                }
                return ok
            },
            .custom("discipline", ["enum": ScenarioSchema.strings(["fifo", "highest-risk-first"])],
                    default: { .string($0.station.discipline.rawValue) }) { r, node, path, d in
                guard let t = r.yaml.text(node, path) else { return false }
                guard let v = SecondaryStation.Discipline(rawValue: t) else {
                    r.yaml.error(node, path, "expected fifo or highest-risk-first, found '\(t)'")
                    return false
                }
                d.station.discipline = v
                return true
            },
            .custom("sensitivity", ScenarioSchema.mapOf(ScenarioSchema.ref("probability"), "Detection by violation type.")) { r, node, path, d in
                d.station.sensitivity = r.byTypeTable(node, path)
                return true
            },
            .probability("false-alarm-rate", \.station.falseAlarmRate, help: "Share of clean parties the station flags."),
            .custom("on-alarm", route) { r, node, path, d in
                guard let v = r.route(node, path) else { return false }
                d.station.onAlarm = v
                return true
            },
            .custom("on-clear", route) { r, node, path, d in
                guard let v = r.route(node, path) else { return false }
                d.station.onClear = v
                return true
            },
            .record("downtime", \.station.downtime, downtime),
        ])
    }

    /// `stations.NAME.downtime`: failures and repairs.
    static var downtime: Record<Downtime> {
        Record(help: "The station fails and is repaired.", blank: Downtime(timeBetweenFailures: placeholder, repairTime: placeholder), [
            .custom("between-failures", required: true, ScenarioSchema.ref("duration-distribution")) { r, node, path, d in
                guard let v = r.durations().read(node, path) else { return false }
                d.timeBetweenFailures = v
                return true
            },
            .custom("repair", required: true, ScenarioSchema.ref("duration-distribution")) { r, node, path, d in
                guard let v = r.durations().read(node, path) else { return false }
                d.repairTime = v
                return true
            },
            .custom("while-down", ["anyOf": [["enum": ["queue", "release-unscreened"]],
                                             ScenarioSchema.record([("divert", ScenarioSchema.ref("text", "A station name."))], required: ["divert"])]],
                    help: "What parties do while it is down (default: queue).") { r, node, path, d in
                guard let v = r.whileDown(node, path) else { return false }
                d.whileDown = v
                return true
            },
        ])
    }

    /// `staffing`: officers on duty and where they go.
    static var staffing: Record<Staffing> {
        Record(blank: Staffing(onDuty: .constant(0)), [
            .custom("on-duty", required: true, ScenarioSchema.ref("schedule", "Officers on duty.")) { r, node, path, s in
                guard let v = r.schedule().read(node, path) else { return false }
                s.onDuty = v
                return true
            },
            .custom("order", ["type": "array", "items": ScenarioSchema.ref("text", "A lane or station name.")],
                    help: "Positions filled first when officers are short.") { r, node, path, s in
                guard let items = r.yaml.list(node, path, of: "lane or station names") else { return false }
                let order: [Position] = items.enumerated().compactMap { i, item in
                    guard let t = r.yaml.text(item, path.index(i)) else { return nil }
                    if let l = r.laneNames.firstIndex(of: t) { return .lane(l) }
                    if let st = r.stationNames.firstIndex(of: t) { return .station(st) }
                    _ = r.yaml.reference(item, path.index(i), to: "lane or station", in: r.laneNames + r.stationNames)
                    return nil
                }
                s.order = order
                return order.count == items.count
            },
            .record("rebalance", \.rebalance, rebalance),
        ])
    }

    /// `staffing.rebalance`: officers move from lanes to a station whose queue grows.
    static var rebalance: Record<RebalanceRule> {
        Record(help: "Officers move from lanes to a station as its queue grows.",
               blank: RebalanceRule(station: 0, fromLanes: [], raiseAt: 1, lowerAt: 0, maxMoved: 1), [
            .custom("station", required: true, ScenarioSchema.ref("text")) { r, node, path, rule in
                guard let s = r.yaml.reference(node, path, to: "station", in: r.stationNames) else { return false }
                rule.station = s
                return true
            },
            .custom("from-lanes", required: true, ["type": "array", "items": ScenarioSchema.ref("text")]) { r, node, path, rule in
                guard let items = r.yaml.list(node, path, of: "lane names") else { return false }
                rule.fromLanes = items.enumerated().compactMap { r.yaml.reference($1, path.index($0), to: "lane", in: r.laneNames) }
                return rule.fromLanes.count == items.count
            },
            .integer("raise-at", \.raiseAt, minimum: 1, required: true, help: "Queue length at the station that moves an officer there."),
            .integer("lower-at", \.lowerAt, minimum: 0, required: true, help: "Queue length at which one goes back."),
            .integer("max-moved", \.maxMoved, minimum: 1, help: "Most officers moved at once."),
        ], checks: [{ r, f, rule in
            guard rule.lowerAt < rule.raiseAt else {
                r.yaml.error(f.node, f.path, "expected lower-at below raise-at, found lower-at \(rule.lowerAt) ≥ raise-at \(rule.raiseAt)")
                return false
            }
            return true
        }])
    }
}
