import XCTest
import SimKernel
@testable import BorderModel

/// The histogram's table lookup must put every value in the bucket of the defining formula
/// (one `log`), or results would change: checked next to every bucket boundary (where a
/// difference would show first) and on a million log-uniform values, for both layouts the
/// engine uses and a short one.
final class BucketLookupTests: XCTestCase {
    func testLookupAgreesWithTheFormulaEverywhere() {
        let layouts = [LogHistogram(relativePrecision: 0.01, minResolution: 0.1, maxValue: 30 * 86_400),
                       LogHistogram(relativePrecision: 0.05, minResolution: 1, maxValue: 30 * 86_400),
                       LogHistogram(relativePrecision: 0.01, minResolution: 0.1, maxValue: 100)]
        for h in layouts {
            var mismatches = 0
            for i in 1..<(h.bucketCount - 1) {
                let edge = h.bucketBounds(i).lower
                var v = edge
                for _ in 0..<40 { v = v.nextDown }
                for _ in 0..<80 {
                    if h.bucketIndex(v) != h.formulaBucketIndex(v) { mismatches += 1 }
                    v = v.nextUp
                }
            }
            let lo = log(h.minResolution / 2), hi = log(h.maxValue * 2)
            var x: UInt64 = 2026
            for _ in 0..<1_000_000 {
                x = StreamSeed.mix(x)           // fixed sequence: the same values every run
                let v = exp(lo + (hi - lo) * Double(x >> 11) * 0x1p-53)
                if h.bucketIndex(v) != h.formulaBucketIndex(v) { mismatches += 1 }
            }
            for v in [0, h.minResolution.nextDown, h.minResolution, h.maxValue.nextDown, h.maxValue, 1e300] {
                XCTAssertEqual(h.bucketIndex(v), h.formulaBucketIndex(v), "at \(v)")
            }
            XCTAssertEqual(mismatches, 0, "layout \(h.relativePrecision), max \(h.maxValue)")
        }
    }
}
