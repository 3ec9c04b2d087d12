import BorderModel
import Foundation
import SimKernel
import XCTest
@testable import Scenarios

/// The `what-if:` knobs (arrival-rate, service-time, booths, servers), per-lane `extra-booths`
/// and per-station `extra-servers`: the adjusted model, `--set` on files without a what-if
/// block, the capacity check, and the arrival count of simulated replications.
final class WhatIfTests: XCTestCase {
    /// The knobs of good/what-if.yaml set back to neutral: the model as written.
    let neutral = ["what-if.arrival-rate=1", "what-if.service-time=1", "what-if.booths=1", "what-if.servers=1",
                   "lanes.general.extra-booths=0", "lanes.walkway.extra-booths=0", "stations.exam.extra-servers=0"]

    func profile(_ a: ArrivalProcess) -> PiecewiseConstant? { if case .profile(let p) = a { return p }; return nil }
    func poisson(_ a: ArrivalProcess) -> Double? { if case .poisson(let r) = a { return r }; return nil }
    func batches(_ a: ArrivalProcess) -> BatchArrivals? { if case .batches(let b) = a { return b }; return nil }

    func testTheAdjustedConfigurationHasTheExpectedNumbers() throws {
        let path = Fixtures.good("what-if.yaml")
        let c = try ScenarioLoader.load(path: path).config
        let base = try ScenarioLoader.load(path: path, overrides: neutral).config

        // Arrivals × 1.5: every profile value, the Poisson rate, the batches' process (not their size).
        let written: [Double] = [10, 10, 10, 10, 10, 10, 20, 40, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 40, 30, 20, 20, 10, 10]
        let carBase = try XCTUnwrap(profile(base.classes[0].arrivals)), car = try XCTUnwrap(profile(c.classes[0].arrivals))
        XCTAssertEqual(carBase.values.count, 24)
        for h in 0..<24 {
            XCTAssertEqual(carBase.values[h], written[h] / 3600, accuracy: 1e-15)
            XCTAssertEqual(car.values[h], 1.5 * written[h] / 3600, accuracy: 1e-15, "hour \(h)")
        }
        XCTAssertEqual(car.times, carBase.times)
        XCTAssertEqual(car.period, 86_400)
        let bus = try XCTUnwrap(batches(c.classes[1].arrivals)), busBase = try XCTUnwrap(batches(base.classes[1].arrivals))
        guard case .process(let every) = bus.times, case .process(let everyBase) = busBase.times else { return XCTFail("batches") }
        XCTAssertEqual(try XCTUnwrap(poisson(every)), 3.0 / 3600, accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(poisson(everyBase)), 2.0 / 3600, accuracy: 1e-15)
        XCTAssertEqual(bus.size.mean, 30)
        XCTAssertEqual(bus.spread?.mean, 600)
        XCTAssertEqual(try XCTUnwrap(poisson(c.classes[2].arrivals)), 60.0 / 3600, accuracy: 1e-15)

        // Booths × 1.5, each rounded to the nearest whole number (halves away from 0), then extra-booths, clipped at 0.
        // general: 1 → 1.5 → 2 → 1; 2 → 3 → 2; 3 → 4.5 → 5 → 4; 4 → 6 → 5.
        XCTAssertEqual(base.lanes[0].booths.values, [1, 1, 1, 1, 1, 1, 2, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 2, 2, 1, 1])
        XCTAssertEqual(c.lanes[0].booths.values, [1, 1, 1, 1, 1, 1, 2, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 4, 4, 2, 2, 1, 1])
        XCTAssertEqual(c.lanes[0].booths.times, base.lanes[0].booths.times)
        // walkway (daily ranges): 1 → 2 → 4, 3 → 5 → 7; the breakpoints stay.
        XCTAssertEqual(base.lanes[1].booths.values, [1, 3, 1])
        XCTAssertEqual(c.lanes[1].booths.values, [4, 7, 4])
        XCTAssertEqual(c.lanes[1].booths.times, [0, 7 * 3600, 19 * 3600])
        // Servers × 0.5 then extra-servers 1: 0 → 0 → 1; 1 → 0.5 → 1 → 2; 3 → 1.5 → 2 → 3.
        XCTAssertEqual(c.stations[0].servers.values, [1, 1, 1, 1, 1, 1, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 1, 1])

        // Service times × 1.2: lanes (service, trusted-service) and stations (service, service-by-class).
        let car0 = try XCTUnwrap(c.lanes[0].service[0]), busService = try XCTUnwrap(c.lanes[0].service[1])
        XCTAssertEqual(car0.mean, 72, accuracy: 1e-9)
        XCTAssertEqual(car0.variance.squareRoot(), 24, accuracy: 1e-9)
        XCTAssertEqual(car0.description, "lognormal(mean 72, sd 24)")
        XCTAssertEqual(busService.description, "exponential(mean 48)")
        XCTAssertEqual(c.lanes[0].trustedService[0]?.description, "deterministic(36)")
        XCTAssertEqual(c.lanes[1].service[2]?.description, "uniform(min 24, max 48)")
        XCTAssertEqual(c.stations[0].service.description, "exponential(mean 720)")
        XCTAssertEqual(c.stations[0].serviceByClass[1]?.description, "gamma(shape 2, scale 360)")
        XCTAssertEqual(base.stations[0].serviceByClass[1]?.description, "gamma(shape 2, scale 300)")
    }

