import BorderModel
import Yams

/// Checks that need the whole model: reachability, routing, and a quick capacity check.
struct ScenarioChecks {
    let yaml: YAMLReader
    let root: YAMLReader.Fields
    let classNodes: [(name: String, key: Node, value: Node)]
    let laneNodes: [(name: String, key: Node, value: Node)]
    let stationNodes: [(name: String, key: Node, value: Node)]

    func check(_ c: PortConfiguration) {
        let classesPath = root.path("classes"), lanesPath = root.path("lanes")
        // Every class with arrivals needs a lane that serves all of its parties.
        for (i, cls) in c.classes.enumerated() {
            let lanes = c.lanes.filter { $0.serves.contains(i) }
            let general = lanes.filter { !$0.trustedOnly }
            if lanes.isEmpty {
                yaml.error(classNodes[i].key, classesPath.appending(cls.name), "expected a lane that serves this class, found none")
            } else if general.isEmpty, cls.trustedShare < 1 {
                yaml.error(classNodes[i].key, classesPath.appending(cls.name),
                           "expected a lane for its non-trusted parties, found only trusted-only lanes (\(lanes.map(\.name).joined(separator: ", ")))")
            } else if lanes.allSatisfy({ $0.booths.maximum == 0 }) {
                yaml.warning(classNodes[i].key, classesPath.appending(cls.name),
                             "is served only by lanes that never open (\(lanes.map(\.name).joined(separator: ", ")))")
            }
        }
        // Routing must always lead to release.
        var reaches = c.stations.map { $0.onAlarm == .release || $0.onClear == .release }
        var changed = true
        while changed {
            changed = false
            for (s, st) in c.stations.enumerated() where !reaches[s] {
                for r in [st.onAlarm, st.onClear] {
                    if case .station(let n) = r, reaches[n] { reaches[s] = true; changed = true }
                }
            }
        }
        for (s, ok) in reaches.enumerated() where !ok {
            yaml.error(stationNodes[s].key, root.path("stations").appending(c.stations[s].name),
                       "expected routing that ends in release, found a cycle without exit (on-alarm and on-clear never lead to release)")
        }
        capacityCheck(c, lanesPath)
    }

    /// Warns where offered work exceeds open booths in some hour (utilisation above 1), per group
    /// of lanes that share classes.
    private func capacityCheck(_ c: PortConfiguration, _ lanesPath: KeyPath) {
        let hours = min(Int((c.horizon / 3600).rounded(.up)), 24 * 14)
        var group = Array(c.lanes.indices)              // union-find over lanes sharing a class
        func find(_ i: Int) -> Int { var i = i; while group[i] != i { i = group[i] }; return i }
        for cls in c.classes.indices {
            let lanes = c.lanes.indices.filter { c.lanes[$0].serves.contains(cls) }
            for l in lanes.dropFirst() { group[find(l)] = find(lanes[0]) }
        }
        var warned = Set<Int>()
        for h in 0..<hours {
            let t = Double(h) * 3600 + 1800
            var work = [Double](repeating: 0, count: c.lanes.count), booths = work
            for (l, lane) in c.lanes.enumerated() { booths[find(l)] += lane.booths.value(at: t) }
            for (i, cls) in c.classes.enumerated() {
                let lanes = c.lanes.indices.filter { c.lanes[$0].serves.contains(i) }
                guard let first = lanes.first else { continue }
                let means = lanes.compactMap { c.lanes[$0].service[i]?.mean }
                let meanService = means.reduce(0, +) / Double(max(means.count, 1))
                work[find(first)] += Self.rate(cls.arrivals, at: t) * meanService
            }
            for g in Set(c.lanes.indices.map(find)).sorted() where !warned.contains(g) && work[g] > booths[g] * 1.0001 && work[g] > 0 {
                warned.insert(g)
                let names = c.lanes.indices.filter { find($0) == g }.map { c.lanes[$0].name }
                yaml.warning(laneNodes[g].key, lanesPath.appending(c.lanes[g].name),
                             "utilisation above 1 at hour \(h) (lanes \(names.joined(separator: ", ")): offered work "
                             + "\(String(format: "%.1f", work[g])) booth-equivalents, \(String(format: "%.0f", booths[g])) booths open); queues will grow")
            }
        }
    }

    /// Mean arrival rate (parties per second) at time t, for the capacity check.
    static func rate(_ process: ArrivalProcess, at t: Double) -> Double {
        switch process {
        case .poisson(let r): return r
        case .profile(let p): return p.value(at: t)
        case .batches(let b):
            switch b.times {
            case .process(let p): return rate(p, at: t) * b.size.mean
            case .timetable(let list):
                let hour = (t / 3600).rounded(.down) * 3600
                return list.filter { $0.time >= hour && $0.time < hour + 3600 }
                    .reduce(0) { $0 + Double($1.size ?? Int(b.size.mean.rounded())) } / 3600
            }
        case .timetable(let times):
            let hour = (t / 3600).rounded(.down) * 3600
            return Double(times.filter { $0 >= hour && $0 < hour + 3600 }.count) / 3600
        case .trace(let parties):
            let hour = (t / 3600).rounded(.down) * 3600
            return Double(parties.filter { $0.time >= hour && $0.time < hour + 3600 }.count) / 3600
        }
    }
}
