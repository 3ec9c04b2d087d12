import BorderModel
import Foundation
import SimKernel
import XCTest
@testable import Scenarios

/// Good paths: units, profiles, distributions, arrivals, targeting, stations, staffing, metrics,
/// overrides and warnings, read from `good/` or from inline text.
final class LoaderTests: XCTestCase {
    /// A one-class, one-lane scenario with `lane` and `arrivals` spliced in.
    func scenario(service: String = "45s", arrivals: String = "{poisson: 120/h}", booths: String = "3",
                  horizon: String = "1d", extra: String = "") throws -> Scenario {
        try Fixtures.parse("""
            name: inline
            horizon: \(horizon)
            classes:
              car:
                kind: passenger-vehicle
                arrivals: \(arrivals)
            lanes:
              general:
                serves: [car]
                booths: \(booths)
                service: {car: \(service)}
            \(extra)
            """)
    }

    func testUnits() throws {
        let durations: [(String, Double)] = [("45s", 45), ("8 min", 480), ("2h", 7200), ("1d", 86_400), ("90", 90),
                                             ("1.5 hours", 5400), ("30 seconds", 30), ("2 H", 7200), (".5min", 30), ("1e2s", 100)]
        for (text, seconds) in durations { XCTAssertEqual(Units.duration(text) ?? .nan, seconds, accuracy: 1e-9, text) }
        let rates: [(String, Double)] = [("120/h", 120.0 / 3600), ("3/min", 0.05), ("120", 120.0 / 3600), ("48 /d", 48.0 / 86_400),
                                         ("2/s", 2), ("10 / hour", 10.0 / 3600)]
        for (text, perSecond) in rates { XCTAssertEqual(Units.rate(text) ?? .nan, perSecond, accuracy: 1e-12, text) }
        let probabilities: [(String, Double)] = [("2.5%", 0.025), ("0.025", 0.025), ("100%", 1), ("0", 0), ("25 %", 0.25)]
        for (text, p) in probabilities { XCTAssertEqual(Units.probability(text) ?? .nan, p, accuracy: 1e-12, text) }
        XCTAssertEqual(Units.clockTime("06:30"), 23_400)
        XCTAssertEqual(Units.clockTime("24:00"), 86_400)
        XCTAssertEqual(Units.clockTime("07:05:30"), 25_530)
        for wrong in ["3 weeks", "45 ss", "min", "", "12/h"] { XCTAssertNil(Units.duration(wrong), wrong) }
        for wrong in ["120 per hour", "2 min", "/h", "3/fortnight"] { XCTAssertNil(Units.rate(wrong), wrong) }
        for wrong in ["25 percent", "half"] { XCTAssertNil(Units.probability(wrong), wrong) }
        for wrong in ["25:00", "24:01", "6", "06:60", "ab:cd"] { XCTAssertNil(Units.clockTime(wrong), wrong) }

        let s = try ScenarioLoader.load(path: Fixtures.good("units.yaml"))
        let c = s.config
        XCTAssertEqual(c.horizon, 36 * 3600)
        XCTAssertEqual(c.warmUp, 90 * 60)
        XCTAssertEqual(c.classes.map { rate($0.arrivals) }, [0.05, 120.0 / 3600, 48.0 / 86_400, 0.01].map { Optional($0) })
        XCTAssertEqual(c.classes[0].trustedShare, 0.025, accuracy: 1e-12)
        XCTAssertEqual(c.classes[0].advanceInfoShare, 0.4, accuracy: 1e-12)
        XCTAssertEqual(c.lanes[0].service.map { $0?.mean }, [45, 480, 1800, 20])
    }

    func rate(_ a: ArrivalProcess) -> Double? { if case .poisson(let r) = a { return r }; return nil }

    // MARK: profiles