    func testNegativeExtrasClipAtZeroAndZeroMultipliersCloseEverything() throws {
        let path = Fixtures.good("what-if.yaml")
        var c = try ScenarioLoader.load(path: path, overrides: ["lanes.general.extra-booths=-4", "stations.exam.extra-servers=-9"]).config
        XCTAssertEqual(c.lanes[0].booths.values, [0, 0, 0, 0, 0, 0, 0, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0])
        XCTAssertEqual(c.stations[0].servers.maximum, 0)
        c = try ScenarioLoader.load(path: path, overrides: ["what-if.booths=0", "lanes.walkway.extra-booths=0", "what-if.servers=0",
                                                             "stations.exam.extra-servers=0"]).config
        XCTAssertEqual(c.lanes.map(\.booths.maximum), [0, 0])
        XCTAssertEqual(c.stations[0].servers.maximum, 0)
    }

    // MARK: --set

    func testSetWorksWithoutAWhatIfBlock() throws {
        let path = Fixtures.good("minimal.yaml")
        XCTAssertFalse(try String(contentsOfFile: path, encoding: .utf8).contains("what-if"))
        let s = try ScenarioLoader.load(path: path, overrides: ["what-if.service-time=1.1", "what-if.arrival-rate=1.2",
                                                                "lanes.general.extra-booths=2"])
        XCTAssertEqual(s.config.lanes[0].service[0]?.mean ?? 0, 49.5, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(poisson(s.config.classes[0].arrivals)), 144.0 / 3600, accuracy: 1e-15)
        XCTAssertEqual(s.config.lanes[0].booths.values, [5])
        // The resolved text holds the block and reloads to the same model.
        XCTAssertTrue(s.resolvedText.contains("what-if:"), s.resolvedText)
        let again = try ScenarioLoader.parse(data: Data(s.resolvedText.utf8), file: "resolved.yaml", directory: Fixtures.good)
        XCTAssertEqual(again.config.lanes[0].booths, s.config.lanes[0].booths)
        XCTAssertEqual(again.config.lanes[0].service[0]?.mean ?? 0, 49.5, accuracy: 1e-12)
    }

