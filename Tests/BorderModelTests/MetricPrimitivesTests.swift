import XCTest
import CGSL
@_spi(GSL) import SimKernel
@testable import BorderModel

final class MetricPrimitivesTests: XCTestCase {
    private let percentiles = [50, 90, 95, 99, 99.9]

    /// Nearest-rank sample quantile of sorted values: rank ⌈p·n/100⌉, at least 1.
    private func sampleQuantile(_ sorted: [Double], _ p: Double) -> Double {
        sorted[max(1, Int((p * Double(sorted.count) / 100).rounded(.up))) - 1]
    }

    /// Records `draws` into one histogram per precision and checks percentiles, mean, min, max.
    private func checkAgainstSample(_ draws: [Double], precisions: [Double],
                                    file: StaticString = #filePath, line: UInt = #line) {
        let sorted = draws.sorted()
        let exactSum = sorted.reduce(0, +)            // ascending order: the accurate reference
        for eps in precisions {
            var h = LogHistogram(relativePrecision: eps)
            let buckets = h.bucketCount
            for x in draws { h.record(x) }
            XCTAssertEqual(h.bucketCount, buckets, "memory fixed at construction", file: file, line: line)
            XCTAssertEqual(h.count, draws.count, file: file, line: line)
            XCTAssertEqual(h.mean, exactSum / Double(draws.count),
                           accuracy: 1e-9 * exactSum / Double(draws.count), file: file, line: line)
            XCTAssertEqual(h.min, sorted.first!, file: file, line: line)
            XCTAssertEqual(h.max, sorted.last!, file: file, line: line)
            for p in percentiles {
                let exact = sampleQuantile(sorted, p), est = h.percentile(p)
                // The requirement: within ε relatively, plus minResolution absolutely...
                XCTAssertLessThanOrEqual(abs(est - exact), eps * exact + h.minResolution,
                                         "ε=\(eps) p\(p): \(est) vs \(exact)", file: file, line: line)
                // ...and the documented bound: geometric midpoint, within √(1+ε) − 1.
                XCTAssertLessThanOrEqual(abs(est - exact), ((1 + eps).squareRoot() - 1) * exact * (1 + 1e-12)
                                         + h.minResolution / 2, "ε=\(eps) p\(p)", file: file, line: line)
            }
            XCTAssertEqual(h.percentile(0), sorted.first!, file: file, line: line)
            XCTAssertEqual(h.percentile(100), sorted.last!, file: file, line: line)
        }
    }

    func testPercentilesOfExponentialDrawsMatchTheSampleQuantiles() {
        let s = RandomStream(masterSeed: 20240601, replication: 0, name: "test/exponential")
        let draws = (0..<1_000_000).map { _ in gsl_ran_exponential(s.rng, 300) }   // 5-min waits
        checkAgainstSample(draws, precisions: [0.01, 0.05])
    }

    func testPercentilesOfLognormalDrawsMatchTheSampleQuantiles() {
        let s = RandomStream(masterSeed: 20240601, replication: 0, name: "test/lognormal")
        let draws = (0..<1_000_000).map { _ in gsl_ran_lognormal(s.rng, log(600), 1.2) }
        checkAgainstSample(draws, precisions: [0.01, 0.05])
    }

    func testEveryValueFallsInsideItsBucketAndBucketsHaveTheRatio() {
        let h = LogHistogram(relativePrecision: 0.01)
        let s = RandomStream(masterSeed: 7, replication: 0, name: "test/buckets")
        for _ in 0..<100_000 {
            let v = exp(gsl_ran_flat(s.rng, log(1e-3), log(1e8)))    // 0.001 s … 3 years
            let (lo, hi) = h.bucketBounds(h.bucketIndex(v))
            XCTAssert(lo * (1 - 1e-12) <= v && v < hi * (1 + 1e-12), "\(v) outside [\(lo), \(hi))")
        }
        for i in 1..<(h.bucketCount - 2) {
            let (lo, hi) = h.bucketBounds(i)
            XCTAssertEqual(hi / lo, 1.01, accuracy: 1e-9)
        }
        XCTAssertEqual(h.bucketIndex(0), 0)
        XCTAssertEqual(h.bucketIndex(0.0999), 0)
        XCTAssertEqual(h.bucketIndex(0.1), 1)
        XCTAssertEqual(h.bucketIndex(30 * 86_400), h.bucketCount - 1)
    }