    func testProfiles() throws {
        // A constant.
        var booths = try scenario(booths: "3").config.lanes[0].booths
        XCTAssertEqual(booths.value(at: 0), 3); XCTAssertEqual(booths.value(at: 1e6), 3)
        // 24 values: by hour of day, repeating daily.
        let day = (0..<24).map { $0 < 6 ? 1 : 4 }
        booths = try scenario(booths: "\(day)", horizon: "3d").config.lanes[0].booths
        XCTAssertEqual(booths.period, 86_400)
        XCTAssertEqual(booths.value(at: 5.5 * 3600), 1); XCTAssertEqual(booths.value(at: 6.5 * 3600), 4)
        XCTAssertEqual(booths.value(at: 86_400 + 5.5 * 3600), 1)
        // 168 values: by hour of week, Monday 00:00 first.
        let week = (0..<168).map { $0 / 24 == 6 ? 0 : 2 }
        booths = try scenario(booths: "\(week)", horizon: "14d").config.lanes[0].booths
        XCTAssertEqual(booths.period, 7 * 86_400)
        XCTAssertEqual(booths.value(at: 6.5 * 86_400), 0); XCTAssertEqual(booths.value(at: 7.5 * 86_400), 2)
        // Any other length: hour by hour, covering the horizon (no repetition).
        let hours = (0..<30).map { $0 % 5 }
        booths = try scenario(booths: "\(hours)", horizon: "30h").config.lanes[0].booths
        XCTAssertNil(booths.period)
        XCTAssertEqual(booths.value(at: 27.5 * 3600), 2)
        XCTAssertThrowsError(try scenario(booths: "\(hours)", horizon: "31h"))
        // Ranges within a day.
        booths = try scenario(booths: #"{default: 2, ranges: [{from: "06:00", to: "10:00", value: 8}, {from: "16:30", to: "24:00", value: 5}]}"#,
                              horizon: "2d").config.lanes[0].booths
        for (hour, value) in [(5.9, 2.0), (6.0, 8), (9.99, 8), (10, 2), (16.4, 2), (16.6, 5), (23.9, 5), (24.1, 2), (30.5, 8)] {
            XCTAssertEqual(booths.value(at: hour * 3600), value, "hour \(hour)")
        }
        // Rates: arrival profiles take rates with units or bare numbers per hour.
        let arrivals = try scenario(arrivals: "{profile: [\((0..<24).map { $0 < 12 ? "60" : "2/min" }.joined(separator: ", "))]}")
            .config.classes[0].arrivals
        guard case .profile(let p) = arrivals else { return XCTFail("\(arrivals)") }
        XCTAssertEqual(p.value(at: 3600), 60.0 / 3600, accuracy: 1e-12)
        XCTAssertEqual(p.value(at: 13 * 3600), 2.0 / 60, accuracy: 1e-12)
    }

    func testCSVProfilesAreRelativeToTheScenarioFile() throws {
        let c = try ScenarioLoader.load(path: Fixtures.good("full.yaml")).config
        // data/booths.csv: 24 rows, repeat daily; a quoted cell with a comma in another column.
        let booths = c.lanes[0].booths
        XCTAssertEqual(booths.period, 86_400)
        XCTAssertEqual(booths.value(at: 8.5 * 3600), 10)
        XCTAssertEqual(booths.value(at: 86_400 + 8.5 * 3600), 10)
        XCTAssertEqual(booths.value(at: 7.5 * 3600), 8)
        // data/hourly.csv: 48 rows, hour by hour over the 2-day horizon.
        let onDuty = try XCTUnwrap(c.staffing).onDuty
        XCTAssertNil(onDuty.period)
        XCTAssertEqual(onDuty.value(at: 3 * 3600), 12)
        XCTAssertEqual(onDuty.value(at: 30 * 3600), 30)
        // The same file loaded through a relative path from another working directory.
        let cwd = FileManager.default.currentDirectoryPath
        defer { _ = FileManager.default.changeCurrentDirectoryPath(cwd) }
        _ = FileManager.default.changeCurrentDirectoryPath(Fixtures.good.deletingLastPathComponent().path)
        XCTAssertNoThrow(try ScenarioLoader.load(path: "good/full.yaml"))
    }

    // MARK: distributions

