import XCTest
@testable import Staffing

final class ServiceTargetTests: XCTestCase {
    func testParsesThePlannersPhrases() throws {
        let a = try ServiceTarget(parsing: "lane.general: p95-wait <= 30 min")
        XCTAssertEqual(a.subject, .lane("general"))
        XCTAssertEqual(a.metric, .p95Wait)
        XCTAssertEqual(a.bound, 1800)
        XCTAssertNil(a.scope)
        let b = try ServiceTarget(parsing: "lane.ready: share-over 30 min <= 5% every hour")
        XCTAssertEqual(b.metric, .shareOver(1800))
        XCTAssertEqual(b.bound, 0.05, accuracy: 1e-12)
        XCTAssertEqual(b.scope, .everyHour)
        let c = try ServiceTarget(parsing: "station.exam: capacity >= 8/h")
        XCTAssertEqual(c.metric, .capacity)
        XCTAssertEqual(c.bound * 3600, 8, accuracy: 1e-9)
        let d = try ServiceTarget(parsing: "station.scanner: mean-wait <= 20 min daily")
        XCTAssertEqual(d.scope, .daily)
        XCTAssertEqual(d.subject, .station("scanner"))
    }

    func testRefusesWhatItCannotMean() {
        for bad in ["general: p95-wait <= 30 min", "lane.general p95-wait <= 30", "lane.general: p99-wait <= 30 min",
                    "lane.general: p95-wait >= 30 min", "lane.general: p95-wait <= 0 min", "lane.general: capacity >= 3/h",
                    "lane.general: share-over 30 min <= 120%", "lane.general: mean-wait <= soon"] {
            XCTAssertThrowsError(try ServiceTarget(parsing: bad), bad)
        }
    }
}