    func testMemoryIsFixedAtConstruction() {
        var fine = LogHistogram(relativePrecision: 0.01)
        let coarse = LogHistogram(relativePrecision: 0.05)
        XCTAssertEqual(fine.bucketCount, 1718)      // ⌈ln(2.592e7) / ln 1.01⌉ + 2
        XCTAssertEqual(coarse.bucketCount, 352)     // ⌈ln(2.592e7) / ln 1.05⌉ + 2
        let s = RandomStream(masterSeed: 3, replication: 0, name: "test/memory")
        for n in [10, 10_000, 1_000_000] {
            for _ in 0..<n { fine.record(gsl_ran_exponential(s.rng, 1_000)) }
            XCTAssertEqual(fine.counts.count, 1718, "after \(n) more records")
        }
        XCTAssertEqual(fine.count, 1_010_010)
    }

    func testMergeEqualsRecordingIntoOne() {
        let s = RandomStream(masterSeed: 11, replication: 0, name: "test/merge")
        var a = LogHistogram(), b = LogHistogram(), all = LogHistogram()
        for i in 0..<200_000 {
            let x = gsl_ran_lognormal(s.rng, log(120), 1.5)
            if i % 3 == 0 { a.record(x) } else { b.record(x) }
            all.record(x)
        }
        b.record(1e9)                                  // overflow, only in b
        all.record(1e9)
        a.merge(b)
        XCTAssertEqual(a.counts, all.counts)
        XCTAssertEqual(a.count, all.count)
        XCTAssertEqual(a.min, all.min)
        XCTAssertEqual(a.max, all.max)
        XCTAssertEqual(a.sum, all.sum, accuracy: 1e-12 * all.sum)
        for p in percentiles { XCTAssertEqual(a.percentile(p), all.percentile(p)) }

        var empty = LogHistogram()                     // merging into / from empty keeps min and max
        empty.merge(all)
        XCTAssertEqual(empty.min, all.min)
        XCTAssertEqual(empty.max, all.max)
        all.merge(LogHistogram())
        XCTAssertEqual(empty, all)
        XCTAssertFalse(all.hasSameLayout(as: LogHistogram(relativePrecision: 0.05)))
    }

    func testResetClearsRecordsAndKeepsTheLayout() {
        var h = LogHistogram(relativePrecision: 0.05)
        for x in [0.05, 3, 40, 700, 1e8] { h.record(x) }
        let buckets = h.bucketCount
        h.reset()
        XCTAssertEqual(h.bucketCount, buckets)
        XCTAssert(h.counts.allSatisfy { $0 == 0 })
        XCTAssertEqual(h.count, 0)
        XCTAssertEqual(h.sum, 0)
        XCTAssertEqual(h.mean, 0)
        XCTAssertEqual(h.percentile(50), 0)
        XCTAssertEqual(h, LogHistogram(relativePrecision: 0.05))
        h.record(5)                                    // min and max restart from the new records
        XCTAssertEqual(h.min, 5)
        XCTAssertEqual(h.max, 5)
        XCTAssertEqual(h.percentile(50), 5)
    }

    func testOverflowBucketKeepsMaxExact() {
        var h = LogHistogram(relativePrecision: 0.01, minResolution: 0.1, maxValue: 100)
        for x in [50.0, 150, 123_456.789] { h.record(x) }
        XCTAssertEqual(h.counts.last, 2)
        XCTAssertEqual(h.max, 123_456.789)
        XCTAssertEqual(h.percentile(100), 123_456.789)
        XCTAssertEqual(h.percentile(60), 100)          // in the overflow bucket: its lower bound
        XCTAssertEqual(h.mean, (50 + 150 + 123_456.789) / 3, accuracy: 1e-9)
        XCTAssertEqual(h.percentile(30), 50)           // rank 1: min, exact
    }

