import XCTest
import SimKernel
@testable import BorderModel

/// Primary lanes on small deterministic timetables: booth schedules, lane choice, balking,
/// reneging — each checked party by party.
final class EngineLaneTests: XCTestCase {
    /// One class arriving at the listed times, on the given lanes (all serving it).
    private func port(_ times: [Double], lanes: [Lane], trustedShare: Double = 0, patience: Distribution? = nil,
                      balking: BalkingRule? = nil, hours: Double = 4) -> PortConfiguration {
        let cls = TrafficClass(name: "car", kind: .passengerVehicle, arrivals: .timetable(times),
                               trustedShare: trustedShare, patience: patience, balking: balking)
        return PortConfiguration(name: "lanes", horizon: hours * 3600, classes: [cls], lanes: lanes)
    }

    private func lane(_ name: String = "l", booths: PiecewiseConstant = .constant(1), service: Double = 1000,
                      trustedOnly: Bool = false, capacity: Int? = nil) -> Lane {
        Lane(name: name, serves: [0], trustedOnly: trustedOnly, booths: booths,
             service: [PortFixtures.fixed(service)], capacity: capacity)
    }

    private func byArrival(_ run: TracedRun) -> [PartyTrace] {
        run.parties.sorted { $0.arrival < $1.arrival }
    }

    /// Two booths, one closes at 1 h: its party finishes there, and it takes nobody after.
    func testClosingBoothFinishesItsParty() throws {
        let long = Lane(name: "l", serves: [0, 1], booths: PortFixtures.hourly([2, 1]),
                        service: [PortFixtures.fixed(6000), PortFixtures.fixed(100)])
        let classes = [TrafficClass(name: "long", kind: .truck, arrivals: .timetable([0, 10])),
                       TrafficClass(name: "short", kind: .passengerVehicle, arrivals: .timetable([4000, 6005]))]
        let config = PortConfiguration(name: "closing", horizon: 3 * 3600, classes: classes, lanes: [long])
        let run = try PortFixtures.run(config)
        XCTAssertEqual(run.violations, [])
        let p = byArrival(run)
        XCTAssertEqual(p.map(\.booth), [0, 1, 0, 0])
        XCTAssertEqual(p[1].serviceEnd, 6010, "the closing booth finishes its party")
        XCTAssertEqual(p[2].serviceStart, 6000)
        XCTAssertEqual(p[3].serviceStart, 6100, "the closed booth (free at 6010) takes nobody")
    }

    /// Booths opening at 1 h take queued parties at once.
    func testOpeningBoothsPullFromQueueAtOnce() throws {
        let config = port([0, 1, 2, 3], lanes: [lane(booths: PortFixtures.hourly([1, 3]), service: 6000)])
        let run = try PortFixtures.run(config)
        XCTAssertEqual(run.violations, [])
        let p = byArrival(run)
        XCTAssertEqual(p.map(\.serviceStart), [0, 3600, 3600, 6000])
        XCTAssertEqual(p.map(\.booth), [0, 1, 2, 0])
    }

    /// Trusted parties use the trusted lane even when the general lane is idle; when the trusted
    /// lane is closed they use the general lane.
    func testTrustedLaneFirst() throws {
        let times: [Double] = [0, 1, 2]
        var run = try PortFixtures.run(port(times, lanes: [lane("general", booths: .constant(5)),
                                                          lane("sentri", trustedOnly: true)], trustedShare: 1))
        XCTAssertEqual(run.parties.map(\.lane), [1, 1, 1])
        run = try PortFixtures.run(port(times, lanes: [lane("general", booths: .constant(5)),
                                                      lane("sentri", booths: .constant(0), trustedOnly: true)],
                                        trustedShare: 1))
        XCTAssertEqual(run.parties.map(\.lane), [0, 0, 0])
    }

    /// A lane serving only one class is that class's first choice; shared lanes are for others.
    func testDedicatedLaneFirst() throws {
        let shared = Lane(name: "shared", serves: [0, 1], booths: .constant(5),
                          service: [PortFixtures.fixed(1000), PortFixtures.fixed(1000)])
        let busOnly = Lane(name: "bus", serves: [1], booths: .constant(1),
                           service: [nil, PortFixtures.fixed(1000)])
        let classes = [TrafficClass(name: "car", kind: .passengerVehicle, arrivals: .timetable([0, 1])),
                       TrafficClass(name: "bus", kind: .bus, arrivals: .timetable([2, 3, 4]))]
        let run = try PortFixtures.run(PortConfiguration(name: "dedicated", horizon: 7200, classes: classes,
                                                         lanes: [shared, busOnly]))
        for p in run.parties { XCTAssertEqual(p.lane, p.classIndex, "class \(p.classIndex)") }
    }

    /// Shortest queue per open booth, lowest index on ties: two equal lanes alternate; a lane
    /// with twice the booths takes two parties for each one of the other.
    func testShortestQueueWithDeterministicTieBreak() throws {
        var run = try PortFixtures.run(port([0, 1, 2, 3, 4, 5], lanes: [lane("a"), lane("b")]))
        XCTAssertEqual(byArrival(run).map(\.lane), [0, 1, 0, 1, 0, 1])
        run = try PortFixtures.run(port([0, 1, 2, 3, 4, 5], lanes: [lane("a"), lane("b", booths: .constant(2))]))
        // Loads before each arrival: (0,0)→a, (1,0)→b, (1,.5)→b, (1,1)→a, (2,1)→b, (2,1.5)→b.
        XCTAssertEqual(byArrival(run).map(\.lane), [0, 1, 1, 0, 1, 1])
        // Same scenario, same seed: the same choices (no random tie-breaking).
        let again = try PortFixtures.run(port([0, 1, 2, 3, 4, 5], lanes: [lane("a"), lane("b", booths: .constant(2))]))
        XCTAssertEqual(byArrival(again).map(\.lane), byArrival(run).map(\.lane))
    }

