#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A bounded-memory histogram of non-negative durations in seconds (waits, times in system):
/// percentiles within a relative precision, without storing samples. Log-linear layout in the
/// spirit of HdrHistogram, with the geometric ratio exactly `1 + relativePrecision`:
///
///  - bucket 0: [0, minResolution) — also takes negative values (none are expected);
///  - bucket i in 1...n: [m·r^(i−1), m·r^i) with m = minResolution, r = 1 + relativePrecision
///    (the last one is cut at `maxValue`);
///  - bucket n + 1: overflow, [maxValue, ∞).
///
/// The counts array is allocated once in `init` and never grows: ⌈ln(maxValue/m) / ln r⌉ + 2
/// buckets, i.e. 1,718 at 1 % and 352 at 5 % with the defaults (0.1 s … 30 days); UInt32 counts,
/// so 6.9 kB and 1.4 kB. A single bucket holds at most 2³² − 1 records (more traps on overflow).
/// `count`, `sum`, `mean`, `min` and `max` are exact (the sum is compensated), whatever the layout.
public struct LogHistogram: Sendable, Equatable {
    public let relativePrecision: Double
    public let minResolution: Double
    public let maxValue: Double

    /// Bucket counts, laid out as above (`counts.first` = below minResolution, `counts.last` = overflow).
    public private(set) var counts: [UInt32]
    public private(set) var count = 0
    private var total = 0.0, compensation = 0.0      // Kahan sum: exact mean over 10⁸+ records
    private var lowest = Double.infinity, highest = -Double.infinity

    private let logMin: Double, logRatio: Double, invLogRatio: Double
    /// The bucket of a value without a `log` (the same bucket as the formula; derived from the layout).
    private let lookup: BucketLookup

    public init(relativePrecision: Double = 0.01, minResolution: Double = 0.1,
                maxValue: Double = 30 * 86_400) {
        precondition(relativePrecision > 0 && relativePrecision < 1, "relativePrecision must be in (0, 1)")
        precondition(minResolution > 0 && maxValue > minResolution, "need 0 < minResolution < maxValue")
        self.relativePrecision = relativePrecision
        self.minResolution = minResolution
        self.maxValue = maxValue
        logMin = log(minResolution)
        logRatio = log1p(relativePrecision)
        invLogRatio = 1 / logRatio
        let regular = Swift.max(1, Int((log(maxValue / minResolution) * invLogRatio).rounded(.up)))
        counts = [UInt32](repeating: 0, count: regular + 2)
        let (lm, ilr, overflow) = (logMin, invLogRatio, regular + 1)
        lookup = BucketLookup(minResolution: minResolution, maxValue: maxValue, buckets: regular + 2,
                              logMin: logMin, logRatio: logRatio) { v in
            LogHistogram.formulaBucket(v, logMin: lm, invLogRatio: ilr, overflow: overflow)
        }
    }

    public static func == (a: LogHistogram, b: LogHistogram) -> Bool {
        a.hasSameLayout(as: b) && a.counts == b.counts && a.count == b.count && a.total == b.total
            && a.compensation == b.compensation && a.lowest == b.lowest && a.highest == b.highest
    }

    public var bucketCount: Int { counts.count }
    public var sum: Double { total }
    /// The exact mean; 0 when empty (`count` tells the two apart), as for `min`, `max`, `percentile`.
    public var mean: Double { count > 0 ? total / Double(count) : 0 }
    public var min: Double { count > 0 ? lowest : 0 }
    public var max: Double { count > 0 ? highest : 0 }

    /// O(1), no allocation (unless this copy shares its counts with another: copy-on-write, once).
    /// The bucket comes from `log` (glibc's, a few ns) times a precomputed 1/ln(1+ε): it keeps
    /// the ratio exactly 1 + ε, where exponent/mantissa bit tricks would round ε down to 2^−k.
    public mutating func record(_ value: Double) {
        precondition(value.isFinite, "LogHistogram.record: non-finite value")
        counts[bucketIndex(value)] += 1
        count += 1
        let y = value - compensation, t = total + y
        compensation = (t - total) - y
        total = t
        if value < lowest { lowest = value }
        if value > highest { highest = value }
    }

