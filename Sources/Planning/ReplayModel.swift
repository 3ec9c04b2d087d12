import BorderModel
import Scenarios
import SimKernel

/// The scenario rebuilt to run continuously over an observed period, its inputs hour by hour
/// from the file: the driven lane's booths follow the positions column; the driven class
/// arrives as that hour's flights, each carrying an equal share of that hour's passengers (or,
/// without a flights column, as a Poisson stream at the hour's rate). Every other part of the
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

        // Booths: the file's positions; an absent hour or blank cell keeps the scenario's schedule.
        let scheduled = config.lanes[spec.lane].booths
        let booths = (0..<n).map { i in period.hours[i]?.positions ?? scheduled.value(at: Double(i % 24) * 3600) }
        config.lanes[spec.lane].booths = try PiecewiseConstant(steps: booths, repeating: false)

        // Arrivals of the driven class.
        var cls = config.classes[spec.classIndex]
        if spec.batches != nil {
            var spread: Distribution? = nil
            var size = try Distribution.deterministic(1)
            if case .batches(let b) = cls.arrivals { spread = b.spread; size = b.size }
            cls.arrivals = .batches(BatchArrivals(times: .timetable(flights(period, leadTime: spec.leadTime)),
                                                  size: size, spread: spread))
        } else {
            let rates = (0..<n).map { (period.hours[$0]?.passengers ?? 0) / 3600 }
            cls.arrivals = rates.allSatisfy({ $0 == 0 }) ? .timetable([]) : .profile(try PiecewiseConstant(steps: rates, repeating: false))
        }
        config.classes[spec.classIndex] = cls
        return config
    }

    /// Flights of each hour evenly spaced through it, shifted `leadTime` earlier (passengers are
    /// counted when processed, after walking), each with an equal share of the hour's passengers.
    /// An hour with passengers but no flight gets one batch.
    static func flights(_ period: ObservedPeriod, leadTime: Double) -> [ScheduledBatch] {
        var out: [ScheduledBatch] = []
        for (i, hour) in period.hours.enumerated() {
            guard let h = hour, let pax = h.passengers, pax > 0 else { continue }
            let k = max(1, Int((h.batches ?? 1).rounded()))
            let total = Int(pax.rounded())
            for j in 0..<k {
                let size = total / k + (j < total % k ? 1 : 0)
                let t = (Double(i) + (Double(j) + 0.5) / Double(k)) * 3600 - leadTime
                out.append(ScheduledBatch(time: max(0, t), size: size))
            }
        }
        return out
    }
}