    func testEveryDistributionForm() throws {
        let forms: [(String, Double, String)] = [
            ("45s", 45, "deterministic"),
            ("{deterministic: 2 min}", 120, "deterministic"),
            ("{exponential: {mean: 45s}}", 45, "exponential"),
            ("{exponential: {rate: 2/min}}", 30, "exponential"),
            ("{erlang: {k: 3, mean: 60s}}", 60, "erlang(k 3"),
            ("{gamma: {shape: 2, scale: 30s}}", 60, "gamma"),
            ("{lognormal: {mean: 60s, sd: 25s}}", 60, "lognormal(mean 60"),
            ("{lognormal: {mu: 4.0, sigma: 0.4}}", exp(4.0 + 0.08), "lognormal(mu 4"),
            ("{weibull: {shape: 1, scale: 60s}}", 60, "weibull"),
            ("{normal: {mean: 60s, sd: 10s}}", 60, "normal"),
            ("{truncated-normal: {mean: 60s, sd: 1s, min: 10s, max: 5 min}}", 60, "truncatedNormal"),
            ("{uniform: {min: 30s, max: 90s}}", 60, "uniform"),
            ("{triangular: {min: 20s, mode: 40s, max: 2 min}}", 60, "triangular"),
            ("{beta: {a: 2, b: 2, scale: 10 min}}", 300, "beta"),
            ("{empirical: {samples: [30s, 45s, 60s], interpolate: false}}", 45, "empiricalDiscrete"),
            ("{empirical: {samples: [30s, 60s, 90s]}}", 60, "empiricalContinuous"),
            ("{empirical: {cdf: [[0s, 0], [30s, 0.5], [2 min, 1]]}}", 0.5 * 15 + 0.5 * 75, "empiricalContinuous"),
            ("{mixture: [{weight: 0.9, exponential: {mean: 40s}}, {weight: 0.1, exponential: {mean: 5 min}}]}", 66, "mixture"),
        ]
        for (spec, mean, name) in forms {
            let d = try XCTUnwrap(scenario(service: spec).config.lanes[0].service[0], spec)
            XCTAssertEqual(d.mean, mean, accuracy: 1e-6 * mean, spec)
            XCTAssertTrue(d.description.hasPrefix(name), "\(spec) → \(d)")
        }
        // Counts: batch sizes.
        let sizes: [(String, Double, String)] = [
            ("40", 40, "deterministic"), ("{poisson: {mean: 40}}", 40, "poisson"),
            ("{binomial: {n: 300, p: 0.8}}", 240, "binomial"), ("{geometric: {p: 0.1}}", 10, "geometric"),
            ("{mixture: [{weight: 1, poisson: {mean: 10}}, {weight: 1, deterministic: 30}]}", 20, "mixture"),
        ]
        for (spec, mean, name) in sizes {
            let arrivals = try scenario(arrivals: "{batches: {every: {poisson: 2/h}, size: \(spec)}}").config.classes[0].arrivals
            guard case .batches(let b) = arrivals else { XCTFail(spec); continue }
            XCTAssertEqual(b.size.mean, mean, accuracy: 1e-6 * mean, spec)
            XCTAssertTrue(b.size.description.hasPrefix(name), "\(spec) → \(b.size)")
        }
        // Count distributions are not durations.
        XCTAssertThrowsError(try scenario(service: "{poisson: {mean: 40}}")) { error in
            XCTAssertTrue("\(error)".contains("unknown distribution 'poisson'"), "\(error)")
        }
    }

    // MARK: the full scenario

