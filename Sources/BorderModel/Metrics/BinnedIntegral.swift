/// Integrals of several piecewise-constant quantities (open booths, busy servers, officers on
/// duty) over fixed time bins: the per-hour averages of the series. Memory: bins × quantities.
struct BinnedIntegral {
    let binSeconds: Double
    let bins: Int
    let width: Int
    private(set) var totals: [Double]
    private var current: [Double]
    private var since: [Double]

    init(quantities: Int, binSeconds: Double, horizon: Double) {
        self.binSeconds = binSeconds
        bins = max(1, Int((horizon / binSeconds).rounded(.up)))
        width = quantities
        totals = Array(repeating: 0, count: bins * quantities)
        current = Array(repeating: 0, count: quantities)
        since = Array(repeating: 0, count: quantities)
    }

    /// Quantity `i` takes `value` from time `t` on.
    mutating func set(_ i: Int, to value: Double, at t: Double) {
        accumulate(i, until: t)
        current[i] = value
    }

    /// Closes every quantity's integral at `t` (the end of the run).
    mutating func close(at t: Double) {
        for i in 0..<width { accumulate(i, until: t) }
    }

    private mutating func accumulate(_ i: Int, until t: Double) {
        var a = since[i]
        let v = current[i]
        since[i] = t
        guard v != 0 else { return }
        while a < t {
            let bin = min(Int(a / binSeconds), bins - 1)
            let end = min(t, Double(bin + 1) * binSeconds)
            totals[bin * width + i] += v * (end - a)
            if end <= a { break }          // the last bin absorbs anything past the horizon
            a = end
        }
    }

    /// Average of quantity `i` over bin `b`.
    func average(bin b: Int, _ i: Int) -> Double { totals[b * width + i] / binSeconds }
}
