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
        let classesPath = root.path("classes")
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
        // Routing must not loop: a party sent back to a station it left could circulate for ever.
        if let loop = routingLoop(c) {
            let names = loop.map { c.stations[$0].name }
            yaml.error(stationNodes[loop[0]].key, root.path("stations").appending(names[0]),
                       "expected routing without loops (on-alarm and on-clear lead to stations further on), "
                       + "found the loop \((names + [names[0]]).joined(separator: " → "))")
            return
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
        CapacityCheck(yaml: yaml, root: root, laneNodes: laneNodes, stationNodes: stationNodes).check(c)
    }

    /// The stations of a loop that parties without a violation cannot leave (the routing
    /// sends them on with certainty: both outcomes to the next station, or a false-alarm rate of
    /// 100 % or 0 % on the route taken), in order; nil if there is none. Loops that parties can
    /// leave (re-screening) are allowed.
    func routingLoop(_ c: PortConfiguration) -> [Int]? {
        func certainNext(_ s: Int) -> Int? {
            let st = c.stations[s]
            var p: [Int: Double] = [:]
            if case .station(let n) = st.onAlarm { p[n, default: 0] += st.falseAlarmRate }
            if case .station(let n) = st.onClear { p[n, default: 0] += 1 - st.falseAlarmRate }
            return p.first { $0.value >= 1 }?.key
        }
        for start in c.stations.indices {
            var path = [start]
            while let n = certainNext(path.last!), path.count <= c.stations.count {
                if let i = path.firstIndex(of: n) { return Array(path[i...]) }
                path.append(n)
            }
        }
        return nil
    }
}
