import BorderModel
import Foundation
import SimKernel
import XCTest
@testable import Staffing

/// On a stationary M/M/c lane the simulated hourly requirement is Erlang C's answer.
final class StationaryStaffingTests: XCTestCase {
    /// Erlang C written here from the textbook formula (sum over k < c of a^k/k!), not the
    /// library's recursion: P(wait > 0) = (a^c/c!)·c/(c − a) / (Σ_{k<c} a^k/k! + (a^c/c!)·c/(c − a)).
    static func erlangCWait(servers c: Int, load a: Double, meanService s: Double) -> Double {
        guard Double(c) > a else { return .infinity }
        var term = 1.0, sum = 0.0
        for k in 0..<c { sum += term; term *= a / Double(k + 1) }   // term ends as a^c/c!
        let tail = term * Double(c) / (Double(c) - a)
        return tail / (sum + tail) * s / (Double(c) - a)
    }

    static func smallestC(load a: Double, meanService s: Double, bound: Double) -> Int {
        var c = Int(a) + 1
        while erlangCWait(servers: c, load: a, meanService: s) > bound { c += 1 }
        return c
    }

    /// One lane, Poisson arrivals, exponential service: M/M/c, hour after hour.
    static func lane(arrivalsPerHour: Double, meanService: Double, booths: Int, hours: Double) throws -> PortConfiguration {
        let cars = TrafficClass(name: "car", kind: .passengerVehicle, arrivals: .poisson(rate: arrivalsPerHour / 3600))
        let lane = Lane(name: "general", serves: [0], booths: .constant(Double(booths)),
                        service: [try .exponential(mean: meanService)])
        return PortConfiguration(name: "mmc", horizon: hours * 3600, warmUp: 3600, classes: [cars], lanes: [lane])
    }

    func testHourlyRequirementIsErlangCsSmallestC() throws {
        // Loads 2 and 8 booths of work; the bound sits at the geometric mean of the Erlang waits
        // with c* − 1 and c* booths, so the simulation must tell them apart by a factor 1.8+.
        for (arrivals, service) in [(120.0, 60.0), (480.0, 60.0)] {
            let a = arrivals * service / 3600
            // c* = ⌊a⌋ + 2: the bound lies between the waits with ⌊a⌋ + 1 and ⌊a⌋ + 2 booths.
            let heavy = Self.erlangCWait(servers: Int(a) + 1, load: a, meanService: service)
            let light = Self.erlangCWait(servers: Int(a) + 2, load: a, meanService: service)
            let bound = (heavy * light).squareRoot()
            XCTAssertGreaterThan(heavy / light, 3)
            let expected = Self.smallestC(load: a, meanService: service, bound: bound)
            XCTAssertEqual(expected, Int(a) + 2)
            let base = try Self.lane(arrivalsPerHour: arrivals, meanService: service, booths: expected + 3, hours: 4)
            let target = try ServiceTarget(parsing: String(format: "lane.general: mean-wait <= %.3f s", bound))
            let (config, resolved) = try TargetResolution.resolve([target], in: base, defaultScope: .everyHour)
            let grid = HourGrid(config: config)
            let search = IterativeStaffing(config: config, grid: grid, targets: resolved, maximum: [.lane(0): expected + 3],
                                           settings: .init(seed: 11, replications: 20, threads: nil, stride: 3))
            let outcome = try search.run()
            XCTAssertTrue(outcome.converged)
            for h in 1..<grid.count {   // hour 0 is the warm-up: not measured
                XCTAssertEqual(outcome.plan.values[0][h], expected,
                               "load \(a): hour \(h) needs \(expected) booths by Erlang C (bound \(bound) s), found \(outcome.plan.values[0][h])")
            }
        }
    }

    func testRequirementFollowsSquareRootStaffing() {
        // Halfin–Whitt: with a mean-wait bound shrinking like S/√a, c* = a + β√a with β fixed,
        // so the safety staffing (c* − a)/√a settles as the load grows (within the 1/√a of rounding).
        let s = 60.0
        let betas = [4.0, 16, 64, 256].map { a -> Double in
            let c = Self.smallestC(load: a, meanService: s, bound: 0.1 * s / a.squareRoot())
            XCTAssertEqual(ErlangC.requirement(.meanWait, bound: 0.1 * s / a.squareRoot(), load: a, meanService: s, limit: 1000), c,
                           "the library's Erlang C agrees with the textbook formula at load \(a)")
            return (Double(c) - a) / a.squareRoot()
        }
        for (a, b) in zip([4.0, 16, 64, 256], betas) { XCTAssert((0.9...2.2).contains(b), "β at load \(a) = \(b)") }
        XCTAssertLessThan(abs(betas[3] - betas[2]), 0.2, "β settles: \(betas)")
        XCTAssertLessThan(abs(betas[3] - betas[2]), abs(betas[1] - betas[0]) + 0.2, "β settles: \(betas)")
    }
}
