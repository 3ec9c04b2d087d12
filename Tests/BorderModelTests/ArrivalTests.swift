import XCTest
import CGSL
@testable import BorderModel
@_spi(GSL) import SimKernel

/// Arrival generators: statistics against the configured process (fixed seeds, 99.9 % bands,
/// tight enough that a wrong rate, a shifted hour or truncation instead of rounding fails),
/// exact timetables and traces, horizon cut-off, determinism.
final class ArrivalTests: XCTestCase {
    private let seed: UInt64 = 20_251_123
    /// Two-sided 99.9 % normal quantile.
    private let z = 3.2905267314919255
    private let hour = 3600.0, day = 86_400.0, week = 604_800.0

    private func stream(_ name: String, replication: Int = 0) -> RandomStream {
        RandomStream(masterSeed: seed, replication: replication, name: name)
    }

    private func drain(_ process: ArrivalProcess, _ s: RandomStream, horizon: Double) -> [ArrivalEpoch] {
        var g = ArrivalGenerator(process: process, stream: s, horizon: horizon)
        var out: [ArrivalEpoch] = []
        while let e = g.next() { out.append(e) }
        XCTAssertNil(g.next(), "stays exhausted")
        return out
    }

    private func times(_ epochs: [ArrivalEpoch]) -> [Double] { epochs.map(\.time) }

    private func assertOrderedBelow(_ ts: [Double], _ horizon: Double, strictly: Bool = true,
                                    file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(ts.allSatisfy { $0 >= 0 && $0 < horizon }, "within [0, horizon)", file: file, line: line)
        XCTAssertTrue(zip(ts, ts.dropFirst()).allSatisfy { strictly ? $0 < $1 : $0 <= $1 },
                      "in time order", file: file, line: line)
    }

    /// Poisson count `observed` over `replications` against expectation `mean` per replication.
    private func assertPoissonMean(_ observed: Int, replications: Int, mean: Double, _ what: String,
                                   file: StaticString = #filePath, line: UInt = #line) {
        let m = Double(observed) / Double(replications)
        let half = z * (mean / Double(replications)).squareRoot()
        XCTAssertLessThanOrEqual(abs(m - mean), half,
                                 "\(what): mean \(m), expected \(mean) ± \(half)", file: file, line: line)
    }