    func testArrivalForms() throws {
        let c = try ScenarioLoader.load(path: Fixtures.good("full.yaml")).config
        let byName = Dictionary(uniqueKeysWithValues: c.classes.map { ($0.name, $0) })
        guard case .profile(let car) = byName["car"]!.arrivals else { return XCTFail() }
        XCTAssertEqual(car.value(at: 8.5 * 3600), 500.0 / 3600, accuracy: 1e-12)
        XCTAssertEqual(rate(byName["pedestrian"]!.arrivals) ?? 0, 0.05, accuracy: 1e-12)
        guard case .batches(let bus) = byName["bus"]!.arrivals, case .process(.poisson(let every)) = bus.times else { return XCTFail() }
        XCTAssertEqual(every, 2.0 / 3600, accuracy: 1e-12)
        XCTAssertEqual(bus.size.mean, 40, accuracy: 1e-9)
        XCTAssertEqual(bus.spread?.mean ?? 0, 180, accuracy: 1e-9)
        guard case .batches(let coach) = byName["coach"]!.arrivals, case .timetable(let batches) = coach.times else { return XCTFail() }
        let expectedBatches = [ScheduledBatch(time: 10_800), ScheduledBatch(time: 25_500), ScheduledBatch(time: 29_400, size: 25)]
        XCTAssertEqual(batches, expectedBatches)
        guard case .timetable(let truck) = byName["truck"]!.arrivals else { return XCTFail() }
        let truckTimes: [Double] = [5400, 10_800, 21_600, 21_900]
        XCTAssertEqual(truck, truckTimes)
        guard case .trace(let flight) = byName["flight"]!.arrivals else { return XCTFail() }
        let expectedTimes: [Double] = [0, 5400, 7200, 23_400]
        XCTAssertEqual(flight.map(\.time), expectedTimes)
        XCTAssertEqual(flight[0], TracedParty(time: 0, trusted: true, advanceInfo: true, violation: -1, riskScore: 0.1))
        XCTAssertEqual(flight[1], TracedParty(time: 5400, trusted: false, advanceInfo: true, violation: 2, riskScore: 1.2))
        XCTAssertEqual(flight[2].trusted, nil)
        XCTAssertEqual(flight[3].violation, 0)
        guard case .profile(let shuttle) = byName["shuttle"]!.arrivals else { return XCTFail() }
        XCTAssertEqual(shuttle.value(at: 7 * 3600), 12.0 / 3600, accuracy: 1e-12)
        XCTAssertEqual(shuttle.value(at: 12 * 3600), 0)

        let carClass = byName["car"]!
        XCTAssertEqual(carClass.kind, .passengerVehicle)
        XCTAssertEqual(carClass.trustedShare, 0.25)
        XCTAssertEqual(carClass.violations.map(\.type), [0, 1])
        XCTAssertEqual(carClass.violations.map(\.prevalence), [0.002, 0.015])
        XCTAssertEqual(carClass.risk.auc, 0.75)
        XCTAssertEqual(carClass.risk.aucWithAdvanceInfo, 0.85)
        XCTAssertEqual(carClass.patience?.mean ?? 0, 3 * 3600, accuracy: 1e-9)
        XCTAssertEqual(carClass.balking?.queueLength, 300)
        XCTAssertEqual(carClass.balking?.probability, 0.5)
        XCTAssertEqual(byName["truck"]!.advanceInfoShare, 1)
    }

    func testLanesAndTargeting() throws {
        let s = try ScenarioLoader.load(path: Fixtures.good("full.yaml"))
        let c = s.config
        XCTAssertEqual(s.name, "Full port")
        XCTAssertEqual(s.description, "Every key of the scenario format at least once.")
        XCTAssertEqual(c.horizon, 2 * 86_400); XCTAssertEqual(c.warmUp, 7200)
        XCTAssertEqual(s.replications, 4); XCTAssertEqual(s.seed, 42)
        XCTAssertEqual(c.violationTypes, ["narcotics", "undeclared-goods", "inadmissible"])
        XCTAssertEqual(c.lanes.map(\.name), ["general", "ready", "freight"])
        XCTAssertEqual(c.lanes[0].serves, [0, 1, 2, 3, 6])
        XCTAssertEqual(c.lanes[0].capacity, 600)
        XCTAssertEqual(c.lanes[0].primaryDetection, [0.05, 0, 0])
        XCTAssertNotNil(c.lanes[0].trustedService[0])
        XCTAssertTrue(c.lanes[1].trustedOnly)
        XCTAssertFalse(c.lanes[0].trustedOnly)

        let t = c.targeting
        XCTAssertEqual(t.rule, .threshold(2.0, randomRate: 0.01))
        XCTAssertEqual(t.perClass[2], .all)
        XCTAssertEqual(t.perClass[3], SelectionRule.none)
        XCTAssertEqual(t.perClass[4], .targetFraction(0.05, randomRate: 0.005))
        XCTAssertEqual(t.perClass[5], .congestionAware(threshold: 1.5, slope: 0.05, freeQueue: 10, randomRate: 0.01))
        XCTAssertEqual(t.perClass[6], .random(rate: 0.02))
        XCTAssertEqual(t.trusted, .random(rate: 0.005))
        XCTAssertEqual(try scenario().config.targeting, TargetingPolicy())
    }

