import BorderModel

/// The hours a plan sets: the 24 hours of the day when the run covers a day or more (the plan
/// repeats daily, as a 24-value booth list does), or each hour of a shorter horizon. Each hour is
/// measured in the series bins (one hour each) that lie after the warm-up and inside the horizon.
public struct HourGrid: Sendable, Equatable {
    public let count: Int
    public let periodic: Bool
    /// Measured bins of each hour.
    public let bins: [[Int]]
    /// Every bin of each hour, the warm-up's included (a daily plan's 00:00 also runs in bin 0).
    public let occurrences: [[Int]]
    /// Hours in the order their first measured bin occurs: a change in one hour can only move
    /// the measurements of hours later in this order (the day starts when the warm-up ends).
    public let order: [Int]
    /// Position of each hour in `order`.
    public let rank: [Int]
    public let warmUp: Double
    public let horizon: Double

    public init(config: PortConfiguration) {
        horizon = config.horizon
        warmUp = config.warmUp
        periodic = config.horizon >= 86_400
        count = periodic ? 24 : Int((config.horizon / 3600).rounded(.up))
        let totalBins = Int((config.horizon / 3600).rounded(.up))
        var bins = Array(repeating: [Int](), count: count)
        for b in 0..<totalBins where Double(b) * 3600 >= config.warmUp - 1e-9 && Double(b + 1) * 3600 <= config.horizon + 1e-9 {
            bins[periodic ? b % 24 : b].append(b)
        }
        self.bins = bins
        let wraps = periodic
        occurrences = (0..<count).map { h in (0..<totalBins).filter { (wraps ? $0 % 24 : $0) == h } }
        let first = bins.enumerated().map { ($0.offset, $0.element.first ?? Int.max - 24 + $0.offset) }
        order = first.sorted { $0.1 < $1.1 }.map(\.0)
        var rank = Array(repeating: 0, count: count)
        for (i, h) in order.enumerated() { rank[h] = i }
        self.rank = rank
    }

    /// Hours as a report lists them: the day from the end of the warm-up (a daily plan), or in
    /// clock order (a shorter run).
    public var display: [Int] { periodic ? order : Array(0..<count) }

    /// How late a change in `hour` acts on the parties who joined in `failed`: its latest bin at
    /// or before `failed`'s last measured bin plus `lookahead` bins — those parties are still
    /// waiting then (nil: it cannot have moved them).
    public func reach(_ hour: Int, before failed: Int, lookahead: Int) -> Int? {
        guard let last = bins[failed].last else { return nil }
        return occurrences[hour].last { $0 <= last + lookahead }
    }

    /// The model run `hours` past its horizon, so that parties who joined in the last measured
    /// hours are served and counted (the series counts a party when it starts service); the
    /// measured bins stay those of the horizon. Daily figures then include the extra hours.
    public func draining(_ config: PortConfiguration, hours: Int) -> PortConfiguration {
        var c = config
        c.horizon += Double(max(0, hours)) * 3600
        return c
    }

    public func isMeasured(_ hour: Int) -> Bool { !bins[hour].isEmpty }

    /// "14:00" for an hour of the day; "h 3 (03:00)" style for hours of a shorter run.
    public func label(_ hour: Int) -> String {
        let h = periodic ? hour : hour % 24
        let clock = (h < 10 ? "0" : "") + "\(h):00"
        return periodic || hour < 24 ? clock : "hour \(hour) (\(clock))"
    }

    /// The hourly values of a schedule: the most positions open at any time in each hour.
    public func hourly(_ schedule: PiecewiseConstant) -> [Int] {
        (0..<count).map { h in
            let a = Double(h) * 3600, b = a + 3600
            var t = a, most = schedule.value(at: a)
            while let next = schedule.nextChange(after: t), next < b { most = max(most, schedule.value(at: next)); t = next }
            return Int(most.rounded())
        }
    }

    /// A schedule from hourly values.
    public func schedule(_ values: [Int]) -> PiecewiseConstant {
        // swiftlint:disable:next force_try
        try! PiecewiseConstant(steps: values.map(Double.init), step: 3600, repeating: periodic)
    }

    /// Position-hours of a schedule over the measured window (warm-up to horizon).
    public func positionHours(_ schedule: PiecewiseConstant) -> Double {
        schedule.integral(from: warmUp, to: horizon) / 3600
    }
}
