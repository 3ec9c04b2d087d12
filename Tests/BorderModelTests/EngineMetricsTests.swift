import XCTest
import SimKernel
@testable import BorderModel

/// Warm-up, metrics, and the queueing-theory anchors.
final class EngineMetricsTests: XCTestCase {
    /// M/M/1 and M/M/5: the mean wait is within a 99 % CI of 20 replications of Erlang C.
    func testSingleLaneIsMMc() throws {
        for (perHour, booths, hours) in [(36.0, 1, 100.0), (240.0, 5, 40.0)] {
            let config = try PortFixtures.mmc(arrivalsPerHour: perHour, meanService: 60, booths: booths,
                                              hours: hours, warmUpHours: 4)
            let wait = try PortFixtures.replicate(config, n: 20) { $0.lanes[0].wait.mean }
            let theory = PortFixtures.erlangCWait(arrivalRate: perHour / 3600, serviceRate: 1.0 / 60, servers: booths)
            XCTAssertTrue(wait.confidenceInterval(level: 0.99).contains(theory),
                          "c=\(booths): \(wait.confidenceInterval(level: 0.99)) vs Erlang C \(theory)")
        }
    }

    /// M/M/1 percentiles: P(W > t) = ρ·e^{−(μ−λ)t}, so p90 = ln(10ρ)/(μ−λ); percentiles ordered.
    func testPercentilesMatchMM1() throws {
        let λ = 45.0 / 3600, μ = 1.0 / 60
        let config = try PortFixtures.mmc(arrivalsPerHour: 45, meanService: 60, booths: 1, hours: 60, warmUpHours: 4)
        var p90 = SampleSummary()
        for rep in 0..<20 {
            let w = try PortSimulation(config: config, seed: 9, replication: rep).run().lanes[0].wait
            XCTAssertTrue(w.p50 <= w.p90 && w.p90 <= w.p95 && w.p95 <= w.p99 && w.p99 <= w.max && w.mean <= w.max, "\(w)")
            p90.add(w.p90)
        }
        let theory = Foundation.log(10 * λ / μ) / (μ - λ)
        XCTAssertTrue(p90.confidenceInterval(level: 0.99).contains(theory), "\(p90.confidenceInterval(level: 0.99)) vs \(theory)")
    }

    /// Without warm-up the hourly series add up to the totals, per lane.
    func testHourlySeriesSumToTotals() throws {
        var config = try PortFixtures.smallLandPort(hours: 12)
        config.warmUp = 0
        config.lanes[0].capacity = 5                     // some re-routing and balking too
        let r = try PortFixtures.run(config).result
        let lanes = r.laneNames.count, classes = r.classNames.count
        for l in 0..<lanes {
            let arrived = (0..<classes).reduce(0) { $0 + r.flow(lane: l, classIndex: $1).arrived }
            let served = (0..<classes).reduce(0) { $0 + r.flow(lane: l, classIndex: $1).served }
            let waits = (0..<classes).reduce(0) { $0 + r.flow(lane: l, classIndex: $1).wait.count }
            XCTAssertEqual((0..<r.series.bins).reduce(0) { $0 + r.series.arrivals[$1 * lanes + l] }, arrived, "lane \(l)")
            XCTAssertEqual((0..<r.series.bins).reduce(0) { $0 + r.series.served[$1 * lanes + l] }, served, "lane \(l)")
            XCTAssertEqual(r.lanes[l].wait.count, waits, "lane \(l)")
        }
        XCTAssertEqual(r.series.bins, 12)
        XCTAssertEqual(r.series.officersOnDuty.count, 12)
    }

    /// Queue samples on a deterministic timetable: one booth, 4 parties at t = 0…3, 1000 s each.
    func testQueueSamples() throws {
        let cls = TrafficClass(name: "car", kind: .passengerVehicle, arrivals: .timetable([0, 1, 2, 3]))
        let lane = Lane(name: "l", serves: [0], booths: .constant(1), service: [PortFixtures.fixed(1000)])
        let config = PortConfiguration(name: "samples", horizon: 3600, classes: [cls], lanes: [lane],
                                       metrics: MetricOptions(queueSampleInterval: 500, seriesBin: 3600))
        let s = try PortFixtures.run(config).result.series
        XCTAssertEqual(s.sampleTimes, [0, 500, 1000, 1500, 2000, 2500, 3000, 3500])
        XCTAssertEqual(s.queueSamples, [0, 3, 2, 2, 1, 1, 0, 0])
    }

    /// Statistics restart at the warm-up while parties keep flowing: those present then are
    /// counted in `inSystemAtStart`, conservation still holds, and the series (never reset)
    /// after the warm-up match the post-warm-up totals.
    func testWarmUpResetsStatisticsNotParties() throws {
        var config = try PortFixtures.mmc(arrivalsPerHour: 54, meanService: 60, booths: 1, hours: 6, warmUpHours: 2)
        config.classes[0].patience = PortFixtures.exp(1800)
        let run = try PortFixtures.run(config)
        let r = run.result, f = r.flow(lane: 0, classIndex: 0)
        assertConserves(r)
        XCTAssertGreaterThan(f.inSystemAtStart, 0)
        XCTAssertEqual(f.arrived, r.series.arrivals[2...].reduce(0, +))
        XCTAssertEqual(f.served, r.series.served[2...].reduce(0, +))
        XCTAssertEqual(r.partiesArrived, r.series.arrivals.reduce(0, +))
        // Parties present at the warm-up keep flowing and are counted when they leave.
        let carried = run.parties.filter { $0.arrival < 7200 && $0.exit >= 7200 }.count
        XCTAssertTrue(carried > 0 && carried <= f.inSystemAtStart, "\(carried) of \(f.inSystemAtStart)")
        XCTAssertEqual(f.departed + f.reneged, run.parties.filter { $0.exit >= 7200 }.count)
        // Waits count services started after the warm-up (at most one still in the booth at the end).
        let started = run.parties.filter { ($0.serviceStart ?? 0) >= 7200 }.count
        XCTAssertTrue((0...1).contains(f.wait.count - started), "\(f.wait.count) vs \(started)")
        XCTAssertEqual(r.lanes[0].meanOpenBooths, 1)
    }
}
