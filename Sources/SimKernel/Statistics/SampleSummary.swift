import CGSL

/// Mean, variance and a Student-t confidence interval of independent observations (e.g. one
/// value per replication). Accumulates with Welford's update, so it is stable and O(1) in memory.
///
/// NaN observations are undefined values (a hit rate in a replication without referrals): they
/// are counted in `missing` and left out of every statistic, which then describe the `count`
/// defined observations. With none, the mean is NaN.
public struct SampleSummary: Sendable, Equatable {
    public private(set) var count = 0
    public private(set) var missing = 0
    public var mean: Double { count > 0 ? runningMean : .nan }
    private var runningMean = 0.0
    private var m2 = 0.0
    public private(set) var min = Double.infinity
    public private(set) var max = -Double.infinity

    public init() {}
    public init<S: Sequence>(_ values: S) where S.Element == Double {
        for v in values { add(v) }
    }

    public mutating func add(_ x: Double) {
        guard !x.isNaN else { missing += 1; return }
        count += 1
        let delta = x - runningMean
        runningMean += delta / Double(count)
        m2 += delta * (x - runningMean)
        min = Swift.min(min, x)
        max = Swift.max(max, x)
    }

    /// Sample variance (n − 1 in the denominator); 0 for fewer than two values.
    public var variance: Double { count > 1 ? m2 / Double(count - 1) : 0 }
    public var standardDeviation: Double { variance.squareRoot() }

    /// Half-width of the two-sided Student-t confidence interval for the mean at `level`
    /// (e.g. 0.95); infinite for fewer than two values.
    public func halfWidth(level: Double = 0.95) -> Double {
        guard count > 1 else { return .infinity }
        let t = gsl_cdf_tdist_Pinv(0.5 + level / 2, Double(count - 1))
        return t * standardDeviation / Double(count).squareRoot()
    }

    public func confidenceInterval(level: Double = 0.95) -> ClosedRange<Double> {
        let h = halfWidth(level: level)
        guard h.isFinite else { return -Double.infinity...Double.infinity }
        return (mean - h)...(mean + h)
    }
}
