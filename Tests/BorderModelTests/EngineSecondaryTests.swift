import XCTest
import SimKernel
@testable import BorderModel

/// Secondary stations under downtime, the staffing rule, and officer-hours.
final class EngineSecondaryTests: XCTestCase {
    /// Everybody goes to station 0 (a scanner); station 1 takes diverted parties. The scanner
    /// fails every 1000 s of up time and is repaired in 500 s: down on [1000, 1500],
    /// [2500, 3000], … (deterministic).
    private func port(_ whileDown: Downtime.WhileDown, hours: Double = 3) -> PortConfiguration {
        let cls = TrafficClass(name: "car", kind: .passengerVehicle, arrivals: .poisson(rate: 120.0 / 3600),
                               violations: [ViolationPrevalence(type: 0, prevalence: 0.2)])
        let lane = Lane(name: "l", serves: [0], booths: .constant(4), service: [PortFixtures.fixed(10)])
        let scanner = SecondaryStation(name: "scanner", servers: .constant(1), service: PortFixtures.exp(20),
                                       sensitivity: [1], onAlarm: .release, onClear: .release,
                                       downtime: Downtime(timeBetweenFailures: PortFixtures.fixed(1000),
                                                          repairTime: PortFixtures.fixed(500), whileDown: whileDown))
        let backup = SecondaryStation(name: "backup", servers: .constant(1), service: PortFixtures.exp(20),
                                      sensitivity: [1], onAlarm: .release, onClear: .release)
        return PortConfiguration(name: "downtime", horizon: hours * 3600, violationTypes: ["x"], classes: [cls],
                                 lanes: [lane], targeting: TargetingPolicy(rule: .all), stations: [scanner, backup])
    }

    /// Whether `t` lies strictly inside a down period of the scanner.
    private func down(_ t: Double) -> Bool {
        let phase = t.truncatingRemainder(dividingBy: 1500)
        return t >= 1000 && phase > 1000
    }

    func testQueueWaitsWhileDown() throws {
        let run = try PortFixtures.run(port(.queueWaits))
        XCTAssertEqual(run.violations, [])
        assertConserves(run.result)
        let visits = run.parties.flatMap(\.stations)
        XCTAssertFalse(visits.contains { down($0.started) }, "no service starts while down")
        XCTAssertTrue(visits.contains { $0.started == 1500 && $0.entered < 1500 }, "the queue restarts at the repair")
        XCTAssertEqual(run.result.stations[0].diverted + run.result.stations[0].releasedUnscreened, 0)
        XCTAssertEqual(run.result.stations[0].downFraction, 3500.0 / 10800, accuracy: 1e-9)
    }

    func testDivertWhileDown() throws {
        let run = try PortFixtures.run(port(.divert(to: 1)))
        XCTAssertEqual(run.violations, [])
        assertConserves(run.result)
        let visits = run.parties.flatMap(\.stations)
        XCTAssertFalse(visits.contains { $0.station == 0 && down($0.started) })
        let diverted = visits.filter { $0.station == 1 }
        XCTAssertGreaterThan(diverted.count, 10)
        XCTAssertTrue(diverted.allSatisfy { down($0.entered) || [1000, 2500, 4000, 5500, 7000, 8500, 10000].contains($0.entered) },
                      "the backup only sees parties while the scanner is down")
        XCTAssertEqual(run.result.stations[0].diverted, run.result.stations[1].arrived)
    }

    func testReleaseUnscreenedWhileDown() throws {
        let run = try PortFixtures.run(port(.releaseUnscreened))
        XCTAssertEqual(run.violations, [])
        assertConserves(run.result)
        let released = run.parties.filter { $0.referred && $0.stations.isEmpty }
        XCTAssertEqual(released.count, run.result.stations[0].releasedUnscreened)
        XCTAssertGreaterThan(released.count, 10)
        XCTAssertTrue(released.allSatisfy { !$0.detected && (down($0.exit) || $0.exit.truncatingRemainder(dividingBy: 1500) == 1000) })
        XCTAssertGreaterThan(run.result.security.missed, 0, "violators released unscreened are missed")
        XCTAssertEqual(run.result.stations[1].arrived, 0)
    }

