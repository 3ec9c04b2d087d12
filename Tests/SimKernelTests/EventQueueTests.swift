import XCTest
@testable import SimKernel

final class EventQueueTests: XCTestCase {
    /// Drains the queue, returning the events in firing order.
    private func drain(_ q: inout EventQueue<Int>) -> [Int] {
        var out: [Int] = []
        while let (_, e) = q.popMin() { out.append(e) }
        return out
    }

    func testPopsInTimeOrder() {
        var q = EventQueue<Int>(capacity: 4)          // small, so the buffer must grow
        let times = [5.0, 1.0, 9.0, 3.0, 7.0, 2.0, 8.0, 0.5, 4.0, 6.0]
        for (i, t) in times.enumerated() { q.push(i, at: t) }
        var last = -Double.infinity
        var n = 0
        while let (t, _) = q.popMin() {
            XCTAssertGreaterThanOrEqual(t, last)
            last = t
            n += 1
        }
        XCTAssertEqual(n, times.count)
        XCTAssertTrue(q.isEmpty)
    }

    func testTiesFireByPriorityThenInsertionOrder() {
        var q = EventQueue<Int>()
        q.push(1, at: 10, priority: .normal)
        q.push(2, at: 10, priority: .late)
        q.push(3, at: 10, priority: .normal)
        q.push(4, at: 10, priority: .urgent)
        q.push(5, at: 9, priority: .late)
        q.push(6, at: 10, priority: .normal)
        XCTAssertEqual(drain(&q), [5, 4, 1, 3, 6, 2])
    }

    func testManyTiesKeepInsertionOrderThroughHeapReshuffles() {
        var q = EventQueue<Int>()
        for i in 0..<1000 { q.push(i, at: Double(i % 7)) }
        let fired = drain(&q)
        // Within each time, insertion order; times ascending.
        let expected = (0..<1000).sorted { (a, b) in (a % 7, a) < (b % 7, b) }
        XCTAssertEqual(fired, expected)
    }

    func testInterleavedPushPopMatchesSortedReference() {
        // Random interleaving of pushes and pops (including the deferred-removal replace path)
        // against a plain sorted-array reference.
        var q = EventQueue<Int>()
        var reference: [(Double, Int, Int)] = []      // (time, seq, id)
        var rng = SystemRandomNumberGeneratorStub(seed: 7)
        var seq = 0, now = 0.0
        for step in 0..<20_000 {
            if rng.next() % 3 != 0 || reference.isEmpty {
                let t = now + Double(rng.next() % 50)   // many ties
                q.push(step, at: t)
                reference.append((t, seq, step)); seq += 1
            } else {
                reference.sort { ($0.0, $0.1) < ($1.0, $1.1) }
                let expect = reference.removeFirst()
                let got = q.popMin()
                XCTAssertEqual(got?.event, expect.2)
                XCTAssertEqual(got?.time, expect.0)
                now = expect.0
            }
        }
        XCTAssertEqual(q.count, reference.count)
    }

    func testCancelledEventsNeverFire() {
        var q = EventQueue<Int>()
        var handles: [EventHandle] = []
        for i in 0..<100 { handles.append(q.pushCancellable(i, at: Double(100 - i))) }
        for i in stride(from: 0, to: 100, by: 2) { XCTAssertTrue(q.cancel(handles[i])) }
        let fired = drain(&q)
        XCTAssertEqual(fired.count, 50)
        XCTAssertTrue(fired.allSatisfy { $0 % 2 == 1 })
    }

    func testCancellingFiredCancelledOrUnknownHandlesIsHarmless() {
        var q = EventQueue<Int>()
        let a = q.pushCancellable(1, at: 1)
        let b = q.pushCancellable(2, at: 2)
        XCTAssertEqual(q.popMin()?.event, 1)
        XCTAssertFalse(q.cancel(a), "already fired")
        XCTAssertTrue(q.cancel(b))
        XCTAssertFalse(q.cancel(b), "already cancelled")
        XCTAssertFalse(q.cancel(EventHandle(slot: 999, generation: 0)), "unknown")
        // A slot reused by a new event must not be cancellable through the stale handle.
        let c = q.pushCancellable(3, at: 3)
        XCTAssertFalse(q.cancel(a))
        XCTAssertFalse(q.cancel(b))
        XCTAssertEqual(drain(&q), [3])
        XCTAssertFalse(q.cancel(c))
    }

    func testPopNotAfterLimitLeavesLaterEventsPending() {
        var q = EventQueue<Int>()
        q.push(1, at: 1)
        q.push(2, at: 5)
        XCTAssertEqual(q.popMin(notAfter: 3)?.event, 1)
        XCTAssertNil(q.popMin(notAfter: 3))
        XCTAssertEqual(q.count, 1)
        XCTAssertEqual(q.peekTime(), 5)
        XCTAssertEqual(q.popMin(notAfter: 5)?.event, 2)
    }
}

/// A tiny deterministic generator (SplitMix64) for test data.
struct SystemRandomNumberGeneratorStub: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return StreamSeed.mix(state &- 0x9E37_79B9_7F4A_7C15)
    }
}
