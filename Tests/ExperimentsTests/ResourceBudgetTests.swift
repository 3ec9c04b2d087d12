import BorderModel
import Experiments
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