    /// Exponential failures and repairs: the down fraction is MTTR/(MTBF + MTTR) (99 % CI).
    func testDownFractionMatchesMTBFAndMTTR() throws {
        var config = port(.queueWaits, hours: 100)
        config.classes[0].arrivals = .poisson(rate: 1.0 / 3600)
        config.stations[0].downtime = Downtime(timeBetweenFailures: PortFixtures.exp(3600),
                                               repairTime: PortFixtures.exp(900))
        let fraction = try PortFixtures.replicate(config, n: 20) { $0.stations[0].downFraction }
        XCTAssertTrue(fraction.confidenceInterval(level: 0.99).contains(0.2), "\(fraction.confidenceInterval(level: 0.99))")
    }

    // MARK: staffing

    /// A busy station (queue ≥ 3) takes officers from the booths, up to 2; when its queue
    /// empties they return. Arrivals stop after 2 h, so by the end all booths are open again.
    func testRebalancingMovesOfficersAndBack() throws {
        let cls = TrafficClass(name: "car", kind: .passengerVehicle,
                               arrivals: .profile(PortFixtures.hourly([90.0 / 3600, 90.0 / 3600, 0])))
        let lane = Lane(name: "l", serves: [0], booths: .constant(4), service: [PortFixtures.exp(30)])
        let station = SecondaryStation(name: "s", servers: .constant(1), service: PortFixtures.exp(200),
                                       sensitivity: [], onAlarm: .release, onClear: .release)
        let staffing = Staffing(onDuty: .constant(5), rebalance: RebalanceRule(station: 0, fromLanes: [0], raiseAt: 3,
                                                                               lowerAt: 0, maxMoved: 2))
        let config = PortConfiguration(name: "rebalance", horizon: 6 * 3600, classes: [cls], lanes: [lane],
                                       targeting: TargetingPolicy(rule: .random(rate: 0.5)), stations: [station],
                                       staffing: staffing)
        let run = try PortFixtures.run(config)
        XCTAssertEqual(run.violations, [])
        assertConserves(run.result)
        let open = run.result.series.openBooths          // one lane: one value per hour
        XCTAssertLessThan(open[0], 4, "officers moved to secondary in the first hour")
        XCTAssertGreaterThanOrEqual(open.min()!, 2, "never more than maxMoved officers move")
        XCTAssertEqual(open.last!, 4, "all back at the booths once the queue is gone")
        XCTAssertGreaterThan(run.result.stations[0].meanOpenServers, 1)
        // Officers only move: 5 positions staffed all the time.
        XCTAssertEqual(run.result.staffedOfficerHours, 30, accuracy: 1e-9)
    }

    /// Officer-hours: without staffing, the booth and server schedules; with a shift pattern,
    /// positions are capped by officers on duty (stations first); both after the warm-up only.
    func testOfficerHours() throws {
        let cls = TrafficClass(name: "car", kind: .passengerVehicle, arrivals: .poisson(rate: 60.0 / 3600))
        let lane = Lane(name: "l", serves: [0], booths: PortFixtures.hourly([2, 4, 1]), service: [PortFixtures.exp(30)])
        let station = SecondaryStation(name: "s", servers: .constant(1), service: PortFixtures.exp(100),
                                       sensitivity: [])
        var config = PortConfiguration(name: "hours", horizon: 3 * 3600, classes: [cls], lanes: [lane],
                                       targeting: TargetingPolicy(rule: .random(rate: 0.1)), stations: [station])
        var r = try PortFixtures.run(config).result
        XCTAssertEqual(r.staffedOfficerHours, 7 + 3, accuracy: 1e-9)
        XCTAssertEqual(r.onDutyOfficerHours, 10, accuracy: 1e-9)
        XCTAssertEqual(r.series.openBooths, [2, 4, 1])
        config.staffing = Staffing(onDuty: .constant(3))
        config.warmUp = 3600
        r = try PortFixtures.run(config).result
        // Hour 2: station 1 + booths min(4, 2); hour 3: 1 + 1.
        XCTAssertEqual(r.staffedOfficerHours, 3 + 2, accuracy: 1e-9)
        XCTAssertEqual(r.onDutyOfficerHours, 6, accuracy: 1e-9)
        XCTAssertEqual(r.series.openBooths, [2, 2, 1])
        XCTAssertEqual(r.series.officersOnDuty, [3, 3, 3])
    }
}
