import XCTest
@testable import SimKernel

final class SampleSummaryTests: XCTestCase {
    func testMeanVarianceAndStudentInterval() {
        let s = SampleSummary([2, 4, 4, 4, 5, 5, 7, 9])
        XCTAssertEqual(s.mean, 5)
        XCTAssertEqual(s.variance, 32.0 / 7, accuracy: 1e-12)
        // t(0.975, 7) = 2.3646
        XCTAssertEqual(s.halfWidth(level: 0.95), 2.3646 * (32.0 / 7).squareRoot() / 8.0.squareRoot(), accuracy: 1e-3)
        XCTAssertEqual(SampleSummary([1]).halfWidth(), .infinity)
    }
}
