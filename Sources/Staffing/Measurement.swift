import BorderModel
import Experiments
import Foundation
import SimKernel

/// What one set of replications of a plan measured, for the targets and the search: each
/// target's value by hour and over the day, replication by replication, and each planned
/// position's load and pressure by hour.
public struct Measurement: Sendable {
    /// `hourly[target][hour][replication]` (NaN: nobody measured in that hour), and
    /// `daily[target][replication]`.
    public var hourly: [[[Double]]]
    public var daily: [[Double]]
    /// `load[position][hour]`: mean busy positions (the carried load, in positions).
    public var load: [[Double]]
    /// `arrivals[position][hour]`: mean parties joining per hour (lanes only; NaN for stations).
    public var arrivals: [[Double]]
    /// `pressure[position][hour]`: where one more position helps a daily target most — a lane's
    /// total wait in the hour, a station's mean queue.
    public var pressure: [[Double]]
    /// Per replication: the mean primary wait over every party served at every lane, seconds.
    public var meanWaitAll: [Double]

    /// Runs replications `first ..< first + count` of `config` and measures them. The same seed,
    /// count and first replication give the same streams whatever the plan (common random numbers).
    public static func run(_ config: PortConfiguration, targets: [ResolvedTarget], positions: [Position], grid: HourGrid,
                           seed: UInt64, replications count: Int, first: Int = 0, threads: Int?) throws -> Measurement {
        let results = try ReplicationRunner.run(config, seed: seed, replications: count, first: first, threads: threads)
        return Measurement(results: results, config: config, targets: targets, positions: positions, grid: grid)
    }

    public init(results: [ReplicationResult], config: PortConfiguration, targets: [ResolvedTarget],
                positions: [Position], grid: HourGrid) {
        let lanes = config.lanes.count, stations = config.stations.count
        func hourMean(_ r: ReplicationResult, _ h: Int, _ f: (Int) -> Double) -> Double {
            let v = grid.bins[h].map(f).filter { !$0.isNaN }
            return v.isEmpty ? .nan : v.reduce(0, +) / Double(v.count)
        }
        hourly = targets.map { t in
            (0..<grid.count).map { h in
                results.map { r -> Double in
                    guard case .lane(let l) = t.position, t.scope == .everyHour else { return .nan }
                    let s = r.series
                    return hourMean(r, h) { b in
                        guard b < s.bins else { return .nan }
                        let i = b * lanes + l
                        switch t.target.metric {
                        case .p95Wait: return s.p95Wait[i]
                        case .meanWait: return s.meanWait[i]
                        case .shareOver: return s.shareWaitOver[t.thresholdIndex!][i]
                        case .meanCrossing: return s.timeInSystem[i]
                        case .capacity: return .nan
                        }
                    }
                }
            }
        }
        daily = targets.map { t in
            results.map { r -> Double in
                let w: WaitSummary
                switch t.position {
                case .lane(let l):
                    if t.target.metric == .meanCrossing {
                        let flows = (0..<r.classNames.count).map { r.flow(lane: l, classIndex: $0).timeInSystem }.filter { $0.count > 0 }
                        let n = flows.reduce(0) { $0 + $1.count }
                        return n > 0 ? flows.reduce(0) { $0 + $1.mean * Double($1.count) } / Double(n) : .nan
                    }
                    w = r.lanes[l].wait
                case .station(let s): w = r.stations[s].wait
                }
                switch t.target.metric {
                case .p95Wait: return w.p95
                case .meanWait: return w.mean
                case .shareOver: return w.shareOver(t.thresholdIndex!)
                case .meanCrossing, .capacity: return .nan
                }
            }
        }
        func perHour(_ f: (ReplicationResult, Int) -> Double) -> [Double] {
            (0..<grid.count).map { h in
                let v = results.compactMap { r -> Double? in
                    let x = grid.bins[h].filter { $0 < r.series.bins }.map { f(r, $0) }.filter { !$0.isNaN }
                    return x.isEmpty ? nil : x.reduce(0, +) / Double(x.count)
                }
                return v.isEmpty ? .nan : v.reduce(0, +) / Double(v.count)
            }
        }
        load = positions.map { p in
            switch p {
            case .lane(let l): return perHour { r, b in r.series.busyBooths[b * lanes + l] }
            case .station(let s): return perHour { r, b in r.series.stationBusy[b * stations + s] }
            }
        }
        arrivals = positions.map { p in
            guard case .lane(let l) = p else { return Array(repeating: .nan, count: grid.count) }
            return perHour { r, b in Double(r.series.arrivals[b * lanes + l]) }
        }
        pressure = positions.map { p in
            switch p {
            case .lane(let l):
                return perHour { r, b in
                    let w = r.series.meanWait[b * lanes + l]
                    return Double(r.series.arrivals[b * lanes + l]) * (w.isNaN ? 0 : w)
                }
            case .station(let s):
                return perHour { r, b in r.series.stationInSystem[b * stations + s] - r.series.stationBusy[b * stations + s] }
            }
        }
        meanWaitAll = results.map { r in
            let n = r.lanes.reduce(0) { $0 + $1.wait.count }
            return n > 0 ? r.lanes.reduce(0) { $0 + ($1.wait.count > 0 ? $1.wait.mean * Double($1.wait.count) : 0) } / Double(n) : .nan
        }
    }

    /// The mean over replications where the value is defined (NaN if none).
    public static func mean(_ v: [Double]) -> Double {
        let d = v.filter { !$0.isNaN }
        return d.isEmpty ? .nan : d.reduce(0, +) / Double(d.count)
    }
}