    /// A class rule: with 2 waiting, later arrivals balk (probability 1); probability 0: none do.
    func testBalkingClassRule() throws {
        let times: [Double] = [0, 1, 2, 3, 4, 5]
        var run = try PortFixtures.run(port(times, lanes: [lane()], balking: BalkingRule(queueLength: 2)))
        XCTAssertEqual(byArrival(run).map(\.outcome.rawValue),
                       ["departed", "departed", "departed", "balked", "balked", "balked"])
        XCTAssertEqual(run.result.flow(lane: 0, classIndex: 0).balked, 3)
        XCTAssertTrue(run.parties.filter { $0.outcome == .balked }.allSatisfy { $0.exit == $0.arrival })
        assertConserves(run.result)
        run = try PortFixtures.run(port(times, lanes: [lane()], balking: BalkingRule(queueLength: 2, probability: 0)))
        XCTAssertEqual(run.result.flow(lane: 0, classIndex: 0).balked, 0)
    }

    /// Full physical storage: the party goes to another eligible lane with room, else balks;
    /// the hourly series follows the lane finally joined.
    func testBalkingWhenLaneCapacityFull() throws {
        // a: 2 booths, room for 1; b: 1 booth, unlimited. Party 5 finds a full and joins b.
        var run = try PortFixtures.run(port([0, 1, 2, 3, 4, 5],
                                            lanes: [lane("a", booths: .constant(2), capacity: 1), lane("b")]))
        XCTAssertEqual(byArrival(run).map(\.lane), [0, 1, 0, 0, 1, 1])
        XCTAssertEqual(run.result.flow(lane: 0, classIndex: 0).arrived, 3)
        XCTAssertEqual(run.result.flow(lane: 1, classIndex: 0).arrived, 3)
        XCTAssertEqual(run.result.series.arrivals[0], 3, "lane a, hour 0")
        XCTAssertEqual(run.result.series.arrivals[1], 3, "lane b, hour 0")
        // One lane, room for 2: parties 3.. balk.
        run = try PortFixtures.run(port([0, 1, 2, 3, 4, 5], lanes: [lane(capacity: 2)]))
        XCTAssertEqual(byArrival(run).map(\.outcome.rawValue),
                       ["departed", "departed", "departed", "balked", "balked", "balked"])
        assertConserves(run.result)
    }

    /// Patience: parties leave the queue when it runs out; those behind move up in order.
    func testRenegingOnPatience() throws {
        let run = try PortFixtures.run(port([0, 10, 20, 950], lanes: [lane()], patience: PortFixtures.fixed(100)))
        XCTAssertEqual(run.violations, [])
        let p = byArrival(run)
        XCTAssertEqual(p.map(\.outcome.rawValue), ["departed", "reneged", "reneged", "departed"])
        XCTAssertEqual(p[1].exit, 110)
        XCTAssertEqual(p[2].exit, 120)
        XCTAssertEqual(p[3].serviceStart, 1000, "reneged parties are skipped")
        XCTAssertEqual(run.result.flow(lane: 0, classIndex: 0).reneged, 2)
        assertConserves(run.result)
    }

    /// M/M/1 with exponential patience (M/M/1+M): the share that reneges matches the
    /// birth–death chain (99 % CI over 20 replications).
    func testRenegingShareMatchesMM1PlusM() throws {
        let λ = 60.0 / 3600, μ = 1.0 / 50, θ = 1.0 / 120
        // Stationary distribution of the queue with abandonment rate θ per waiting party.
        var p = [1.0]
        for n in 1...400 { p.append(p[n - 1] * λ / (μ + Double(n - 1) * θ)) }
        let total = p.reduce(0, +)
        let abandonRate = p.enumerated().reduce(0.0) { $0 + Double(max($1.offset - 1, 0)) * θ * $1.element } / total
        let expected = abandonRate / λ
        var config = try PortFixtures.mmc(arrivalsPerHour: 60, meanService: 50, booths: 1, hours: 60, warmUpHours: 2)
        config.classes[0].patience = PortFixtures.exp(120)
        let share = try PortFixtures.replicate(config, n: 20) {
            let f = $0.flow(lane: 0, classIndex: 0)
            return Double(f.reneged) / Double(f.arrived)
        }
        XCTAssertTrue(share.confidenceInterval(level: 0.99).contains(expected),
                      "\(share.confidenceInterval(level: 0.99)) vs \(expected)")
    }

    /// A periodic booth schedule with non-integer breakpoints (rounding puts some breakpoints a
    /// hair after the time they are reached): the run ends, it does not spin at one instant.
    func testPeriodicScheduleWithFractionalBreakpointsTerminates() throws {
        let booths = try PiecewiseConstant(steps: [1, 2, 1, 3, 2, 1, 2], step: 1.3, repeating: true)
        let config = port(Array(stride(from: 0.0, to: 500, by: 2.5)), lanes: [lane(booths: booths, service: 4)],
                          hours: 600.0 / 3600)
        let run = try PortFixtures.run(config)
        XCTAssertEqual(run.violations, [])
        assertConserves(run.result)
        assertOrderly(run.parties, lanes: 1)
    }
}
