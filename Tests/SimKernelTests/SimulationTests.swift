import XCTest
@testable import SimKernel

final class SimulationTests: XCTestCase {
    enum Tick: Equatable { case a(Int), b }

    func testRunUntilFiresEventsAtTheLimitAndStopsTheClockThere() {
        var sim = Simulation<Tick>()
        sim.schedule(.a(1), at: 1)
        sim.schedule(.a(2), at: 10)
        sim.schedule(.a(3), at: 10.000001)
        var fired: [Tick] = []
        let outcome = sim.run(until: 10) { _, e in fired.append(e) }
        XCTAssertEqual(outcome, .reachedTimeLimit)
        XCTAssertEqual(fired, [.a(1), .a(2)])
        XCTAssertEqual(sim.now, 10)
        XCTAssertEqual(sim.pendingCount, 1)
        // Running on resumes where it stopped.
        XCTAssertEqual(sim.run { _, e in fired.append(e) }, .exhausted)
        XCTAssertEqual(fired.last, .a(3))
        XCTAssertEqual(sim.now, 10.000001)
    }

    func testRunUntilNoEventsRemain() {
        var sim = Simulation<Tick>()
        var count = 0
        sim.schedule(.b, at: 0)
        let outcome = sim.run { sim, _ in
            count += 1
            if count < 100 { sim.schedule(.b, after: 0.5) }
        }
        XCTAssertEqual(outcome, .exhausted)
        XCTAssertEqual(count, 100)
        XCTAssertEqual(sim.now, 49.5)
        XCTAssertEqual(sim.firedCount, 100)
    }

    func testStopConditionEndsTheRunAfterTheCurrentEvent() {
        var sim = Simulation<Tick>()
        for i in 0..<10 { sim.schedule(.a(i), at: Double(i)) }
        var fired: [Tick] = []
        let outcome = sim.run(until: 100) { sim, e in
            fired.append(e)
            if e == .a(4) { sim.stop() }
        }
        XCTAssertEqual(outcome, .stopped)
        XCTAssertEqual(fired.count, 5)
        XCTAssertEqual(sim.now, 4)
        XCTAssertEqual(sim.pendingCount, 5)
    }

    func testCancellationThroughTheSimulation() {
        var sim = Simulation<Tick>()
        let renege = sim.scheduleCancellable(.a(99), at: 5)
        sim.schedule(.b, at: 3)
        var fired: [Tick] = []
        sim.run { sim, e in
            fired.append(e)
            if e == .b { XCTAssertTrue(sim.cancel(renege)) }
        }
        XCTAssertEqual(fired, [.b])
        XCTAssertFalse(sim.cancel(renege))
    }

    func testCancelledEventAtTheHeadDoesNotStopRunUntil() {
        var sim = Simulation<Tick>()
        let h = sim.scheduleCancellable(.a(1), at: 1)
        sim.schedule(.a(2), at: 2)
        sim.cancel(h)
        var fired: [Tick] = []
        XCTAssertEqual(sim.run(until: 5) { _, e in fired.append(e) }, .exhausted)
        XCTAssertEqual(fired, [.a(2)])
    }

    /// A small stochastic model: each event schedules 0–2 more at random delays, some
    /// cancellable and later cancelled. Same seed → the same trace, event for event.
    private func trace(seed: UInt64) -> [(Double, Int)] {
        let stream = RandomStream(masterSeed: seed, replication: 0, name: "trace")
        var sim = Simulation<Int>()
        var out: [(Double, Int)] = []
        var handles: [EventHandle] = []
        var next = 1
        sim.schedule(0, at: 0)
        sim.run(until: 200) { sim, e in
            out.append((sim.now, e))
            for _ in 0..<stream.index(below: 4) {   // 1.5 children on average: grows
                let delay = (stream.uniform() * 4).rounded()   // integral delays: many ties
                if stream.bernoulli(0.3) {
                    handles.append(sim.scheduleCancellable(next, after: delay))
                } else {
                    sim.schedule(next, after: delay, priority: EventPriority(UInt8(stream.index(below: 3))))
                }
                next += 1
            }
            if !handles.isEmpty, stream.bernoulli(0.2) {
                sim.cancel(handles.remove(at: stream.index(below: handles.count)))
            }
            if sim.pendingCount > 500 { sim.stop() }
        }
        return out
    }

    func testSameSeedGivesIdenticalTrace() {
        let a = trace(seed: 42), b = trace(seed: 42), c = trace(seed: 43)
        XCTAssertGreaterThan(a.count, 100)
        XCTAssertTrue(a.elementsEqual(b) { $0.0 == $1.0 && $0.1 == $1.1 })
        XCTAssertFalse(a.elementsEqual(c) { $0.0 == $1.0 && $0.1 == $1.1 })
    }
}