    func testOverridesCreateMissingIntermediateMappings() throws {
        let path = Fixtures.good("minimal.yaml")
        // Two levels made up at once, and a second key into a mapping made by an earlier --set.
        let s = try ScenarioLoader.load(path: path, overrides: ["metrics.series-bin=30 min", "metrics.queue-sample-interval=1 min"])
        XCTAssertEqual(s.config.metrics.seriesBin, 1800)
        XCTAssertEqual(s.config.metrics.queueSampleInterval, 60)
        // Two levels at once: targeting, then its rule.
        let t = try ScenarioLoader.load(path: path, overrides: ["targeting.rule.threshold=2.5", "targeting.rule.random=1%"])
        XCTAssertEqual(t.config.targeting.rule, .threshold(2.5, randomRate: 0.01))
        // A made-up key is still checked by the reader like the file.
        var problems = Fixtures.problems(path, overrides: ["wat-if.booths=2"])
        XCTAssertTrue(problems.contains { $0.description.contains("unknown key 'wat-if'; did you mean 'what-if'?") }, "\(problems)")
        problems = Fixtures.problems(path, overrides: ["what-if.boths=2"])
        XCTAssertTrue(problems.contains { $0.description.contains("what-if.boths: unknown key 'boths'; did you mean 'booths'?") }, "\(problems)")
        // Not created: a missing key close to an existing one (a typo), a list item, or below a scalar.
        let cases: [(String, String)] = [
            ("lanes.genral.extra-booths=1", "--set lanes.genral.extra-booths=1 (on \(path)): lanes.genral.extra-booths: no key 'genral' at this point of the path; did you mean 'general'?"),
            ("classes.car.arrivals.profile[0]=3", "no key 'profile' at this point of the path"),
            ("name.first.second=x", "expected a mapping containing 'first', found 'Minimal'"),
        ]
        for (setting, fragment) in cases {
            problems = Fixtures.problems(path, overrides: [setting])
            XCTAssertTrue(problems.contains { $0.description.contains(fragment) }, "--set \(setting): \(problems)")
        }
    }

    func testBadValuesThroughSet() throws {
        let path = Fixtures.good("minimal.yaml")
        let cases: [(String, String)] = [
            ("what-if.arrival-rate=0", "what-if.arrival-rate: expected a multiplier > 0 such as 1.2, found 0"),
            ("what-if.service-time=-1", "what-if.service-time: expected a multiplier > 0 such as 1.2, found -1"),
            ("what-if.booths=-1", "what-if.booths: expected a multiplier ≥ 0 such as 1.5, found -1"),
            ("what-if.servers=many", "what-if.servers: expected a multiplier ≥ 0 such as 1.5, found 'many'"),
            ("what-if.arrival-rate=nan", "what-if.arrival-rate: expected a multiplier > 0 such as 1.2, found 'nan'"),
            ("lanes.general.extra-booths=1.5", "lanes.general.extra-booths: expected a whole number (negative allowed) such as 2 or -1, found '1.5'"),
        ]
        for (setting, fragment) in cases {
            let problems = Fixtures.problems(path, overrides: [setting])
            XCTAssertTrue(problems.contains { $0.description.contains(fragment) }, "--set \(setting): \(problems)")
        }
    }

    // MARK: arrivals with fixed times

    func testFixedTimesRefuseAnyFactorButOne() throws {
        let text = """
            name: fixed
            horizon: 1d
            violation-types: [narcotics, inadmissible]
            classes:
              car: {kind: passenger-vehicle, arrivals: {poisson: 60/h}}
              ferry: {kind: pedestrian, arrivals: {timetable: ["07:00", "09:00"]}}
              flight: {kind: air-passenger, arrivals: {batches: {timetable: ["08:00"], size: 200}}}
              replay: {kind: pedestrian, arrivals: {trace: {csv: data/trace.csv}}}
            lanes:
              g: {serves: [car, ferry, flight, replay], booths: 9, service: {car: 30s, ferry: 30s, flight: 30s, replay: 30s}}
            """
        guard FileManager.default.fileExists(atPath: Fixtures.good("data/trace.csv")) else {
            return XCTFail("good/data/trace.csv is missing")
        }
        XCTAssertNoThrow(try Fixtures.parse(text, overrides: ["what-if.arrival-rate=1"]))
        do {
            _ = try Fixtures.parse(text, overrides: ["what-if.arrival-rate=1.2"])
            XCTFail("loaded")
        } catch let error as ScenarioError {
            let messages = error.problems.map(\.description)
            XCTAssertEqual(error.problems.count, 3, "\(messages)")
            XCTAssertTrue(error.problems.allSatisfy { $0.path == "what-if.arrival-rate" }, "\(messages)")
            for (cls, form) in [("ferry", "a timetable"), ("flight", "a batch timetable"), ("replay", "a trace")] {
                XCTAssertTrue(messages.contains { $0.contains("cannot scale the arrivals of class '\(cls)': \(form) has fixed times") },
                              "\(cls): \(messages)")
            }
        }
    }