    /// The bucket holding `value` (`formulaBucket`, read off the lookup table).
    @inline(__always)   // else `record` copies the whole struct to call it
    public func bucketIndex(_ value: Double) -> Int {
        if value < minResolution { return 0 }
        if value >= maxValue { return counts.count - 1 }
        return lookup.bucket(value)
    }

    /// The defining formula of a value's bucket, for minResolution ≤ v < maxValue: one `log`.
    /// Rounding in `log` may push a value just below maxValue one bucket too far: clamped.
    static func formulaBucket(_ v: Double, logMin: Double, invLogRatio: Double, overflow: Int) -> Int {
        Swift.min(1 + Int((log(v) - logMin) * invLogRatio), overflow - 1)
    }

    /// `formulaBucket` for this layout (what `bucketIndex` must agree with; for tests).
    func formulaBucketIndex(_ value: Double) -> Int {
        if value < minResolution { return 0 }
        if value >= maxValue { return counts.count - 1 }
        return Self.formulaBucket(value, logMin: logMin, invLogRatio: invLogRatio, overflow: counts.count - 1)
    }

    /// The value range of bucket `i` (the overflow bucket's upper bound is +∞).
    public func bucketBounds(_ i: Int) -> (lower: Double, upper: Double) {
        let overflow = counts.count - 1
        switch i {
        case 0: return (0, minResolution)
        case overflow: return (maxValue, .infinity)
        default: return (exp(logMin + Double(i - 1) * logRatio),
                         Swift.min(exp(logMin + Double(i) * logRatio), maxValue))
        }
    }

    /// The p-th percentile, p in [0, 100], of the nearest-rank sample quantile: the value of rank
    /// ⌈p·n/100⌉ (at least 1) in sorted order. Returns its bucket's representative clamped to
    /// [min, max]: the geometric midpoint m·r^(i−½) — within √(1+ε) − 1 ≈ ε/2 of the true sample
    /// quantile, relatively — or minResolution/2 in bucket 0 (within minResolution/2,
    /// absolutely), or `maxValue` in the overflow bucket (a lower bound only). The lowest and
    /// highest ranks return `min` and `max` exactly; an empty histogram returns 0.
    /// O(buckets): for reporting, not the hot path.
    public func percentile(_ p: Double) -> Double {
        precondition(p >= 0 && p <= 100, "percentile must be in [0, 100]")
        guard count > 0 else { return 0 }
        let rank = Swift.max(1, Int((p * Double(count) / 100).rounded(.up)))
        if rank == 1 { return lowest }
        if rank >= count { return highest }
        var seen = 0
        for (i, c) in counts.enumerated() {
            seen += Int(c)
            if seen >= rank { return Swift.min(Swift.max(representative(i), lowest), highest) }
        }
        return highest   // unreachable: the counts add up to `count`
    }

    private func representative(_ i: Int) -> Double {
        switch i {
        case 0: return minResolution / 2
        case counts.count - 1: return maxValue
        default: return exp(logMin + (Double(i) - 0.5) * logRatio)
        }
    }

    public func hasSameLayout(as other: LogHistogram) -> Bool {
        relativePrecision == other.relativePrecision && minResolution == other.minResolution
            && maxValue == other.maxValue
    }

    /// Adds `other`'s records, as if they had been recorded here (sums up to rounding).
    /// Traps if the layouts differ: merging unlike histograms is a programming error.
    public mutating func merge(_ other: LogHistogram) {
        precondition(hasSameLayout(as: other), "LogHistogram.merge: different bucket layouts")
        for i in counts.indices { counts[i] += other.counts[i] }
        count += other.count
        let y = other.total - other.compensation - compensation, t = total + y
        compensation = (t - total) - y
        total = t
        lowest = Swift.min(lowest, other.lowest)
        highest = Swift.max(highest, other.highest)
    }

    /// Forgets all records (end of warm-up), keeping the layout and the counts' storage.
    public mutating func reset() {
        counts.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        count = 0
        total = 0; compensation = 0
        lowest = .infinity; highest = -.infinity
    }
}
