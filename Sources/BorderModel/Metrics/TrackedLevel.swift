/// A piecewise-constant count the model keeps while it runs — parties waiting, busy booths,
/// open positions, officers on duty — with its statistics: the time-average and maximum since
/// the warm-up, and its integral over each bin of the series (the whole horizon).
///
/// The owner calls `set` whenever the count changes; nothing else is needed to keep the
/// statistics right. O(1) per change (a bin boundary crossed adds one step per bin crossed);
/// memory: one `Double` per bin.
struct TrackedLevel {
    private(set) var value = 0
    /// The largest value held since the statistics (re)started.
    private(set) var maximum = 0
    private var since = 0.0
    private var area = 0.0
    private var statsStart = 0.0
    /// Integrals of the bins before the current one; the current bin's so far is `binArea`
    /// (a scalar, so that the hot path never writes the array).
    private var bins: [Double]
    private var binArea = 0.0
    let binSeconds: Double
    private var binIndex = 0
    private var binEnd: Double

    init(bins: Int, binSeconds: Double) {
        self.bins = Array(repeating: 0, count: max(1, bins))
        self.binSeconds = binSeconds
        binEnd = self.bins.count > 1 ? binSeconds : .infinity
    }

    @inline(__always)
    mutating func set(_ newValue: Int, at t: Double) {
        accumulate(until: t)
        value = newValue
        if newValue > maximum { maximum = newValue }
    }

    @inline(__always)
    mutating func add(_ delta: Int, at t: Double) { set(value &+ delta, at: t) }

    @inline(__always)
    private mutating func accumulate(until t: Double) {
        let v = Double(value)
        var a = since
        while t > binEnd {              // crosses into the next bin(s); the last bin absorbs the rest
            if value != 0 { binArea += v * (binEnd - a) }
            bins[binIndex] = binArea
            binArea = 0
            a = binEnd
            binIndex += 1
            binEnd = binIndex + 1 < bins.count ? Double(binIndex + 1) * binSeconds : .infinity
        }
        if value != 0 {
            area += v * (t - since)
            binArea += v * (t - a)
        }
        since = t
    }

    /// The warm-up ends: the time-average and maximum restart, the bins carry on.
    mutating func resetStatistics(at t: Double) {
        accumulate(until: t)
        area = 0
        statsStart = t
        maximum = value
    }

    /// ∫ value dt since the statistics started, up to `t` (≥ the last change).
    func integral(at t: Double) -> Double { area + Double(value) * (t - since) }

    /// The time-average since the statistics started; the current value if no time elapsed.
    func mean(at t: Double) -> Double {
        t > statsStart ? integral(at: t) / (t - statsStart) : Double(value)
    }

    /// The average of each bin over the horizon ending at `t` (each divided by the bin width).
    func binAverages(closingAt t: Double) -> [Double] {
        var copy = self
        copy.accumulate(until: t)
        copy.bins[copy.binIndex] = copy.binArea
        return copy.bins.map { $0 / binSeconds }
    }
}
