import Foundation
@testable import Planning
import XCTest

final class ScoreTests: XCTestCase {
    func testScoresOnKnownSeriesSkipUndefinedHours() {
        let s = Score(observed: [1, 2, 3, 4, .nan], predicted: [2, 2, 4, .nan, 9])
        XCTAssertEqual(s.hours, 3)
        XCTAssertEqual(s.mae, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(s.rmse, (2.0 / 3).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(s.bias, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(s.pearson, 0.8660254037844386, accuracy: 1e-12)      // corr([1,2,3],[2,2,4])
        XCTAssertEqual(s.spearman, 0.8660254037844386, accuracy: 1e-12)
        let constant = Score(observed: [1, 2, 3], predicted: [5, 5, 5])
        XCTAssertTrue(constant.pearson.isNaN, "a constant has no correlation: undefined, not 0")
        XCTAssertTrue(Score(observed: [], predicted: []).mae.isNaN)
    }

    func testErlangCAgainstClosedForms() {
        // M/M/1: Wq = ρ s / (1 − ρ); λ = 0.5/s, s = 1 s → 1 s.
        XCTAssertEqual(Baselines.erlangCWait(lambda: 0.5, servers: 1, service: 1)!, 1, accuracy: 1e-12)
        // M/M/2, a = 1: C = 1/3, Wq = C s / (c − a) = 1/3 s.
        XCTAssertEqual(Baselines.erlangCWait(lambda: 1, servers: 2, service: 1)!, 1.0 / 3, accuracy: 1e-12)
        XCTAssertNil(Baselines.erlangCWait(lambda: 2, servers: 2, service: 1), "ρ = 1: no steady state, undefined")
        XCTAssertNil(Baselines.erlangCWait(lambda: 1, servers: 0, service: 1))
        XCTAssertEqual(Baselines.erlangCWait(lambda: 0, servers: 0, service: 1), 0)
    }

    func testBaselinesFitTheirOwnData() throws {
        // Waits exactly 4 + 0.1 × passengers per booth: least squares recovers the line.
        let pax = (0..<50).map { Double(20 + 3 * $0) }, booths = (0..<50).map { Double(1 + $0 % 4) }
        var x = Baselines.Inputs(ObservedPeriod(firstDay: 0, hours: [], files: []))
        x.passengers = pax; x.booths = booths
        x.wait = zip(pax, booths).map { 4 + 0.1 * $0 / $1 }
        let b = try Baselines.fit(x)
        XCTAssertEqual(b.intercept, 4, accuracy: 1e-9)
        XCTAssertEqual(b.slope, 0.1, accuracy: 1e-9)
        XCTAssertEqual(b.constant, x.wait.sorted()[24] / 2 + x.wait.sorted()[25] / 2, accuracy: 1e-12)
        XCTAssertEqual(Score(observed: x.wait, predicted: b.predictLeastSquares(x)).mae, 0, accuracy: 1e-9)
    }
}