    func testStationsRoutingAndDowntime() throws {
        let c = try ScenarioLoader.load(path: Fixtures.good("full.yaml")).config
        XCTAssertEqual(c.stations.map(\.name), ["scanner", "exam"])
        XCTAssertEqual(c.referralStation, 0)
        let scanner = c.stations[0], exam = c.stations[1]
        XCTAssertEqual(scanner.servers.value(at: 0), 2)
        XCTAssertEqual(scanner.discipline, .highestRiskFirst)
        XCTAssertEqual(exam.discipline, .fifo)
        XCTAssertEqual(scanner.sensitivity, [0.8, 0.5, 0])
        XCTAssertEqual(scanner.falseAlarmRate, 0.1)
        XCTAssertEqual(scanner.onAlarm, .station(1)); XCTAssertEqual(scanner.onClear, .release)
        XCTAssertEqual(exam.onAlarm, .release)
        XCTAssertEqual(scanner.serviceByClass[4]?.mean ?? 0, 720, accuracy: 1e-9)
        XCTAssertEqual(exam.serviceByClass[2]?.mean ?? 0, 2.0 / 7 * 1800, accuracy: 1e-9)
        XCTAssertEqual(scanner.downtime?.whileDown, .divert(to: 1))
        XCTAssertEqual(scanner.downtime?.timeBetweenFailures.mean ?? 0, 8 * 3600, accuracy: 1e-9)
        XCTAssertEqual(exam.downtime?.whileDown, .releaseUnscreened)
        XCTAssertEqual(exam.downtime?.repairTime.mean ?? 0, 1800, accuracy: 1e-9)
        XCTAssertEqual(exam.servers.value(at: 7 * 3600), 2)
        // Without a referral station the first station is used; `queue` is the default while down.
        let other = try scenario(extra: """
            stations:
              a: {servers: 1, service: 5 min, on-alarm: b, on-clear: b, downtime: {between-failures: 8h, repair: 1h, while-down: queue}}
              b: {servers: 1, service: 5 min, on-alarm: a, on-clear: release}
            """).config
        XCTAssertEqual(other.referralStation, 0)
        XCTAssertEqual(other.stations[0].downtime?.whileDown, .queueWaits)
        XCTAssertEqual(other.stations[0].onAlarm, .station(1))
    }

    func testStaffingAndMetrics() throws {
        let s = try ScenarioLoader.load(path: Fixtures.good("full.yaml"))
        let st = try XCTUnwrap(s.config.staffing)
        XCTAssertEqual(st.order, [.station(0), .station(1), .lane(0), .lane(1), .lane(2)])
        XCTAssertEqual(st.rebalance, RebalanceRule(station: 0, fromLanes: [0], raiseAt: 15, lowerAt: 5, maxMoved: 2))
        XCTAssertEqual(s.config.metrics, MetricOptions(queueSampleInterval: 600, seriesBin: 1800))
        XCTAssertTrue(s.trace)
        // Defaults.
        let m = try ScenarioLoader.load(path: Fixtures.good("minimal.yaml"))
        XCTAssertNil(m.config.staffing)
        XCTAssertEqual(m.config.metrics, MetricOptions())
        XCTAssertFalse(m.trace)
        XCTAssertEqual(m.replications, 10); XCTAssertEqual(m.seed, 1); XCTAssertEqual(m.config.warmUp, 0)
        XCTAssertTrue(m.config.stations.isEmpty); XCTAssertNil(m.config.referralStation)
        let constant = try scenario(extra: "staffing: {on-duty: 12}").config.staffing
        XCTAssertEqual(constant?.onDuty.value(at: 0), 12)
        XCTAssertNil(constant?.order); XCTAssertNil(constant?.rebalance)
    }

    // MARK: overrides, warnings

