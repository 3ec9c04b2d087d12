#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `LogHistogram`'s bucket of a value without a `log` per record, and exactly the bucket the
/// defining formula `1 + ⌊(ln v − ln m) / ln r⌋` gives (so results stay bit-identical):
///
/// - `lower[i]`: the smallest Double the formula puts in bucket i or above, found once per
///   layout by stepping Doubles from the estimate m·r^(i−1) (the formula is non-decreasing in v,
///   as `log`, a subtraction and a positive multiplication are);
/// - `start[j]`: the formula's bucket at the first Double of slot j, the slots being the
///   Doubles that share exponent and top `mantissaBits` mantissa bits (each spans a ratio of at
///   most 1 + 2^−7, narrower than a bucket, so at most one bucket boundary falls inside).
///
/// A record then reads one slot and compares with one or two bounds. Built in `init` (about
/// 10 μs for the 1,718 buckets of the 1 % layout); immutable afterwards, so shared by all
/// copies of a histogram and across threads.
final class BucketLookup: @unchecked Sendable {
    private static let mantissaBits: UInt64 = 7
    private let lower: UnsafeMutablePointer<Double>
    private let start: UnsafeMutablePointer<UInt16>
    private let firstSlot: UInt64
    private let slots: Int
    private let buckets: Int

    /// `formula(v)` is the histogram's bucket for v in [minResolution, maxValue).
    init(minResolution: Double, maxValue: Double, buckets: Int, logMin: Double, logRatio: Double,
         formula: (Double) -> Int) {
        precondition(buckets <= Int(UInt16.max), "BucketLookup: too many buckets")
        self.buckets = buckets
        let overflow = buckets - 1
        lower = .allocate(capacity: buckets)
        lower[0] = 0
        lower[overflow] = maxValue
        for i in 1..<overflow {
            var v = Swift.min(Swift.max(exp(logMin + Double(i - 1) * logRatio), minResolution), maxValue.nextDown)
            while v > minResolution && formula(v) >= i { v = v.nextDown }
            while formula(v) < i && v < maxValue { v = v.nextUp }
            lower[i] = Swift.max(v, i == 1 ? minResolution : lower[i - 1])
        }
        let shift = 52 - Self.mantissaBits
        firstSlot = minResolution.bitPattern >> shift
        let lastSlot = maxValue.bitPattern >> shift
        slots = Int(lastSlot - firstSlot) + 1
        start = .allocate(capacity: slots)
        for j in 0..<slots {
            let first = Double(bitPattern: (firstSlot + UInt64(j)) << shift)
            start[j] = UInt16(first < minResolution ? 1 : first >= maxValue ? overflow : formula(first))
        }
    }

    deinit {
        lower.deallocate()
        start.deallocate()
    }

    /// The bucket of v, for minResolution ≤ v < maxValue.
    @inline(__always)
    func bucket(_ v: Double) -> Int {
        let j = Int(truncatingIfNeeded: (v.bitPattern >> (52 - Self.mantissaBits)) &- firstSlot)
        var b = Int(start[j])
        while v >= lower[b &+ 1] { b &+= 1 }
        return b
    }
}
