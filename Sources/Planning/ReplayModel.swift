import BorderModel
import Scenarios
import SimKernel

/// The scenario rebuilt to run continuously over an observed period, its inputs hour by hour
/// from the file: the driven lane's booths follow the positions column; the driven class
/// arrives as that hour's flights, each carrying an equal share of that hour's passengers (or,
/// without a flights column, as a Poisson stream at the hour's rate); with `observed.mix`, a
/// share of each hour's passengers arrives as the mix class, in its own lane if it has one
/// (ObservedMix). Every other part of the
/// scenario (other lanes, classes, stations, service times) is kept, its daily profiles repeating.
public enum ReplayModel {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func configuration(_ scenario: Scenario, period: ObservedPeriod) throws -> PortConfiguration {
        guard let spec = scenario.observed else {
            throw Failure(description: "\(scenario.path): the scenario has no observed: block (see scenarios/README.md, \"Observed data\")")
        }
        var config = scenario.config
        let n = period.count
        config.horizon = Double(n) * 3600
        config.warmUp = 0
        config.metrics.seriesBin = 3600
        config.metrics.queueSampleInterval = 3600

        // The mix class's share of each hour's passengers (0 without a mix).
        let shares = (0..<n).map { i in spec.mix.map { period.hours[i]?.share ?? $0.share[i % 24] } ?? 0 }

        // Booths: the file's positions; an absent hour or blank cell keeps the scenario's schedule.
        // With a mix lane, each observed hour's positions split between the lanes by workload.
        let scheduled = config.lanes[spec.lane].booths
        var booths = (0..<n).map { i in period.hours[i]?.positions ?? scheduled.value(at: Double(i % 24) * 3600) }
        if let mix = spec.mix, let ml = mix.lane {
            let own = config.lanes[spec.lane].service[spec.classIndex]?.mean ?? 1
            let other = config.lanes[ml].service[mix.classIndex]?.mean ?? own
            let mixScheduled = config.lanes[ml].booths
            var second = [Double](repeating: 0, count: n)
            for i in 0..<n {
                guard let total = period.hours[i]?.positions else { second[i] = mixScheduled.value(at: Double(i % 24) * 3600); continue }
                let s = shares[i], load = s * other + (1 - s) * own
                let v = mix.secondLaneBooths(total: Int(total.rounded()), workload: load > 0 ? s * other / load : 0)
                second[i] = Double(v); booths[i] = total.rounded() - Double(v)
            }
            config.lanes[ml].booths = try PiecewiseConstant(steps: second, repeating: false)
        }
        config.lanes[spec.lane].booths = try PiecewiseConstant(steps: booths, repeating: false)

        // Arrivals of the driven class (and of the mix class, its share of each hour).
        let parts = [(spec.classIndex, shares.map { 1 - $0 })] + (spec.mix.map { [($0.classIndex, shares)] } ?? [])
        for (index, fraction) in parts {
            var cls = config.classes[index]
            if spec.batches != nil {
                var spread: Distribution? = nil
                var size = try Distribution.deterministic(1)
                if case .batches(let b) = config.classes[spec.classIndex].arrivals { spread = b.spread; size = b.size }
                if case .batches(let b) = cls.arrivals { spread = b.spread; size = b.size }
                cls.arrivals = .batches(BatchArrivals(times: .timetable(flights(period, leadTime: spec.leadTime, fraction: fraction)),
                                                      size: size, spread: spread))
            } else {
                let rates = (0..<n).map { (period.hours[$0]?.passengers ?? 0) * fraction[$0] / 3600 }
                cls.arrivals = rates.allSatisfy({ $0 == 0 }) ? .timetable([]) : .profile(try PiecewiseConstant(steps: rates, repeating: false))
            }
            config.classes[index] = cls
        }
        return config
    }

    /// Flights of each hour evenly spaced through it, shifted `leadTime` earlier (passengers are
    /// counted when processed, after walking), each with an equal share of the hour's passengers.
    /// An hour with passengers but no flight gets one batch.
    /// `fraction[i]`: the class's share of hour i's passengers (each flight carries that share,
    /// so two classes' batches land together).
    static func flights(_ period: ObservedPeriod, leadTime: Double, fraction: [Double]? = nil) -> [ScheduledBatch] {
        var out: [ScheduledBatch] = []
        for (i, hour) in period.hours.enumerated() {
            guard let h = hour, let pax = h.passengers, pax > 0 else { continue }
            let k = max(1, Int((h.batches ?? 1).rounded()))
            let total = Int((pax * (fraction?[i] ?? 1)).rounded())
            guard total > 0 else { continue }
            for j in 0..<k {
                let size = total / k + (j < total % k ? 1 : 0)
                let t = (Double(i) + (Double(j) + 0.5) / Double(k)) * 3600 - leadTime
                out.append(ScheduledBatch(time: max(0, t), size: size))
            }
        }
        return out
    }
}
