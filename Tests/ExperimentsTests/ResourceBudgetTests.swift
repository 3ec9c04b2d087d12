import BorderModel
@testable import Experiments
import XCTest

/// The resource budget (issue 14): the estimate grows with the inputs that drive memory, a run
/// above the limit is refused naming that input, and limits parse as people write them.
final class ResourceBudgetTests: XCTestCase {
    func testEstimateGrowsWithWhatDrivesMemoryAndNamesIt() throws {
        var config = try StatisticsTests.smallPort()
        let base = ResourceBudget.estimate(config, replications: 10, concurrent: 2, trace: false).bytes
        XCTAssertGreaterThan(ResourceBudget.estimate(config, replications: 1000, concurrent: 2, trace: false).bytes, base)
        XCTAssertGreaterThan(ResourceBudget.estimate(config, replications: 10, concurrent: 2, trace: true).bytes, base)
        config.metrics.seriesBin = 0.01                    // 2.9 million bins over 8 h
        let fine = ResourceBudget.estimate(config, replications: 10, concurrent: 2, trace: false)
        XCTAssertEqual(fine.largest?.key, "horizon / metrics.series-bin")
        XCTAssertThrowsError(try ResourceBudget.check(fine, limit: 1_073_741_824, what: "test")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("series-bin") && text.contains("--memory-limit"), text)
        }
        XCTAssertNoThrow(try ResourceBudget.check(ResourceBudget.estimate(try StatisticsTests.smallPort(), replications: 10,
                                                                          concurrent: 2, trace: false),
                                                  limit: 1_073_741_824, what: "test"))
    }

    /// The party pool holds the parties present, not all who came: a port that serves what
    /// arrives stays small however long the run, one whose arrivals outrun service grows with it.
    func testThePoolGrowsWithTheHorizonOnlyWhenArrivalsOutrunService() throws {
        let year = 8_760.0
        let stable = try StatisticsTests.queues(arrivalsPerHour: 45, meanService: 60, lanes: 2, hours: year)   // ρ = 0.75
        XCTAssertLessThan(stable.occupancyBound, 0.01 * stable.arrivalBound, "a stable port over a year")
        let day = try StatisticsTests.queues(arrivalsPerHour: 45, meanService: 60, lanes: 2, hours: 24)
        XCTAssertLessThan(stable.occupancyBound, 365.0.squareRoot() * day.occupancyBound, "a year against a day: slower than √horizon")
        let overloaded = try StatisticsTests.queues(arrivalsPerHour: 90, meanService: 60, lanes: 2, hours: year)  // ρ = 1.5
        XCTAssertGreaterThan(overloaded.occupancyBound, 0.3 * overloaded.arrivalBound)
        XCTAssertLessThanOrEqual(overloaded.occupancyBound, overloaded.arrivalBound)
        func pool(_ c: PortConfiguration) -> Double {
            ResourceBudget.estimate(c, replications: 2, concurrent: 2, trace: false).parts.first { $0.what == "party pool" }!.bytes
        }
        XCTAssertGreaterThan(pool(overloaded), 50 * pool(stable))
    }

    /// The bound holds in simulation: over 20 replications of a port just above capacity for 8 h
    /// (ρ = 1.17), no replication's peak queues plus booths exceed it.
    func testTheOccupancyBoundHoldsInSimulation() throws {
        for rho in [0.9, 1.17] {
            let config = try StatisticsTests.queues(arrivalsPerHour: rho * 60, meanService: 60, lanes: 2, hours: 8)
            let results = try ReplicationRunner.run(config, seed: 14, replications: 20, threads: 2)
            let peak = results.map { r in r.lanes.reduce(0) { $0 + $1.maxQueue + 1 } }.max()!
            XCTAssertLessThanOrEqual(peak, config.occupancyBound, "ρ = \(rho)")
        }
    }

    /// A sweep is judged point by point: a plan whose base is small but whose values make one
    /// point huge is refused, naming that point and its values.
    func testASweepIsEstimatedFromEachPointsModel() throws {
        let small = try StatisticsTests.smallPort()
        var huge = small
        huge.horizon = 8_760 * 3600 * 20
        huge.metrics.seriesBin = 60
        let e = ResourceBudget.estimate(points: [("point 0 (horizon=8h)", small), ("point 1 (horizon=20y)", huge)],
                                        replications: 10, concurrent: 2)
        XCTAssertEqual(e.largest?.what, "series bins at point 1 (horizon=20y)")
        XCTAssertGreaterThan(e.bytes, 100 * ResourceBudget.estimate(small, replications: 10, concurrent: 2, trace: false).bytes)
        XCTAssertThrowsError(try ResourceBudget.check(e, limit: 1_073_741_824, what: "sweep")) { error in
            XCTAssertTrue("\(error)".contains("point 1 (horizon=20y)"), "\(error)")
        }
    }

    func testLimitsParse() {
        XCTAssertEqual(ResourceBudget.parseLimit("4G"), 4 * 1_073_741_824)
        XCTAssertEqual(ResourceBudget.parseLimit("512M"), 512 * 1_048_576)
        XCTAssertEqual(ResourceBudget.parseLimit("2GB"), 2e9)
        XCTAssertEqual(ResourceBudget.parseLimit("2e9"), 2e9)
        XCTAssertNotNil(ResourceBudget.parseLimit("50%"))
        for bad in ["", "-1G", "0", "lots", "150%", "nanG", "infG"] { XCTAssertNil(ResourceBudget.parseLimit(bad), bad) }
        XCTAssertGreaterThan(ResourceBudget.defaultLimit(), 0)
    }
}
