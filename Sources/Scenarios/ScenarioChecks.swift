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

    /// The stations of a routing loop, in order, or nil when routing never returns to a station.
    func routingLoop(_ c: PortConfiguration) -> [Int]? {
        var state = [Int](repeating: 0, count: c.stations.count)   // 0 new, 1 on the path, 2 done
        var path: [Int] = []
        func visit(_ s: Int) -> [Int]? {
            state[s] = 1
            path.append(s)
            for r in [c.stations[s].onAlarm, c.stations[s].onClear] {
                guard case .station(let n) = r else { continue }
                if state[n] == 1 { return Array(path[path.firstIndex(of: n)!...]) }
                if state[n] == 0, let loop = visit(n) { return loop }
            }
            path.removeLast()
            state[s] = 2
            return nil
        }
        for s in c.stations.indices where state[s] == 0 {
            if let loop = visit(s) { return loop }
        }
        return nil
    }
}