    func testEmptyAndSubResolutionValues() {
        var h = LogHistogram()
        XCTAssertEqual([h.count, Int(h.mean), Int(h.min), Int(h.max), Int(h.percentile(99))], [0, 0, 0, 0, 0])
        for x in [0.0, 0.02, 0.04, 0.06, 0.08] { h.record(x) }    // all in bucket 0
        XCTAssertEqual(h.counts[0], 5)
        XCTAssertEqual(h.percentile(50), 0.05)                   // minResolution / 2
        XCTAssertEqual(h.percentile(90), 0.08)                   // top rank: max, exact
        XCTAssertEqual(h.mean, 0.04, accuracy: 1e-15)
    }

    // MARK: TrackedLevel (the time-averages of queues, busy and open positions)

    func testTrackedLevelAgainstHandComputedIntegrals() {
        var q = TrackedLevel(bins: 1, binSeconds: 3_600)
        q.resetStatistics(at: 100)                     // statistics from t = 100, value 0
        q.set(2, at: 101)
        q.set(5, at: 103)
        q.set(7, at: 104)                              // instantaneous: 7 holds for no time
        q.set(1, at: 104)
        // ∫ = 0·1 + 2·2 + 5·1 + 1·2 = 11 over [100, 106]
        XCTAssertEqual(q.integral(at: 106), 11)
        XCTAssertEqual(q.mean(at: 106), 11.0 / 6)
        XCTAssertEqual(q.mean(at: 104), 9.0 / 4)
        XCTAssertEqual(q.value, 1)
        XCTAssertEqual(q.maximum, 7)

        q.resetStatistics(at: 106)                     // warm-up over: keeps the value 1
        XCTAssertEqual(q.maximum, 1)
        XCTAssertEqual(q.mean(at: 106), 1)             // no time elapsed: the current value
        q.set(3, at: 108)
        XCTAssertEqual(q.integral(at: 110), 1 * 2 + 3 * 2)
        XCTAssertEqual(q.mean(at: 110), 2)
        XCTAssertEqual(q.maximum, 3)

        var open = TrackedLevel(bins: 1, binSeconds: 3_600)
        open.set(4, at: 0)                             // constant: mean is the value
        XCTAssertEqual(open.mean(at: 3_600), 4)
        XCTAssertEqual(open.integral(at: 3_600), 14_400)
    }

    func testTrackedLevelMatchesAFineGridIntegralOfARandomPath() {
        let s = RandomStream(masterSeed: 5, replication: 0, name: "test/time-average")
        var level = TrackedLevel(bins: 10, binSeconds: 100)
        level.set(3, at: 0)
        var times = [0.0], values = [3.0]
        var t = 0.0
        while true {
            t += gsl_ran_exponential(s.rng, 1)
            if t >= 1_000 { break }
            let v = Int(gsl_rng_uniform_int(s.rng, 21))
            level.set(v, at: t)
            times.append(t); values.append(Double(v))
        }
        let end = 1_000.0, h = 1e-3
        // Midpoint rule on a fine grid; each jump costs at most |jump|·h of error.
        var brute = 0.0, k = 0
        var binBrute = [Double](repeating: 0, count: 10)
        for i in 0..<Int(end / h) {
            let x = (Double(i) + 0.5) * h
            while k + 1 < times.count && times[k + 1] <= x { k += 1 }
            brute += values[k] * h
            binBrute[min(9, Int(x / 100))] += values[k] * h
        }
        let bound = zip(values, values.dropFirst()).reduce(0) { $0 + abs($1.1 - $1.0) } * h + 1e-6
        XCTAssertEqual(level.integral(at: end), brute, accuracy: bound)
        XCTAssertEqual(level.mean(at: end), brute / end, accuracy: bound / end)
        for (bin, expected) in zip(level.binAverages(closingAt: end), binBrute) {
            XCTAssertEqual(bin, expected / 100, accuracy: bound / 100)
        }
        XCTAssertEqual(Double(level.maximum), values.max()!)
        XCTAssertEqual(Double(level.value), values.last!)
        XCTAssertGreaterThan(times.count, 900)         // the path really has many pieces
    }
}