    // MARK: the capacity check sees the adjusted model

    func testCapacityWarningsSeeTheAdjustedModel() throws {
        let path = Fixtures.good("minimal.yaml")   // 120/h × 45 s = 1.5 booth-equivalents, 3 booths
        func warnings(_ overrides: [String]) throws -> [String] {
            try ScenarioLoader.load(path: path, overrides: overrides).warnings.map(\.description)
        }
        XCTAssertEqual(try warnings([]), [])
        XCTAssertTrue(try warnings(["what-if.arrival-rate=2.5"]).contains { $0.contains("peak 3.8 booths' worth of work on 3 open") })
        XCTAssertEqual(try warnings(["what-if.arrival-rate=2.5", "lanes.general.extra-booths=1"]), [])
        XCTAssertTrue(try warnings(["what-if.service-time=3"]).contains { $0.contains("peak 4.5 booths' worth of work on 3 open") })
        XCTAssertTrue(try warnings(["what-if.booths=0.4"]).contains { $0.contains("peak 1.5 booths' worth of work on 1 open") })
        XCTAssertTrue(try warnings(["lanes.general.extra-booths=-3"]).contains { $0.contains("is served only by lanes that never open") })
    }

    // MARK: simulated arrivals

    /// arrival-rate 1.5 multiplies the mean arrivals per replication by 1.5: the 99.9 % CI of
    /// mean(scaled) − 1.5 · mean(base), from independent replications, holds 0 and is narrow
    /// enough to tell 1.5 from 1.4 or 1.6.
    func testArrivalRateMultipliesMeanArrivalsPerReplication() throws {
        let text = """
            name: arrivals
            horizon: 1d
            classes:
              car:
                kind: passenger-vehicle
                arrivals: {profile: [20, 20, 20, 20, 20, 30, 60, 90, 90, 90, 90, 90,
                                     90, 90, 90, 90, 90, 90, 60, 40, 30, 20, 20, 20]}
              walker: {kind: pedestrian, arrivals: {poisson: 20/h}}
            lanes:
              general: {serves: [car], booths: 6, service: {car: 40s}}
              walkway: {serves: [walker], booths: 2, service: {walker: 20s}}
            """
        let base = try Fixtures.parse(text).config
        let scaled = try Fixtures.parse(text, overrides: ["what-if.arrival-rate=1.5"]).config
        let n = 20
        func arrivals(_ c: PortConfiguration, seed: UInt64) throws -> [Double] {
            try (0..<n).map { Double(try PortSimulation(config: c, seed: seed, replication: $0).run().partiesArrived) }
        }
        let a = try arrivals(base, seed: 11), b = try arrivals(scaled, seed: 12)   // independent streams
        func meanAndVariance(_ xs: [Double]) -> (Double, Double) {
            let m = xs.reduce(0, +) / Double(xs.count)
            return (m, xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1))
        }
        let (ma, va) = meanAndVariance(a), (mb, vb) = meanAndVariance(b)
        let profile: [Double] = [20, 20, 20, 20, 20, 30, 60, 90, 90, 90, 90, 90, 90, 90, 90, 90, 90, 90, 60, 40, 30, 20, 20, 20]
        let expectedBase = profile.reduce(0, +) + 20 * 24   // Σ rate × 1 h, plus 20/h for 24 h
        XCTAssertEqual(ma, expectedBase, accuracy: 3.29 * (va / Double(n)).squareRoot() + 1)
        let difference = mb - 1.5 * ma
        let halfWidth = 3.29 * (vb / Double(n) + 2.25 * va / Double(n)).squareRoot()
        XCTAssertLessThan(abs(difference), halfWidth, "scaled \(mb), base \(ma): \(mb / ma)×")
        XCTAssertLessThan(halfWidth, 0.1 * ma, "too wide to tell 1.5 from 1.4 or 1.6")
    }
}
