import XCTest
import SimKernel
@testable import BorderModel

/// Arrivals through the engine: counts per class and per hour match the configured rates.
final class EngineArrivalTests: XCTestCase {
    /// Two Poisson classes on one lane: each class's mean count is λT (99 % CI, 20 replications).
    func testPoissonCountsPerClass() throws {
        let rates = [100.0, 300.0]                               // per hour
        let classes = rates.enumerated().map { i, r in
            TrafficClass(name: "c\(i)", kind: .passengerVehicle, arrivals: .poisson(rate: r / 3600))
        }
        let lane = Lane(name: "l", serves: [0, 1], booths: .constant(3),
                        service: [PortFixtures.fixed(5), PortFixtures.fixed(5)])
        let config = PortConfiguration(name: "poisson", horizon: 10 * 3600, classes: classes, lanes: [lane])
        var counts = [SampleSummary(), SampleSummary()]
        for rep in 0..<20 {
            let r = try PortSimulation(config: config, seed: 7, replication: rep).run()
            for c in 0..<2 { counts[c].add(Double(r.flow(lane: 0, classIndex: c).arrived)) }
        }
        for c in 0..<2 {
            XCTAssertTrue(counts[c].confidenceInterval(level: 0.99).contains(rates[c] * 10),
                          "class \(c): \(counts[c].confidenceInterval(level: 0.99)) vs \(rates[c] * 10)")
        }
    }

    /// An hourly profile: each hour's mean arrival count is that hour's rate (99 % CI).
    func testHourlyProfileCountsMatchRates() throws {
        let perHour = [50.0, 200.0, 400.0, 0.0, 120.0, 300.0]
        let cls = TrafficClass(name: "car", kind: .passengerVehicle,
                               arrivals: .profile(PortFixtures.hourly(perHour.map { $0 / 3600 })))
        let lane = Lane(name: "l", serves: [0], booths: .constant(30), service: [PortFixtures.fixed(5)])
        let config = PortConfiguration(name: "profile", horizon: 6 * 3600, classes: [cls], lanes: [lane])
        var hours = Array(repeating: SampleSummary(), count: perHour.count)
        for rep in 0..<30 {
            let r = try PortSimulation(config: config, seed: 11, replication: rep).run()
            XCTAssertEqual(r.series.bins, perHour.count)
            for h in perHour.indices { hours[h].add(Double(r.series.arrivals[h])) }
        }
        for h in perHour.indices {
            if perHour[h] == 0 {
                XCTAssertEqual(hours[h].max, 0, "hour \(h) has rate 0")
            } else {
                XCTAssertTrue(hours[h].confidenceInterval(level: 0.99).contains(perHour[h]),
                              "hour \(h): \(hours[h].confidenceInterval(level: 0.99)) vs \(perHour[h])")
            }
        }
    }

    /// Listed batches bring exactly their sizes; members reach primary after their spread delay.
    func testBatchesAndTimetable() throws {
        let flights = BatchArrivals(times: .timetable([ScheduledBatch(time: 600, size: 40),
                                                       ScheduledBatch(time: 3000, size: 25)]),
                                    size: PortFixtures.fixed(10),
                                    spread: try .uniform(min: 60, max: 300))
        let air = TrafficClass(name: "air", kind: .airPassenger, arrivals: .batches(flights))
        let walkers = TrafficClass(name: "walk", kind: .pedestrian, arrivals: .timetable([5, 100, 100, 7000]))
        let lane = Lane(name: "hall", serves: [0, 1], booths: .constant(4),
                        service: [PortFixtures.exp(40), PortFixtures.exp(40)])
        let config = PortConfiguration(name: "batches", horizon: 4 * 3600, classes: [air, walkers], lanes: [lane])
        let run = try PortFixtures.run(config)
        XCTAssertEqual(run.violations, [])
        XCTAssertEqual(run.result.flow(lane: 0, classIndex: 0).arrived, 65)
        XCTAssertEqual(run.result.flow(lane: 0, classIndex: 1).arrived, 4)
        XCTAssertEqual(run.result.partiesArrived, 69)
        let air0 = run.parties.filter { $0.classIndex == 0 }
        XCTAssertEqual(air0.count, 65)
        XCTAssertEqual(air0.filter { (660...900).contains($0.arrival) }.count, 40)
        XCTAssertEqual(air0.filter { (3060...3300).contains($0.arrival) }.count, 25)
        XCTAssertEqual(run.parties.filter { $0.classIndex == 1 }.map(\.arrival).sorted(), [5, 100, 100, 7000])
        assertConserves(run.result)
    }

    /// A replayed trace keeps its recorded attributes.
    func testTraceReplayKeepsAttributes() throws {
        let recorded = [TracedParty(time: 10, trusted: true, advanceInfo: false, violation: 0, riskScore: 3.5),
                        TracedParty(time: 20, trusted: false, advanceInfo: true, violation: -1, riskScore: -1)]
        let cls = TrafficClass(name: "t", kind: .truck, arrivals: .trace(recorded),
                               violations: [ViolationPrevalence(type: 0, prevalence: 0.5)])
        let lane = Lane(name: "l", serves: [0], booths: .constant(1), service: [PortFixtures.fixed(30)])
        let config = PortConfiguration(name: "trace", horizon: 3600, violationTypes: ["x"], classes: [cls], lanes: [lane])
        let run = try PortFixtures.run(config)
        XCTAssertEqual(run.parties.map(\.trusted), [true, false])
        XCTAssertEqual(run.parties.map(\.advanceInfo), [false, true])
        XCTAssertEqual(run.parties.map(\.violation), [0, -1])
        XCTAssertEqual(run.parties.map(\.riskScore), [3.5, -1])
        XCTAssertEqual(run.parties.map(\.arrival), [10, 20])
    }
}
