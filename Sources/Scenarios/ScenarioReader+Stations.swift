import BorderModel
import SimKernel
import Yams

/// Secondary stations and staffing.
extension ScenarioReader {
    static let stationKeys = ["servers", "extra-servers", "service", "service-by-class", "discipline", "sensitivity",
                              "false-alarm-rate", "on-alarm", "on-clear", "downtime"]

    func readStation(_ name: String, _ node: Node, _ path: KeyPath) -> SecondaryStation? {
        guard let f = yaml.fields(node, path, allowed: Self.stationKeys, required: ["servers", "service"]) else { return nil }
        let extra = f["extra-servers"].flatMap { yaml.signedInteger($0, f.path("extra-servers")) } ?? 0   // an error is recorded
        let servers = f["servers"].flatMap { schedule().read($0, f.path("servers")) }
            .map { WhatIf.adjust($0, multiplier: whatIf.servers, extra: extra) }
        let service = f["service"].flatMap { durations().read($0, f.path("service")) }
            .flatMap { whatIfService($0, for: "station \(name)") }
        var byClass: [Int: Distribution] = [:]
        if let s = f["service-by-class"] {
            for (cls, k, v) in yaml.named(s, f.path("service-by-class"), what: "class") {
                guard let c = yaml.reference(k, f.path("service-by-class").appending(cls), to: "class", in: classNames),
                      let read = durations().read(v, f.path("service-by-class").appending(cls)),
                      let d = whatIfService(read, for: "station \(name), class \(cls)") else { continue }
                byClass[c] = d
            }
        }
        var discipline = SecondaryStation.Discipline.fifo
        if let d = f["discipline"], let t = yaml.text(d, f.path("discipline")) {
            if let v = SecondaryStation.Discipline(rawValue: t) { discipline = v } else {
                yaml.error(d, f.path("discipline"), "expected fifo or highest-risk-first, found '\(t)'")
            }
        }
        let sensitivity = f["sensitivity"].map { byTypeTable($0, f.path("sensitivity")) }
            ?? Array(repeating: 0, count: violationTypes.count)
        let falseAlarm = f["false-alarm-rate"].map { yaml.probability($0, f.path("false-alarm-rate")) } ?? 0
        let onAlarm = f["on-alarm"].map { route($0, f.path("on-alarm")) } ?? .release
        let onClear = f["on-clear"].map { route($0, f.path("on-clear")) } ?? .release
        var downtime: Downtime?
        if let d = f["downtime"] {
            guard let g = yaml.fields(d, f.path("downtime"), allowed: ["between-failures", "repair", "while-down"],
                                      required: ["between-failures", "repair"]) else { return nil }
            let tbf = g["between-failures"].flatMap { durations().read($0, g.path("between-failures")) }
            let repair = g["repair"].flatMap { durations().read($0, g.path("repair")) }
            var behaviour: Downtime.WhileDown? = .queueWaits
            if let w = g["while-down"] { behaviour = whileDown(w, g.path("while-down")) }
            guard let tbf, let repair, let behaviour else { return nil }
            downtime = Downtime(timeBetweenFailures: tbf, repairTime: repair, whileDown: behaviour)
        }
        guard let servers, let service, let falseAlarm, let onAlarm, let onClear else { return nil }
        return SecondaryStation(name: name, servers: servers, service: service, serviceByClass: byClass,
                                discipline: discipline, sensitivity: sensitivity, falseAlarmRate: falseAlarm,
                                onAlarm: onAlarm, onClear: onClear, downtime: downtime)
    }

    func route(_ node: Node, _ path: KeyPath) -> Route? {
        guard let t = yaml.text(node, path) else { return nil }
        if t == "release" { return .release }
        return yaml.reference(node, path, to: "station (or release)", in: stationNames).map { .station($0) }
    }

    func whileDown(_ node: Node, _ path: KeyPath) -> Downtime.WhileDown? {
        if case .scalar(let s) = node {
            switch s.string {
            case "queue": return .queueWaits
            case "release-unscreened": return .releaseUnscreened
            default:
                yaml.error(node, path, "expected queue, release-unscreened or {divert: STATION}, found '\(s.string)'")
                return nil
            }
        }
        guard let f = yaml.fields(node, path, allowed: ["divert"], required: ["divert"]), let d = f["divert"] else { return nil }
        return yaml.reference(d, f.path("divert"), to: "station", in: stationNames).map { .divert(to: $0) }
    }

    func readStaffing(_ node: Node, _ path: KeyPath) -> Staffing? {
        guard let f = yaml.fields(node, path, allowed: ["on-duty", "order", "rebalance"], required: ["on-duty"]) else { return nil }
        let onDuty = f["on-duty"].flatMap { schedule().read($0, f.path("on-duty")) }
        var order: [Position]?
        if let o = f["order"], let items = yaml.list(o, f.path("order"), of: "lane or station names") {
            order = items.enumerated().compactMap { i, item in
                guard let t = yaml.text(item, f.path("order").index(i)) else { return nil }
                if let l = laneNames.firstIndex(of: t) { return .lane(l) }
                if let s = stationNames.firstIndex(of: t) { return .station(s) }
                _ = yaml.reference(item, f.path("order").index(i), to: "lane or station", in: laneNames + stationNames)
                return nil
            }
        }
        var rebalance: RebalanceRule?
        if let r = f["rebalance"] {
            guard let g = yaml.fields(r, f.path("rebalance"), allowed: ["station", "from-lanes", "raise-at", "lower-at", "max-moved"],
                                      required: ["station", "from-lanes", "raise-at", "lower-at"]) else { return nil }
            let station = g["station"].flatMap { yaml.reference($0, g.path("station"), to: "station", in: stationNames) }
            var lanes: [Int] = []
            if let l = g["from-lanes"], let items = yaml.list(l, g.path("from-lanes"), of: "lane names") {
                lanes = items.enumerated().compactMap { yaml.reference($1, g.path("from-lanes").index($0), to: "lane", in: laneNames) }
            }
            let raise = g["raise-at"].flatMap { yaml.integer($0, g.path("raise-at"), minimum: 1) }
            let lower = g["lower-at"].flatMap { yaml.integer($0, g.path("lower-at"), minimum: 0) }
            let maxMoved = g["max-moved"].map { yaml.integer($0, g.path("max-moved"), minimum: 1) } ?? 1
            if let raise, let lower, lower >= raise {
                yaml.error(r, f.path("rebalance"), "expected lower-at below raise-at, found lower-at \(lower) ≥ raise-at \(raise)")
            }
            if let station, let raise, let lower, let maxMoved {
                rebalance = RebalanceRule(station: station, fromLanes: lanes, raiseAt: raise, lowerAt: lower, maxMoved: maxMoved)
            }
        }
        guard let onDuty else { return nil }
        return Staffing(onDuty: onDuty, order: order, rebalance: rebalance)
    }
}
