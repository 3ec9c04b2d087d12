import XCTest
import SimKernel
@testable import BorderModel

/// The engine's runtime concepts on their own: waiting lines, tracked levels, wait tallies.
final class EngineConceptTests: XCTestCase {
    func testPriorityFIFOServesHigherLevelsFirstAndFIFOWithin() {
        var line = WaitingLine(.priorityFIFO(levels: 3), capacity: 2)
        let arrivals: [(id: Int, level: Int)] = [(0, 2), (1, 0), (2, 1), (3, 0), (4, 2), (5, 1)]
        for a in arrivals { line.enqueue(PartyID(a.id), level: a.level, score: 0) }
        XCTAssertEqual(line.count, 6)
        var order: [Int] = []
        while let id = line.dequeue() { order.append(id.index) }
        XCTAssertEqual(order, [1, 3, 2, 5, 0, 4])
        XCTAssertTrue(line.isEmpty)
        XCTAssertNil(line.dequeue())
    }

    func testOneLevelIsPlainFIFOAcrossGrowth() {
        var line = WaitingLine(.priorityFIFO(levels: 1), capacity: 2)
        var expected: [Int] = [], got: [Int] = []
        for i in 0..<100 {             // interleaved, so the ring buffer wraps and grows
            line.enqueue(PartyID(i), level: 0, score: Double(-i)); expected.append(i)
            if i % 3 == 0, let id = line.dequeue() { got.append(id.index) }
        }
        while let id = line.dequeue() { got.append(id.index) }
        XCTAssertEqual(got, expected)
    }

    func testHighestRiskFirstBreaksTiesByArrival() {
        var line = WaitingLine(.highestRiskFirst, capacity: 4)
        for (i, score) in [0.5, 2.0, 0.5, -1.0, 2.0].enumerated() { line.enqueue(PartyID(i), level: 0, score: score) }
        var order: [Int] = []
        while let id = line.dequeue() { order.append(id.index) }
        XCTAssertEqual(order, [1, 4, 0, 2, 3])
    }

    func testTrackedLevelIntegratesAndBinsAPathByHand() {
        var q = TrackedLevel(bins: 3, binSeconds: 10)
        q.set(2, at: 5)        // 0 on [0, 5), 2 on [5, 12), 1 on [12, 25), 4 from 25 to the end (30)
        q.set(1, at: 12)
        q.set(4, at: 25)
        let area: Double = 14 + 13 + 20             // 2·7 + 1·13 + 4·5
        XCTAssertEqual(q.integral(at: 30), area)
        XCTAssertEqual(q.mean(at: 30), area / 30)
        XCTAssertEqual(q.maximum, 4)
        let bins: [Double] = [1.0, 1.2, 2.5]        // (2·5)/10, (2·2 + 1·8)/10, (1·5 + 4·5)/10
        XCTAssertEqual(q.binAverages(closingAt: 30), bins)
        q.resetStatistics(at: 26)          // warm-up: the average restarts, the bins carry on
        XCTAssertEqual(q.mean(at: 30), 4)
        XCTAssertEqual(q.maximum, 4)
        XCTAssertEqual(q.binAverages(closingAt: 30), [1.0, 1.2, 2.5])
    }

    func testTrackedLevelPastTheLastBinFallsInIt() {
        var q = TrackedLevel(bins: 2, binSeconds: 10)
        q.set(1, at: 0)
        XCTAssertEqual(q.binAverages(closingAt: 25), [1.0, 1.5])
    }

    func testWaitTallyCountsWaitersThresholdsAndAbandonment() {
        var t = WaitTally(histogram: LogHistogram(), thresholds: [60, 120])
        for w in [0.0, 0.0, 30.0, 60.0, 61.0, 200.0] { t.record(w) }
        t.recordAbandoned(after: 100)
        let s = t.summary
        XCTAssertEqual(s.count, 6)
        XCTAssertEqual(s.pWait, 4.0 / 6)
        XCTAssertEqual(s.over, [2, 1])                 // strictly over 60 s: 61 and 200
        XCTAssertEqual(s.shareOver(1), 1.0 / 6)
        XCTAssertEqual(s.meanOverAllJoined, (351.0 + 100) / 7, accuracy: 1e-9)
        let empty = WaitTally(histogram: LogHistogram(), thresholds: [60, 120]).summary
        XCTAssertTrue(empty.mean.isNaN && empty.pWait.isNaN && empty.shareOver(0).isNaN && empty.meanOverAllJoined.isNaN)
    }

    func testUndefinedRatesAreNaNNotZero() {
        let none = SecurityResult(byType: [.init()])
        XCTAssertTrue(none.hitRate.isNaN && none.detectionRate.isNaN && none.referralRate.isNaN)
        XCTAssertTrue(FlowResult().blockingShare.isNaN)
    }
}
