/// The time-weighted average of a piecewise-constant quantity (queue length, busy or open
/// booths, officers on duty): ∫ value dt / elapsed over [start, t]. O(1) memory and per update.
public struct TimeAverage: Sendable, Equatable {
    public private(set) var start: Double
    public private(set) var current: Double
    /// The largest value held since `start` (the initial value included).
    public private(set) var maximum: Double
    private var lastTime: Double
    private var area = 0.0          // ∫ over [start, lastTime]

    public init(start: Double, value: Double = 0) {
        self.start = start
        lastTime = start
        current = value
        maximum = value
    }

    /// The quantity changes to `value` at `time`: the old value is integrated over [lastTime, time].
    /// Several updates at the same time are fine (only the last value then holds).
    public mutating func update(to value: Double, at time: Double) {
        precondition(time >= lastTime, "TimeAverage.update: time went backwards")
        area += current * (time - lastTime)
        lastTime = time
        current = value
        if value > maximum { maximum = value }
    }

    /// ∫ value dt over [start, time], the current value counted up to `time` (≥ the last update).
    public func integral(at time: Double) -> Double {
        precondition(time >= lastTime, "TimeAverage.integral: time before the last update")
        return area + current * (time - lastTime)
    }

    /// The average over [start, time]; the current value if no time has elapsed.
    public func mean(at time: Double) -> Double {
        time > start ? integral(at: time) / (time - start) : current
    }

    /// Restarts integration at `time` (end of warm-up), keeping the current value.
    public mutating func reset(at time: Double) {
        precondition(time >= lastTime, "TimeAverage.reset: time before the last update")
        start = time
        lastTime = time
        area = 0
        maximum = current
    }
}
