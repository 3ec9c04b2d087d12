import Foundation

/// How full the port can get: the expected flows of a configuration hour by hour, as the
/// capacity warnings (`CapacityCheck`) and the resource budget use them. A fluid model: mean
/// rates in, mean service capacity out, queues carried from hour to hour.
extension PortConfiguration {
    /// Expected share of each class referred at primary (parties of no trusted programme and
    /// trusted ones weighted by the trusted share); the congestion-aware rule at its base threshold.
    public var referralProbabilities: [Double] {
        classes.enumerated().map { i, cls in
            let mixture = ScoreMixture(trafficClass: cls, classIndex: i, sources: intelligence)
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
            let rule = p(targeting.perClass[i] ?? targeting.rule)
            let trusted = targeting.trusted.map(p) ?? rule
            return (1 - cls.trustedShare) * rule + cls.trustedShare * trusted
        }
    }

    /// Parties per second entering each station when `rate` are referred, from the referral
    /// station down the routing (no loops: checked before), with an alarm probability of the
    /// false-alarm rate (violators are few; their extra alarms are ignored).
    public func stationInflow(rate: Double) -> [Double] {
        var inflow = [Double](repeating: 0, count: stations.count)
        func send(_ s: Int, _ r: Double, _ depth: Int) {
            guard depth <= stations.count, r > 0 else { return }
            inflow[s] += r
            let st = stations[s], alarm = st.falseAlarmRate
            if case .station(let n) = st.onAlarm { send(n, r * alarm, depth + 1) }
            if case .station(let n) = st.onClear { send(n, r * (1 - alarm), depth + 1) }
        }
        if let start = referralStation { send(start, rate, 0) }
        return inflow
    }

    /// Where each class is served at primary: the first lane serving it (its group stands for
    /// all) and the mean service time over its lanes; nil for a class no lane serves.
    public var primaryRoutes: [(lane: Int, meanService: Double)?] {
        classes.indices.map { i in
            let serving = lanes.indices.filter { lanes[$0].serves.contains(i) }
            guard let first = serving.first else { return nil }
            let means = serving.compactMap { lanes[$0].service[i]?.mean }
            return (first, means.reduce(0, +) / Double(max(means.count, 1)))
        }
    }

    /// Groups of lanes that share a class (their queues balance): each lane's group leader.
    public var laneGroups: [Int] {
        var group = Array(lanes.indices)
        func find(_ i: Int) -> Int { var i = i; while group[i] != i { i = group[i] }; return i }
        for cls in classes.indices {
            let serving = lanes.indices.filter { lanes[$0].serves.contains(cls) }
            for l in serving.dropFirst() { group[find(l)] = find(serving[0]) }
        }
        return lanes.indices.map(find)
    }

    /// An upper bound on the parties in the port at once — what the party pool holds. Hour by
    /// hour over the whole horizon, each lane group's and station's queue is carried forward as
    /// max(0, queue + (arrivals − capacity) × 1 h); the peak of queue + booths, summed, doubled,
    /// plus ten peak hours of arrivals and three standard deviations of a random walk over the
    /// run (the fluctuations of a queue near or at capacity). Classes that arrive from a list
    /// (timetable, trace) count whole. Never above `arrivalBound`: a port that serves what
    /// arrives stays small over any horizon; one whose arrivals outrun service grows with it.
    public var occupancyBound: Double {
        let total = arrivalBound
        guard total.isFinite, horizon.isFinite, horizon > 0 else { return total }   // unchecked input: no loop over it
        let groups = laneGroups, referral = referralProbabilities, routes = primaryRoutes
        var listed = 0.0
        var rated: [(cls: Int, first: Int, meanService: Double)] = []
        for (i, cls) in classes.enumerated() {
            switch cls.arrivals {
            case .timetable, .trace: listed += PortConfiguration.arrivalBound(of: cls.arrivals, horizon: horizon); continue
            case .batches(let b): if case .timetable = b.times { listed += PortConfiguration.arrivalBound(of: cls.arrivals, horizon: horizon); continue }
            default: break
            }
            guard let route = routes[i] else { continue }
            rated.append((i, route.lane, route.meanService))
        }
        var laneQueue = [Double](repeating: 0, count: lanes.count), lanePeak = laneQueue
        var stationQueue = [Double](repeating: 0, count: stations.count), stationPeak = stationQueue
        var peakHourly = 0.0
        let hours = Int(min((horizon / 3600).rounded(.up), 1e7))
        let leaders = Array(Set(groups)).sorted()
        var arriving = [Double](repeating: 0, count: lanes.count), work = arriving, booths = arriving
        for h in 0..<hours {
            let t = Double(h) * 3600 + 1800
            for l in lanes.indices { arriving[l] = 0; work[l] = 0; booths[l] = 0 }
            for l in lanes.indices { booths[groups[l]] += lanes[l].booths.value(at: t) }
            var referred = 0.0
            for r in rated {
                let rate = classes[r.cls].arrivals.meanRate(at: t)
                arriving[groups[r.first]] += rate
                work[groups[r.first]] += rate * r.meanService
                referred += rate * referral[r.cls]
            }
            peakHourly = max(peakHourly, arriving.reduce(0, +) * 3600)
            for g in leaders {
                // Capacity in parties per second: open booths over the mean service of what arrives.
                let service = arriving[g] > 0 ? work[g] / arriving[g] : 1
                let capacity = service > 0 ? booths[g] / service : .infinity
                laneQueue[g] = max(0, laneQueue[g] + (arriving[g] - capacity) * 3600)
                lanePeak[g] = max(lanePeak[g], laneQueue[g] + booths[g])
            }
            for (s, inflow) in stationInflow(rate: referred).enumerated() {
                let servers = stations[s].servers.value(at: t), mean = stations[s].service.mean
                let capacity = mean > 0 ? servers / mean : .infinity
                stationQueue[s] = max(0, stationQueue[s] + (inflow - capacity) * 3600)
                stationPeak[s] = max(stationPeak[s], stationQueue[s] + servers)
            }
        }
        let fluid = lanePeak.reduce(0, +) + stationPeak.reduce(0, +)
        return min(total, listed + 2 * fluid + 10 * peakHourly + 3 * total.squareRoot())
    }
}

extension ArrivalProcess {
    /// Mean arrival rate (parties per second) at time t; lists count the hour around t.
    public func meanRate(at t: Double) -> Double {
        switch self {
        case .poisson(let r): return r
        case .profile(let p): return p.value(at: t)
        case .batches(let b):
            switch b.times {
            case .process(let p): return p.meanRate(at: t) * b.size.mean
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
