import BorderModel
import Yams

/// A quick capacity check, hour by hour at mid-hour: the work offered to each group of lanes
/// that share classes (arrival rate × mean service) against its booths open, and the work
/// referred to each station (referral probability from the targeting rule and the score
/// mixture, then alarm/clear routing) against its servers. One warning for the lanes and one
/// per station, each naming the hours and the peak, so a planner knows what to change.
struct CapacityCheck {
    let yaml: YAMLReader
    let root: YAMLReader.Fields
    let laneNodes: [(name: String, key: Node, value: Node)]
    let stationNodes: [(name: String, key: Node, value: Node)]

    struct Excess { var hours: [Int] = []; var peak = 0.0; var peakHour = 0; var open = 0.0 }

    func check(_ c: PortConfiguration) {
        let hours = min(Int((c.horizon / 3600).rounded(.up)), 24 * 14)
        let groups = c.laneGroups
        func find(_ i: Int) -> Int { groups[i] }
        var lanes = [Int: Excess](), stations = [Int: Excess]()
        func note(_ table: inout [Int: Excess], _ key: Int, _ h: Int, work: Double, open: Double) {
            guard work > open * 1.0001, work > 0 else { return }
            var e = table[key] ?? Excess()
            e.hours.append(h)
            if work - open > e.peak - e.open || e.hours.count == 1 { e.peak = work; e.peakHour = h; e.open = open }
            table[key] = e
        }
        let referral = c.referralProbabilities, routes = c.primaryRoutes
        for h in 0..<hours {
            let t = Double(h) * 3600 + 1800
            var work = [Double](repeating: 0, count: c.lanes.count), booths = work
            for (l, lane) in c.lanes.enumerated() { booths[find(l)] += lane.booths.value(at: t) }
            var referred = 0.0
            for (i, cls) in c.classes.enumerated() {
                guard let route = routes[i] else { continue }
                let rate = cls.arrivals.meanRate(at: t)
                work[find(route.lane)] += rate * route.meanService
                referred += rate * referral[i]
            }
            for g in Set(c.lanes.indices.map(find)) { note(&lanes, g, h, work: work[g], open: booths[g]) }
            for (s, inflow) in c.stationInflow(rate: referred).enumerated() {
                note(&stations, s, h, work: inflow * c.stations[s].service.mean, open: c.stations[s].servers.value(at: t))
            }
        }
        if !lanes.isEmpty {
            let parts = lanes.keys.sorted().map { g -> String in
                let e = lanes[g]!
                let names = c.lanes.indices.filter { find($0) == g }.map { c.lanes[$0].name }.joined(separator: " + ")
                return "\(names) in \(Self.spans(e.hours)) (peak \(Self.one(e.peak)) booths' worth of work on "
                    + "\(Self.one(e.open)) open at \(Self.clock(e.peakHour)))"
            }
            let first = lanes.keys.min()!
            yaml.warning(laneNodes[first].key, root.path("lanes").appending(c.lanes[first].name),
                         "more work arrives than the open booths can serve (utilisation above 1), so queues grow through "
                         + "these hours: " + parts.joined(separator: "; ")
                         + ". Open more booths then (lanes.NAME.booths) or check the service times.")
        }
        for s in stations.keys.sorted() {
            let e = stations[s]!, st = c.stations[s]
            yaml.warning(stationNodes[s].key, root.path("stations").appending(st.name),
                         "more referred work arrives than its servers can serve (utilisation above 1) in "
                         + "\(Self.spans(e.hours)) (peak \(Self.one(e.peak)) servers' worth of work on \(Self.one(e.open)) at "
                         + "\(Self.clock(e.peakHour)), mean service \(Describe.duration(st.service.mean))), so its queue grows. "
                         + "Add servers (stations.\(st.name).servers), shorten the service or refer fewer parties.")
        }
    }

    /// Hours as clock spans: [2, 3, 4, 7] → "02:00–05:00, 07:00–08:00".
    static func spans(_ hours: [Int]) -> String {
        var out: [String] = [], i = 0
        while i < hours.count {
            var j = i
            while j + 1 < hours.count, hours[j + 1] == hours[j] + 1 { j += 1 }
            out.append("\(clock(hours[i]))–\(clock(hours[j] + 1))")
            i = j + 1
        }
        return out.count > 4 ? out.prefix(4).joined(separator: ", ") + " and \(out.count - 4) more spans" : out.joined(separator: ", ")
    }

    static func clock(_ hour: Int) -> String {
        hour <= 24 ? String(format: "%02d:00", hour) : "day \(hour / 24 + 1) " + String(format: "%02d:00", hour % 24)
    }

    static func one(_ x: Double) -> String { String(format: x == x.rounded() ? "%.0f" : "%.1f", x) }
}
