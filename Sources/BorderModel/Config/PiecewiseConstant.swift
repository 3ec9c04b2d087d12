/// A value that is constant between breakpoints: booths open by hour, an arrival rate by hour
/// of day or of week, officers on duty by shift. With a `period` it repeats (a day, a week);
/// without one it holds its last value to the end of the horizon.
public struct PiecewiseConstant: Sendable, Equatable {
    /// Breakpoints in seconds, strictly increasing, the first one 0.
    public let times: [Double]
    public let values: [Double]
    /// Length of one cycle in seconds (e.g. 86,400), or nil for a one-off profile.
    public let period: Double?

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case empty, firstBreakpointNotZero, notIncreasing(index: Int), lengthMismatch
        case breakpointBeyondPeriod(index: Int), invalidValue(index: Int), invalidPeriod
        public var description: String {
            switch self {
            case .empty: return "a profile needs at least one value"
            case .firstBreakpointNotZero: return "the first breakpoint must be at time 0"
            case .notIncreasing(let i): return "breakpoint \(i) is not after the one before it"
            case .lengthMismatch: return "times and values differ in length"
            case .breakpointBeyondPeriod(let i): return "breakpoint \(i) lies beyond the period"
            case .invalidValue(let i): return "value \(i) is negative or not a finite number"
            case .invalidPeriod: return "the period must be a finite number > 0"
            }
        }
    }

    public init(times: [Double], values: [Double], period: Double?) throws {
        guard !values.isEmpty else { throw Problem.empty }
        guard times.count == values.count else { throw Problem.lengthMismatch }
        guard times[0] == 0 else { throw Problem.firstBreakpointNotZero }
        for i in 1..<max(times.count, 1) where i < times.count && !(times[i] > times[i - 1]) {
            throw Problem.notIncreasing(index: i)
        }
        for (i, v) in values.enumerated() where !(v.isFinite && v >= 0) { throw Problem.invalidValue(index: i) }
        if let p = period {
            guard p.isFinite, p > 0 else { throw Problem.invalidPeriod }
            if let i = times.firstIndex(where: { $0 >= p }) { throw Problem.breakpointBeyondPeriod(index: i) }
        }
        self.times = times
        self.values = values
        self.period = period
    }

    /// Equal steps of `step` seconds (e.g. 24 hourly values repeating daily: step 3600,
    /// period 86,400; hour by hour over a whole horizon: period nil).
    public init(steps values: [Double], step: Double = 3600, repeating: Bool) throws {
        guard step.isFinite, step > 0 else { throw Problem.invalidPeriod }
        try self.init(times: values.indices.map { Double($0) * step }, values: values,
                      period: repeating ? Double(values.count) * step : nil)
    }

    /// A single value for all time.
    public static func constant(_ value: Double) -> PiecewiseConstant {
        // swiftlint:disable:next force_try
        try! PiecewiseConstant(times: [0], values: [Swift.max(0, value)], period: nil)
    }

    public var maximum: Double { values.max() ?? 0 }

    /// Index of the piece in force at `t` and the start of the cycle containing `t`.
    @inlinable
    func locate(_ t: Double) -> (index: Int, cycleStart: Double) {
        var local = t, cycleStart = 0.0
        if let p = period {
            let k = (t / p).rounded(.down)
            cycleStart = k * p
            local = t - cycleStart
        }
        // Last breakpoint ≤ local (binary search).
        var lo = 0, hi = times.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if times[mid] <= local { lo = mid } else { hi = mid - 1 }
        }
        // `t − k·p` can round to just before a breakpoint that `nextChange` reports as
        // `cycleStart + times[i]`: compare in absolute time so both agree exactly.
        if let p = period {
            while true {
                if lo + 1 < times.count, cycleStart + times[lo + 1] <= t {
                    lo += 1
                } else if lo + 1 == times.count, cycleStart + p <= t {
                    cycleStart += p
                    lo = 0
                } else { break }
            }
        }
        return (lo, cycleStart)
    }

    /// The value in force at time `t` (t ≥ 0).
    public func value(at t: Double) -> Double { values[locate(t).index] }

    /// The first breakpoint strictly after `t`, or nil if the value never changes again.
    public func nextChange(after t: Double) -> Double? {
        let (i, cycleStart) = locate(t)
        if i + 1 < times.count { return cycleStart + times[i + 1] }
        guard let p = period, times.count > 1 || values.count > 1 else { return nil }
        return cycleStart + p        // the next cycle starts with breakpoint 0
    }

    /// ∫ value dt over [a, b].
    public func integral(from a: Double, to b: Double) -> Double {
        guard b > a else { return 0 }
        var total = 0.0, t = a
        while t < b {
            let next = Swift.min(nextChange(after: t) ?? b, b)
            total += value(at: t) * (next - t)
            t = next
        }
        return total
    }
}