    func testOverridesChangeValuesAndTheResolvedText() throws {
        let path = Fixtures.good("full.yaml")
        let s = try ScenarioLoader.load(path: path, overrides: [
            "horizon=36h", "replications=7", "classes.pedestrian.arrivals.poisson=5/min",
            "lanes.freight.booths[6]=9", "stations.scanner.servers=4", "targeting.rule.threshold=3.5",
            "metrics.trace=false", "classes.truck.trusted-share=10%",   // a key the file did not have
        ])
        XCTAssertEqual(s.config.horizon, 36 * 3600)
        XCTAssertEqual(s.replications, 7)
        XCTAssertEqual(rate(s.config.classes[1].arrivals) ?? 0, 5.0 / 60, accuracy: 1e-12)
        XCTAssertEqual(s.config.lanes[2].booths.value(at: 6.5 * 3600), 9)
        XCTAssertEqual(s.config.lanes[2].booths.value(at: 7.5 * 3600), 2)
        XCTAssertEqual(s.config.stations[0].servers.value(at: 0), 4)
        XCTAssertEqual(s.config.targeting.rule, .threshold(3.5, randomRate: 0.01))
        XCTAssertFalse(s.trace)
        XCTAssertEqual(s.config.classes[4].trustedShare, 0.1, accuracy: 1e-12)
        // The source is kept as read; the resolved text reproduces the run and loads to the same values.
        XCTAssertEqual(s.sourceText, try String(contentsOfFile: path, encoding: .utf8))
        for fragment in ["horizon: 36h", "replications: 7", "poisson: 5/min", "servers: 4", "threshold: 3.5", "trusted-share: 10%"] {
            XCTAssertTrue(s.resolvedText.contains(fragment), fragment)
            XCTAssertFalse(s.sourceText.contains(fragment), fragment)
        }
        let again = try ScenarioLoader.parse(data: Data(s.resolvedText.utf8), file: "resolved.yaml", directory: Fixtures.good)
        XCTAssertEqual(again.config.horizon, s.config.horizon)
        XCTAssertEqual(again.config.lanes[2].booths, s.config.lanes[2].booths)
        XCTAssertEqual(again.config.targeting, s.config.targeting)
        // Without overrides and CSV references the resolved text is the source; CSV columns become their values.
        let plain = try ScenarioLoader.load(path: Fixtures.good("minimal.yaml"))
        XCTAssertEqual(plain.resolvedText, plain.sourceText)
        let full = try ScenarioLoader.load(path: path)
        // (Profiles and schedules; a trace's CSV stays a reference: there is no inline form for a trace yet.)
        XCTAssertFalse(full.resolvedText.contains("booths.csv") || full.resolvedText.contains("hourly.csv"), full.resolvedText)
        let stored = try ScenarioLoader.parse(data: Data(full.resolvedText.utf8), file: "stored.yaml", directory: Fixtures.good)
        XCTAssertEqual(stored.config.lanes.map(\.booths), full.config.lanes.map(\.booths))
    }

    func testWarnings() throws {
        let s = try ScenarioLoader.load(path: Fixtures.good("warnings.yaml"))
        XCTAssertTrue(s.warnings.allSatisfy { $0.severity == .warning })
        let never = s.warnings.first { $0.message.contains("is served only by lanes that never open (walkway)") }
        XCTAssertEqual(never?.line, 8)
        XCTAssertEqual(never?.path, "classes.pedestrian")
        let busy = s.warnings.first { $0.path == "lanes.general" && $0.message.contains("utilisation above 1") }
        XCTAssertEqual(busy?.line, 12)
        XCTAssertTrue(busy?.description.contains("warning: lanes.general: more work arrives than the open booths can serve (utilisation above 1)") == true, "\(s.warnings)")
        XCTAssertTrue(busy?.message.contains("general in 00:00–24:00 (peak 10 booths' worth of work on 2 open at 00:00)") == true, "\(s.warnings)")
        // One warning for all the lanes, however many are short of booths.
        XCTAssertEqual(s.warnings.filter { $0.message.contains("utilisation above 1") }.count, 1, "\(s.warnings)")
        // The full scenario and the minimal one have none.
        // (The full scenario's scanner gets more referred work than its servers can serve, which is true: see its run.)
        XCTAssertEqual(try ScenarioLoader.load(path: Fixtures.good("full.yaml")).warnings.map(\.path), ["stations.scanner", "stations.exam"])
        XCTAssertEqual(try ScenarioLoader.load(path: Fixtures.good("minimal.yaml")).warnings, [])
        // Enough booths: the warning goes away.
        XCTAssertEqual(try ScenarioLoader.load(path: Fixtures.good("warnings.yaml"),
                                               overrides: ["lanes.general.booths=12", "lanes.walkway.booths=1"]).warnings, [])
    }
}