    private func meanAndVariance(_ xs: [Double]) -> (mean: Double, variance: Double) {
        let n = Double(xs.count)
        let m = xs.reduce(0, +) / n
        return (m, xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1))
    }

    /// Student-t 99.9 % half-width of the mean of `xs`.
    private func tHalfWidth(_ xs: [Double]) -> Double {
        let (_, v) = meanAndVariance(xs)
        return gsl_cdf_tdist_Pinv(0.9995, Double(xs.count - 1)) * (v / Double(xs.count)).squareRoot()
    }

    /// Kolmogorov–Smirnov: √n · D must stay below 1.95 (the 99.9 % critical value).
    private func assertKS(_ xs: [Double], cdf: (Double) -> Double, _ what: String,
                          file: StaticString = #filePath, line: UInt = #line) {
        let s = xs.sorted(), n = Double(s.count)
        var d = 0.0
        for (i, x) in s.enumerated() {
            let f = cdf(x)
            d = max(d, abs(f - Double(i) / n), abs(Double(i + 1) / n - f))
        }
        XCTAssertLessThan(d * n.squareRoot(), 1.95, "\(what): KS √n·D = \(d * n.squareRoot())",
                          file: file, line: line)
    }

    // MARK: - Homogeneous Poisson

    func testPoissonCountAndInterArrivalTimes() {
        let rate = 0.25, horizon = 400_000.0
        let ts = times(drain(.poisson(rate: rate), stream("poisson"), horizon: horizon))
        assertOrderedBelow(ts, horizon)
        assertPoissonMean(ts.count, replications: 1, mean: rate * horizon, "count")

        let gaps = zip([0] + ts, ts).map { $1 - $0 }
        let (m, v) = meanAndVariance(gaps)
        let n = Double(gaps.count)
        XCTAssertEqual(m, 1 / rate, accuracy: z * (1 / rate) / n.squareRoot(), "gap mean")
        // Exponential gaps: variance 1/λ² (sd of s²λ² ≈ √(8/n)); regular gaps would fail here.
        XCTAssertEqual(v * rate * rate, 1, accuracy: z * (8 / n).squareRoot(), "gap variance")
        assertKS(Array(gaps.prefix(20_000)), cdf: { 1 - exp(-rate * $0) }, "gaps")
    }

    func testPoissonCountsAcrossReplications() {
        let rate = 0.05, horizon = 1000.0, reps = 400
        let counts = (0..<reps).map {
            Double(drain(.poisson(rate: rate), stream("poisson", replication: $0), horizon: horizon).count)
        }
        let (m, v) = meanAndVariance(counts)
        XCTAssertEqual(m, rate * horizon, accuracy: tHalfWidth(counts), "mean count")
        // Poisson dispersion: s²/mean ≈ 1; (n−1)s²/σ² ~ χ²(n−1).
        let lo = gsl_cdf_chisq_Pinv(0.0005, Double(reps - 1)) / Double(reps - 1)
        let hi = gsl_cdf_chisq_Pinv(0.9995, Double(reps - 1)) / Double(reps - 1)
        XCTAssertTrue((lo...hi).contains(v / (rate * horizon)), "dispersion \(v / (rate * horizon))")
    }

    func testPoissonRateZeroAndEmptyHorizon() {
        var g = ArrivalGenerator(process: .poisson(rate: 0), stream: stream("zero"), horizon: .infinity)
        XCTAssertNil(g.next())
        XCTAssertNil(g.next())
        XCTAssertTrue(drain(.poisson(rate: 10), stream("p"), horizon: 0).isEmpty)
    }

    // MARK: - Non-homogeneous Poisson (profiles)

    /// Arrivals per hour of a strongly varying day: nothing 02:00–05:00, a sharp morning peak.
    private let dailyPerHour: [Double] = [20, 5, 0, 0, 0, 10, 60, 300, 900, 600, 400, 350,
                                          380, 360, 300, 320, 500, 800, 700, 300, 150, 100, 60, 40]

    func testDailyProfileMatchesEveryHourOfDay() throws {
        let profile = try PiecewiseConstant(steps: dailyPerHour.map { $0 / hour }, repeating: true)
        let days = 30
        let ts = times(drain(.profile(profile), stream("daily"), horizon: Double(days) * day))
        assertOrderedBelow(ts, Double(days) * day)
        var counts = [Int](repeating: 0, count: 24)
        for t in ts { counts[Int(t.truncatingRemainder(dividingBy: day) / hour)] += 1 }
        for h in 0..<24 {
            if dailyPerHour[h] == 0 {
                XCTAssertEqual(counts[h], 0, "hour \(h) has rate 0")
            } else {
                assertPoissonMean(counts[h], replications: days, mean: dailyPerHour[h], "hour \(h)")
            }
        }
    }

    func testWeeklyProfile() throws {
        // Weekdays busy 08–18, quiet otherwise; the weekend quiet except a Saturday-morning rush.
        var perHour = [Double](repeating: 0, count: 168)
        for d in 0..<7 {
            for h in 0..<24 { perHour[d * 24 + h] = d < 5 ? ((8..<18).contains(h) ? 600 : 100) : 50 }
        }
        perHour[5 * 24 + 10] = 1000
        perHour[6 * 24 + 3] = 0
        let profile = try PiecewiseConstant(steps: perHour.map { $0 / hour }, repeating: true)
        XCTAssertEqual(profile.period, week)
        let weeks = 12
        let ts = times(drain(.profile(profile), stream("weekly"), horizon: Double(weeks) * week))
        var counts = [Int](repeating: 0, count: 168)
        for t in ts { counts[Int(t.truncatingRemainder(dividingBy: week) / hour)] += 1 }
        for h in [0 * 24 + 10, 2 * 24 + 3, 4 * 24 + 17, 4 * 24 + 18, 5 * 24 + 10, 5 * 24 + 11] {
            assertPoissonMean(counts[h], replications: weeks, mean: perHour[h], "week hour \(h)")
        }
        XCTAssertEqual(counts[6 * 24 + 3], 0, "Sunday 03:00 has rate 0")
        assertPoissonMean(ts.count, replications: weeks, mean: perHour.reduce(0, +), "per week")
    }

    func testHourByHourProfileOverThreeDays() throws {
        // 72 distinct hourly values, some of them 0; not periodic.
        let perHour: [Double] = (0..<72).map { (h: Int) -> Double in
            h % 11 == 4 ? 0 : 40 + 25 * Double((h * 37) % 23)
        }
        let profile = try PiecewiseConstant(steps: perHour.map { $0 / hour }, repeating: false)
        let reps = 30, horizon = 72 * hour
        var counts = [Int](repeating: 0, count: 72)
        for r in 0..<reps {
            let ts = times(drain(.profile(profile), stream("hourly", replication: r), horizon: horizon))
            assertOrderedBelow(ts, horizon)
            for t in ts { counts[Int(t / hour)] += 1 }
        }
        for h in 0..<72 {
            if perHour[h] == 0 { XCTAssertEqual(counts[h], 0, "hour \(h) has rate 0"); continue }
            assertPoissonMean(counts[h], replications: reps, mean: perHour[h], "hour \(h)")
        }
    }

    func testNonPeriodicProfileHoldsItsLastValue() throws {
        // Beyond its last breakpoint a one-off profile keeps its last rate (here 300/h).
        let profile = try PiecewiseConstant(steps: [100 / hour, 0, 300 / hour], repeating: false)
        let reps = 40
        var late = 0
        for r in 0..<reps {
            let ts = times(drain(.profile(profile), stream("hold", replication: r), horizon: 10 * hour))
            XCTAssertFalse(ts.contains { (hour..<2 * hour).contains($0) }, "second hour has rate 0")
            late += ts.filter { $0 >= 2 * hour }.count
        }
        assertPoissonMean(late, replications: reps, mean: 8 * 300, "hours 2–10")
    }

    func testZeroProfilesEndWithoutHanging() throws {
        // Zero everywhere, with no horizon at all: must answer nil at once.
        for repeating in [true, false] {
            let zero = try PiecewiseConstant(steps: [0, 0, 0], repeating: repeating)
            var g = ArrivalGenerator(process: .profile(zero), stream: stream("z"), horizon: .infinity)
            XCTAssertNil(g.next())
            XCTAssertNil(g.next())
        }
        XCTAssertNil(drain(.profile(.constant(0)), stream("z"), horizon: .infinity).first)

        // Zero from the third hour on (non-periodic): a few arrivals, then nil for ever.
        let early = try PiecewiseConstant(steps: [50 / hour, 20 / hour, 0], repeating: false)
        let ts = times(drain(.profile(early), stream("early"), horizon: .infinity))
        XCTAssertFalse(ts.isEmpty)
        assertOrderedBelow(ts, 2 * hour)

        // Zero for two days, then a rate: the first arrival comes after the gap.
        let late = try PiecewiseConstant(times: [0, 2 * day], values: [0, 1], period: nil)
        var g = ArrivalGenerator(process: .profile(late), stream: stream("late"), horizon: .infinity)
        let first = try XCTUnwrap(g.next()).time
        XCTAssertGreaterThan(first, 2 * day)
        XCTAssertLessThan(first, 2 * day + 20)       // P(gap > 20 s at rate 1/s) = e⁻²⁰
    }

    func testSparsePeriodicProfileSpanningManyCycles() throws {
        // 0.5 expected arrivals a day, all between 12:00 and 12:30 (breakpoints not on the hour):
        // most gaps span several whole cycles.
        let window = 1800.0
        let profile = try PiecewiseConstant(times: [0, 12 * hour, 12 * hour + window],
                                            values: [0, 0.5 / window, 0], period: day)
        let days = 4000
        let ts = times(drain(.profile(profile), stream("sparse"), horizon: Double(days) * day))
        assertOrderedBelow(ts, Double(days) * day)
        XCTAssertTrue(ts.allSatisfy {
            let local = $0.truncatingRemainder(dividingBy: day)
            return local >= 12 * hour && local < 12 * hour + window
        }, "only inside the window")
        assertPoissonMean(ts.count, replications: days, mean: 0.5, "per day")
        // Within the window the times are uniform.
        assertKS(ts.map { ($0.truncatingRemainder(dividingBy: day) - 12 * hour) / window },
                 cdf: { $0 }, "position in window")
    }

    // MARK: - Batches

    func testPoissonFlightsSizesAndSpread() throws {
        let flightRate = 3 / hour, horizon = 2000 * hour
        let spreadMin = 60.0, spreadMax = 900.0
        let process = ArrivalProcess.batches(BatchArrivals(
            times: .process(.poisson(rate: flightRate)),
            size: try .normal(mean: 120, sd: 25),
            spread: try .uniform(min: spreadMin, max: spreadMax)))
        var g = ArrivalGenerator(process: process, stream: stream("flights"), horizon: horizon)
        var batchTimes: [Double] = [], sizes: [Double] = [], delays: [Double] = []
        while let e = g.next() {
            guard case .batch(let t, let n) = e else { return XCTFail("expected a batch, got \(e)") }
            batchTimes.append(t)
            sizes.append(Double(n))
            for _ in 0..<n { delays.append(g.spreadDelay()) }
        }
        assertOrderedBelow(batchTimes, horizon)
        assertPoissonMean(batchTimes.count, replications: 1, mean: flightRate * horizon, "flights")
        XCTAssertTrue(sizes.allSatisfy { $0 >= 1 })
        XCTAssertEqual(meanAndVariance(sizes).mean, 120, accuracy: tHalfWidth(sizes), "mean size")
        // Rounding adds 1/12 to the variance of N(120, 25²).
        let (_, sv) = meanAndVariance(sizes)
        let k = Double(sizes.count - 1)
        XCTAssertTrue((gsl_cdf_chisq_Pinv(0.0005, k) / k...gsl_cdf_chisq_Pinv(0.9995, k) / k)
            .contains(sv / (625 + 1.0 / 12)), "size variance \(sv)")

        XCTAssertTrue(delays.allSatisfy { $0 >= spreadMin && $0 < spreadMax })
        let (dm, _) = meanAndVariance(delays)
        let sd = (spreadMax - spreadMin) / 12.squareRoot()
        XCTAssertEqual(dm, (spreadMin + spreadMax) / 2, accuracy: z * sd / Double(delays.count).squareRoot())
        assertKS(Array(delays.prefix(50_000)), cdf: { ($0 - spreadMin) / (spreadMax - spreadMin) }, "spread")
    }

    func testExponentialSpreadAndNoSpread() throws {
        let withSpread = ArrivalProcess.batches(BatchArrivals(
            times: .process(.poisson(rate: 1 / hour)), size: try .deterministic(50),
            spread: try .exponential(mean: 240)))
        var g = ArrivalGenerator(process: withSpread, stream: stream("spread"), horizon: 200 * hour)
        var delays: [Double] = []
        while case .batch(_, let n)? = g.next() { for _ in 0..<n { delays.append(g.spreadDelay()) } }
        XCTAssertGreaterThan(delays.count, 5000)
        assertKS(delays, cdf: { 1 - exp(-$0 / 240) }, "exponential spread")

        let noSpread = ArrivalProcess.batches(BatchArrivals(
            times: .process(.poisson(rate: 1 / hour)), size: try .deterministic(50)))
        var h = ArrivalGenerator(process: noSpread, stream: stream("spread"), horizon: 200 * hour)
        _ = h.next()
        XCTAssertEqual((0..<100).map { _ in h.spreadDelay() }, [Double](repeating: 0, count: 100))
        var single = ArrivalGenerator(process: .poisson(rate: 1), stream: stream("x"), horizon: 10)
        XCTAssertEqual(single.spreadDelay(), 0)
    }

    func testBatchSizesAreRoundedToNearestAndClamped() throws {
        func sizes(_ size: Distribution, batches: Int = 20_000) -> [Int] {
            let p = ArrivalProcess.batches(BatchArrivals(times: .process(.poisson(rate: 1)), size: size))
            return drain(p, stream("sizes"), horizon: Double(batches)).map {
                guard case .batch(_, let n) = $0 else { XCTFail("not a batch"); return -1 }
                return n
            }
        }
        XCTAssertEqual(Set(sizes(try .deterministic(2.6), batches: 100)), [3])
        XCTAssertEqual(Set(sizes(try .deterministic(2.4), batches: 100)), [2])
        XCTAssertTrue(sizes(try .deterministic(-3), batches: 100).isEmpty, "negative → 0 → skipped")
        XCTAssertTrue(sizes(try .deterministic(0.4), batches: 100).isEmpty, "rounds to 0 → skipped")

        // Uniform on [0, 3): 0 w.p. 1/6 (skipped), 1 and 2 w.p. 1/3, 3 w.p. 1/6. Among the
        // batches returned: 0.4, 0.4, 0.2 (truncation would give 1/2, 1/2, 0 after skipping).
        let s = sizes(try .uniform(min: 0, max: 3))
        let n = Double(s.count)
        assertPoissonMean(s.count, replications: 1, mean: 20_000 * 5 / 6, "non-empty batches")
        for (value, p) in [(1, 0.4), (2, 0.4), (3, 0.2)] {
            let share = Double(s.filter { $0 == value }.count) / n
            XCTAssertEqual(share, p, accuracy: z * (p * (1 - p) / n).squareRoot(), "share of size \(value)")
        }
    }

    func testBatchTimetableListedSizesOverride() throws {
        let process = ArrivalProcess.batches(BatchArrivals(
            times: .timetable([ScheduledBatch(time: 7200, size: 40), ScheduledBatch(time: 3600),
                               ScheduledBatch(time: 1800, size: 0), ScheduledBatch(time: 5400, size: 7),
                               ScheduledBatch(time: 5400), ScheduledBatch(time: day, size: 9),
                               ScheduledBatch(time: day + 1)]),
            size: try .deterministic(150), spread: try .deterministic(30)))
        var g = ArrivalGenerator(process: process, stream: stream("tt"), horizon: day)
        var got: [ArrivalEpoch] = []
        while let e = g.next() { got.append(e) }
        XCTAssertEqual(got, [.batch(time: 3600, size: 150), .batch(time: 5400, size: 7),
                             .batch(time: 5400, size: 150), .batch(time: 7200, size: 40)])
        XCTAssertEqual(g.spreadDelay(), 30)
    }

    func testProfileFlights() throws {
        // Flights only 06:00–22:00, 4 an hour; 8 days of them.
        let perHour = (0..<24).map { (6..<22).contains($0) ? 4 / hour : 0 }
        let process = ArrivalProcess.batches(BatchArrivals(
            times: .process(.profile(try PiecewiseConstant(steps: perHour, repeating: true))),
            size: try .deterministic(100)))
        let days = 8
        let ts = times(drain(process, stream("profile-flights"), horizon: Double(days) * day))
        assertOrderedBelow(ts, Double(days) * day)
        XCTAssertTrue(ts.allSatisfy { (6 * hour..<22 * hour).contains($0.truncatingRemainder(dividingBy: day)) })
        assertPoissonMean(ts.count, replications: days, mean: 16 * 4, "flights per day")
    }

    // MARK: - Timetables and traces

    func testTimetableExactTimesAndHorizon() {
        let got = drain(.timetable([30, 10, 20, 20, 86_400, 90_000, -5, 0]), stream("t"), horizon: 86_400)
        XCTAssertEqual(got, [0, 10, 20, 20, 30].map { .single(time: $0, traced: nil) })
        XCTAssertTrue(drain(.timetable([]), stream("t"), horizon: 100).isEmpty)
    }

    func testTraceReplayPassesAttributesThrough() {
        let a = TracedParty(time: 50, trusted: true, advanceInfo: false, violation: 2, riskScore: 1.7)
        let b = TracedParty(time: 10, trusted: false)
        let c = TracedParty(time: 50, violation: -1)       // tie with a: keeps listed order
        let d = TracedParty(time: 3600, riskScore: 0.1)    // at the horizon: dropped
        let got = drain(.trace([a, b, c, d]), stream("trace"), horizon: 3600)
        XCTAssertEqual(got, [.single(time: 10, traced: b), .single(time: 50, traced: a),
                             .single(time: 50, traced: c)])
    }

    // MARK: - Determinism

    func testSameStreamKeyGivesIdenticalSequence() throws {
        let processes: [ArrivalProcess] = [
            .poisson(rate: 0.1),
            .profile(try PiecewiseConstant(steps: dailyPerHour.map { $0 / hour }, repeating: true)),
            .batches(BatchArrivals(times: .process(.poisson(rate: 2 / hour)),
                                   size: try .lognormal(mean: 40, sd: 15), spread: try .exponential(mean: 120))),
        ]
        func run(_ p: ArrivalProcess, _ s: RandomStream) -> [Double] {
            var g = ArrivalGenerator(process: p, stream: s, horizon: 2 * day)
            var out: [Double] = []
            while let e = g.next() {
                out.append(e.time)
                if case .batch(_, let n) = e { out.append(Double(n)); for _ in 0..<n { out.append(g.spreadDelay()) } }
            }
            return out
        }
        for p in processes {
            let first = run(p, stream("arrivals/car", replication: 3))
            XCTAssertGreaterThan(first.count, 10)
            XCTAssertEqual(run(p, stream("arrivals/car", replication: 3)), first)
            XCTAssertNotEqual(run(p, stream("arrivals/car", replication: 4)), first)
        }
    }
}
