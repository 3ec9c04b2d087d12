import BorderModel
import Experiments
import Foundation
import Scenarios
import SimKernel

/// Predictions for every hour of an observed period: the scenario replayed continuously
/// (queues carry over between hours and days) in `replications` replications.
///
/// An hour's predicted wait is (wait-from: queue) the mean primary wait at the driven lane of
/// the parties who *started service* in that hour, or (wait-from: block-in) CBP's measure by
/// the flight's hour (ObservedSpec.WaitMeasure), averaged over
/// the replications in which somebody was served in that hour; the CI is Student's t over those
/// replications. No one served in any replication: the prediction is NaN (missing), never 0.
public struct ReplayPrediction: Sendable {
    public var mean: [Double]
    public var ciLow: [Double], ciHigh: [Double]
    /// Bucket shares by hour (`buckets[hour * bucketCount + b]`), pooled over replications.
    public var buckets: [Double]
    public var bucketCount: Int
    /// Parties served at the driven lane per hour, mean over replications.
    public var served: [Double]
    public var replications: Int
}

public enum Replay {
    /// Runs the replay. Replication r uses the streams of (seed, r) — the same at every call,
    /// so two calls that differ only in a parameter see the same parties (common random numbers).
    public static func predict(_ config: PortConfiguration, spec: ObservedSpec, seed: UInt64, replications: Int,
                               threads: Int? = nil, progress: (@Sendable (Int) -> Void)? = nil) throws -> ReplayPrediction {
        let hours = Int((config.horizon / 3600).rounded(.up))
        let bounds = spec.buckets.map { $0.upTo ?? .infinity }
        // The mean walk (block-in to the hall) of each class.
        let walk = config.classes.map { c -> Double in
            if case .batches(let b) = c.arrivals, let s = b.spread { return s.mean } else { return 0 }
        }
        let lanes = [spec.lane] + (spec.mix?.lane.map { [$0] } ?? [])
        let collector = HourlyCollector(hours: hours, lanes: lanes, bounds: bounds, replications: replications,
                                        measure: spec.measure, meanWalk: walk)
        _ = try ReplicationRunner.run(config, seed: seed, replications: replications, threads: threads,
                                      observer: collector, progress: progress)
        return collector.prediction()
    }
}

/// Collects, per replication, the waits of parties by the hour they started service.
final class HourlyCollector: ReplicationObserver, @unchecked Sendable {
    final class Tally {
        var count: [Int], sum: [Double], bucket: [Int]
        init(hours: Int, buckets: Int) {
            count = Array(repeating: 0, count: hours); sum = Array(repeating: 0, count: hours)
            bucket = Array(repeating: 0, count: hours * buckets)
        }
    }
    /// The driven lane and the mix lane, if any: their parties' waits are the hall's.
    let hours: Int, lanes: [Int], bounds: [Double]
    /// Block-in measure: the mean hall-arrival delay after block-in (the batch spread) by class,
    /// and what to subtract from the time from block-in; nil: the queue wait.
    let blockIn: (meanWalk: [Double], allowance: Double)?
    private let lock = NSLock()
    private var tallies: [Tally?]

    init(hours: Int, lanes: [Int], bounds: [Double], replications: Int, measure: ObservedSpec.WaitMeasure, meanWalk: [Double]) {
        self.hours = hours; self.lanes = lanes; self.bounds = bounds
        if case .blockIn(let a) = measure { blockIn = (meanWalk, a) } else { blockIn = nil }
        tallies = Array(repeating: nil, count: replications)
    }

    func willRun(_ simulation: PortSimulation, replication: Int) {
        let tally = Tally(hours: hours, buckets: bounds.count)
        let lane = lanes[0], second = lanes.count > 1 ? lanes[1] : -1, bounds = bounds, last = hours - 1, blockIn = blockIn
        simulation.trace = { p in
            guard p.lane == lane || p.lane == second, let entry = p.queueEntry, let start = p.serviceStart else { return }
            let h: Int, w: Double
            if let b = blockIn {
                // Block-in estimated as hall arrival less the mean walk: the party's own walk is
                // not recorded, and its deviation from the mean averages out over a flight.
                guard let end = p.serviceEnd else { return }
                let walk = b.meanWalk[p.classIndex]
                h = min(max(Int((p.arrival - walk) / 3600), 0), last)
                w = end - p.arrival + walk - b.allowance
            } else {
                h = min(Int(start / 3600), last)
                w = start - entry
            }
            tally.count[h] += 1
            tally.sum[h] += w
            if !bounds.isEmpty {
                var b = 0
                while b < bounds.count - 1 && w > bounds[b] { b += 1 }
                tally.bucket[h * bounds.count + b] += 1
            }
        }
        lock.lock(); tallies[replication] = tally; lock.unlock()
    }

    func didRun(replication: Int) {}

    func prediction() -> ReplayPrediction {
        let reps = tallies.compactMap { $0 }
        let k = bounds.count
        var mean = [Double](repeating: .nan, count: hours), lo = mean, hi = mean
        var served = [Double](repeating: 0, count: hours)
        var shares = [Double](repeating: .nan, count: hours * k)
        for h in 0..<hours {
            let values = reps.compactMap { $0.count[h] > 0 ? $0.sum[h] / Double($0.count[h]) / 60 : nil }
            served[h] = Double(reps.reduce(0) { $0 + $1.count[h] }) / Double(max(reps.count, 1))
            guard !values.isEmpty else { continue }
            let summary = SampleSummary(values)
            mean[h] = summary.mean
            if summary.count > 1 {
                let half = summary.halfWidth(level: 0.95)
                lo[h] = summary.mean - half; hi[h] = summary.mean + half
            }
            let total = reps.reduce(0) { $0 + $1.count[h] }
            for b in 0..<k { shares[h * k + b] = Double(reps.reduce(0) { $0 + $1.bucket[h * k + b] }) / Double(total) }
        }
        return ReplayPrediction(mean: mean, ciLow: lo, ciHigh: hi, buckets: shares, bucketCount: k, served: served,
                                replications: reps.count)
    }
}
