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
        var group = Array(c.lanes.indices)              // union-find over lanes sharing a class
        func find(_ i: Int) -> Int { var i = i; while group[i] != i { i = group[i] }; return i }
        for cls in c.classes.indices {
            let lanes = c.lanes.indices.filter { c.lanes[$0].serves.contains(cls) }
            for l in lanes.dropFirst() { group[find(l)] = find(lanes[0]) }
        }
        var lanes = [Int: Excess](), stations = [Int: Excess]()
        func note(_ table: inout [Int: Excess], _ key: Int, _ h: Int, work: Double, open: Double) {
            guard work > open * 1.0001, work > 0 else { return }
            var e = table[key] ?? Excess()
            e.hours.append(h)
            if work - open > e.peak - e.open || e.hours.count == 1 { e.peak = work; e.peakHour = h; e.open = open }
            table[key] = e
        }
        let referral = referralProbabilities(c)
        for h in 0..<hours {
            let t = Double(h) * 3600 + 1800
            var work = [Double](repeating: 0, count: c.lanes.count), booths = work
            for (l, lane) in c.lanes.enumerated() { booths[find(l)] += lane.booths.value(at: t) }
            var referred = 0.0
            for (i, cls) in c.classes.enumerated() {
                let serving = c.lanes.indices.filter { c.lanes[$0].serves.contains(i) }
                guard let first = serving.first else { continue }
                let means = serving.compactMap { c.lanes[$0].service[i]?.mean }
                let meanService = means.reduce(0, +) / Double(max(means.count, 1))
                let rate = Self.rate(cls.arrivals, at: t)
                work[find(first)] += rate * meanService
                referred += rate * referral[i]
            }
            for g in Set(c.lanes.indices.map(find)) { note(&lanes, g, h, work: work[g], open: booths[g]) }
            if let start = c.referralStation {
                for (s, inflow) in stationInflow(c, start: start, rate: referred).enumerated() {
                    note(&stations, s, h, work: inflow * c.stations[s].service.mean, open: c.stations[s].servers.value(at: t))
                }
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

    /// Expected share of each class referred at primary (parties of no trusted programme and
    /// trusted ones weighted by the trusted share); the congestion-aware rule at its base threshold.
    func referralProbabilities(_ c: PortConfiguration) -> [Double] {
        c.classes.enumerated().map { i, cls in
            let mixture = ScoreMixture(trafficClass: cls, classIndex: i, sources: c.intelligence)
            func p(_ rule: SelectionRule) -> Double {
                switch rule {
                case .none: return 0
                case .all: return 1
                case .random(let r): return r
                case .threshold(let t, let r): let s = mixture.survival(t); return s + (1 - s) * r
                case .targetFraction(let f, let r): return f + (1 - f) * r
                case .congestionAware(let t, _, _, let r): let s = mixture.survival(t); return s + (1 - s) * r
                }
            }
            let rule = p(c.targeting.perClass[i] ?? c.targeting.rule)
            let trusted = c.targeting.trusted.map(p) ?? rule
            return (1 - cls.trustedShare) * rule + cls.trustedShare * trusted
        }
    }

    /// Parties per second entering each station, from the referral station down the routing
    /// (no loops: checked before), with an alarm probability of false-alarm-rate (violators are
    /// few; their extra alarms are ignored in this quick check).
    func stationInflow(_ c: PortConfiguration, start: Int, rate: Double) -> [Double] {
        var inflow = [Double](repeating: 0, count: c.stations.count)
        func send(_ s: Int, _ r: Double, _ depth: Int) {
            guard depth <= c.stations.count, r > 0 else { return }
            inflow[s] += r
            let st = c.stations[s], alarm = st.falseAlarmRate
            if case .station(let n) = st.onAlarm { send(n, r * alarm, depth + 1) }
            if case .station(let n) = st.onClear { send(n, r * (1 - alarm), depth + 1) }
        }
        send(start, rate, 0)
        return inflow
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
