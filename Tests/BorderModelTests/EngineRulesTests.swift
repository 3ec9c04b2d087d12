import XCTest
import SimKernel
@testable import BorderModel

/// Priority classes and the operational rules, on small ports with common random numbers.
final class EngineRulesTests: XCTestCase {
    /// Two classes at one booth: a bus that joins a queue of cars is served next.
    func testAHigherPriorityPartyOvertakesTheQueue() throws {
        let car = TrafficClass(name: "car", kind: .passengerVehicle, arrivals: .timetable([0, 1, 2, 3]))
        let bus = TrafficClass(name: "bus", kind: .bus, arrivals: .timetable([4]), priority: 5)
        let lane = Lane(name: "one", serves: [0, 1], booths: .constant(1),
                        service: [PortFixtures.fixed(100), PortFixtures.fixed(100)])
        let config = PortConfiguration(name: "priority", horizon: 1000, classes: [car, bus], lanes: [lane])
        let run = try PortFixtures.run(config)
        XCTAssertEqual(run.violations, [])
        let starts = run.parties.sorted { $0.serviceStart! < $1.serviceStart! }.map { ($0.classIndex, $0.arrival) }
        XCTAssertEqual(starts.map(\.0), [0, 1, 0, 0, 0])          // car at 0 first, then the bus, then cars
        XCTAssertEqual(starts.map(\.1), [0, 4, 1, 2, 3])
        let bus0 = run.result.flow(lane: 0, classIndex: 1)
        XCTAssertEqual(bus0.wait.mean, 96, accuracy: 1e-9)        // joined at 4, served at 100
    }

    /// Without a priority difference the lane is FIFO: the same as before priorities existed.
    func testEqualPrioritiesChangeNothing() throws {
        let base = try PortFixtures.smallLandPort(hours: 6)
        var shifted = base
        for c in shifted.classes.indices { shifted.classes[c].priority = 7 }
        let a = try PortFixtures.run(base).result, b = try PortFixtures.run(shifted).result
        XCTAssertEqual(a, b)
    }

    private func surgePort(opening: DynamicOpening? = nil, speedUp: LoadDependentService? = nil) throws -> PortConfiguration {
        // 3 h of 150/h then 3 h of 40/h at 2 booths of mean 60 s: a queue builds, then drains.
        let cars = TrafficClass(name: "car", kind: .passengerVehicle,
                                arrivals: .profile(PortFixtures.hourly([150, 150, 150, 40, 40, 40].map { $0 / 3600 })))
        let lane = Lane(name: "general", serves: [0], booths: .constant(2), service: [PortFixtures.exp(60)],
                        dynamicOpening: opening, speedUp: speedUp)
        return PortConfiguration(name: "surge", horizon: 6 * 3600, classes: [cars], lanes: [lane])
    }

    func testDynamicOpeningOpensExtraBoothsUnderLoadAndClosesThemAfter() throws {
        let plain = try PortFixtures.run(try surgePort())
        let opened = try PortFixtures.run(try surgePort(opening: DynamicOpening(openAbove: 5, closeBelow: 1, maxBooths: 4)))
        XCTAssertEqual(opened.violations, [])
        assertConserves(opened.result)
        let series = opened.result.series
        XCTAssertGreaterThan(series.openBooths.prefix(3).max()!, 2.4, "supervisors open booths in the surge")
        XCTAssertLessThanOrEqual(series.openBooths.max()!, 4, "never more than max-booths")
        XCTAssertGreaterThan(opened.result.lanes[0].meanOpenBooths, 2.2)
        XCTAssertEqual(series.openBooths.last!, 2, accuracy: 0.3, "extras close once the queue drains")
        XCTAssertLessThan(opened.result.lanes[0].wait.mean, 0.5 * plain.result.lanes[0].wait.mean)
        XCTAssertGreaterThan(opened.result.staffedOfficerHours, plain.result.staffedOfficerHours)
        // The same travellers (common random numbers): arrivals are identical.
        XCTAssertEqual(opened.result.series.arrivals, plain.result.series.arrivals)
    }

    func testSpeedUpShortensServiceOnlyUnderLoad() throws {
        let plain = try PortFixtures.run(try surgePort())
        let fast = try PortFixtures.run(try surgePort(speedUp: LoadDependentService(from: 2, to: 10, maxSpeedUp: 1.5)))
        XCTAssertEqual(fast.violations, [])
        XCTAssertLessThan(fast.result.lanes[0].wait.mean, 0.8 * plain.result.lanes[0].wait.mean)
        // A threshold the queue never reaches changes nothing at all.
        let never = try PortFixtures.run(try surgePort(speedUp: LoadDependentService(from: 9_999, to: 10_000, maxSpeedUp: 2)))
        XCTAssertEqual(never.result, plain.result)
        let rule = LoadDependentService(from: 2, to: 10, maxSpeedUp: 1.5)
        XCTAssertEqual(rule.speed(perBooth: 1), 1)
        XCTAssertEqual(rule.speed(perBooth: 6), 1.25)
        XCTAssertEqual(rule.speed(perBooth: 50), 1.5)
    }

    /// Rebalancing as a rule: officers move to the scanner while its queue is long, never more
    /// than allowed, and the port conserves its parties.
    func testRebalancingMovesOfficersWithinItsBounds() throws {
        var config = try PortFixtures.smallLandPort(hours: 8, rule: .random(rate: 0.3))
        config.staffing = Staffing(onDuty: .constant(20),
                                   rebalance: RebalanceRule(station: 0, fromLanes: [0], raiseAt: 3, lowerAt: 0, maxMoved: 2))
        let run = try PortFixtures.run(config)
        XCTAssertEqual(run.violations, [])
        assertConserves(run.result)
        let scanner = run.result.stations[0]
        XCTAssertGreaterThan(scanner.meanOpenServers, 2.05, "officers moved to the scanner")
        XCTAssertLessThanOrEqual(run.result.series.stationBusy.max()!, 4 + 1e-9, "2 servers + at most 2 moved")
    }
}
