import Foundation
import XCTest
import BorderModel
import SimKernel
@testable import Scenarios

/// Whole-model checks: station capacity, routing loops, implausible durations, plan/scenario mix-ups.
final class ChecksTests: XCTestCase {
    static let port = """
    name: Checks
    horizon: 8h
    violation-types: [narcotics]
    classes:
      car: {kind: passenger-vehicle, arrivals: {poisson: 100/h}, violations: {narcotics: 1%}}
    lanes:
      general: {serves: [car], booths: 4, service: {car: 60s}}
    targeting:
      rule: {random: 10%}
    stations:
      scanner: {servers: 2, service: {exponential: {mean: 5 min}}, false-alarm-rate: 10%, on-alarm: exam, on-clear: release}
      exam: {servers: 1, service: {exponential: {mean: 20 min}}}
    """

    func testStationCapacity() throws {
        // 10 referrals an hour at 5 min on 2 servers, then 1 an hour at 20 min: no warning.
        XCTAssertEqual(try Fixtures.parse(Self.port).warnings, [])
        // A scanner whose service takes 4 hours is over capacity all day: one warning, with hours and the fix.
        let slow = try Fixtures.parse(Self.port, overrides: ["stations.scanner.service={exponential: {mean: 4 hours}}"])
        let w = slow.warnings.filter { $0.path == "stations.scanner" }
        XCTAssertEqual(w.count, 1, "\(slow.warnings)")
        XCTAssertTrue(w.first?.message.contains("utilisation above 1) in 00:00–08:00") == true, "\(w)")
        XCTAssertTrue(w.first?.message.contains("peak 40 servers' worth of work on 2") == true, "\(w)")
        XCTAssertTrue(w.first?.message.contains("mean service 4 h") == true, "\(w)")
        XCTAssertTrue(w.first?.message.contains("stations.scanner.servers") == true, "\(w)")
        // Downstream: every alarm to an exam that takes 2 hours overloads the exam, not the scanner.
        let exam = try Fixtures.parse(Self.port, overrides: ["stations.scanner.false-alarm-rate=100%",
                                                              "stations.exam.service={exponential: {mean: 2h}}"])
        XCTAssertEqual(exam.warnings.map(\.path), ["stations.exam"], "\(exam.warnings)")
    }

    func testRoutingLoopsAreRefused() throws {
        let looped = Self.port.replacingOccurrences(of: "exam: {servers: 1, service: {exponential: {mean: 20 min}}}",
                                                    with: "exam: {servers: 1, service: {exponential: {mean: 20 min}}, false-alarm-rate: 100%, on-alarm: scanner}")
            .replacingOccurrences(of: "false-alarm-rate: 10%", with: "false-alarm-rate: 100%")
        XCTAssertThrowsError(try Fixtures.parse(looped)) { error in
            let text = (error as? ScenarioError)?.description ?? "\(error)"
            XCTAssertTrue(text.contains("stations.scanner: expected routing without loops"), text)
            XCTAssertTrue(text.contains("found the loop scanner → exam → scanner"), text)
        }
        // A station sending everybody back to itself is a loop too; a loop parties can leave (re-screening) is allowed.
        XCTAssertThrowsError(try Fixtures.parse(Self.port, overrides: ["stations.exam.on-clear=exam"]))
        XCTAssertNoThrow(try Fixtures.parse(Self.port, overrides: ["stations.exam.on-alarm=scanner", "stations.exam.false-alarm-rate=50%"]))
    }

    func testImplausibleDurationsAndPercentMultipliers() throws {
        let short = try Fixtures.parse(Self.port, overrides: ["horizon=24"])
        XCTAssertTrue(short.warnings.contains { $0.path == "horizon" && $0.message.contains("did you mean 24h?") }, "\(short.warnings)")
        XCTAssertFalse(try Fixtures.parse(Self.port, overrides: ["horizon=28800"]).warnings.contains { $0.path == "horizon" })
        let surge = try Fixtures.parse(Self.port, overrides: ["what-if.arrival-rate=120%"])
        XCTAssertEqual(surge.config.classes[0].arrivals, .poisson(rate: 120.0 / 3600), accuracy: 1e-12)
    }

    func testPlanAndScenarioAreToldApart() throws {
        let plans = Fixtures.repository.appendingPathComponent("scenarios/sweeps/staffing-grid.yaml").path
        let problems = Fixtures.problems(plans)
        XCTAssertEqual(problems.count, 1)
        XCTAssertTrue(problems[0].message.contains("this is a sweep plan"), "\(problems)")
        XCTAssertTrue(problems[0].message.contains("bordersim sweep"), "\(problems)")
        let scenario = Fixtures.repository.appendingPathComponent("scenarios/land-port.yaml").path
        XCTAssertThrowsError(try SweepPlanLoader.load(path: scenario)) { error in
            XCTAssertTrue("\(error)".contains("this is a scenario"), "\(error)")
        }
    }

    func testProfilesFromCSVAreStoredAsValues() throws {
        let path = Fixtures.repository.appendingPathComponent("scenarios/land-port.yaml").path
        let s = try ScenarioLoader.load(path: path)
        XCTAssertFalse(s.resolvedText.contains("csv"), "the resolved text still refers to a CSV file")
        // It reads back, anywhere, to the same model.
        let elsewhere = FileManager.default.temporaryDirectory
        let again = try ScenarioLoader.parse(data: Data(s.resolvedText.utf8), file: "stored.yaml", directory: elsewhere)
        func profiles(_ s: Scenario) -> [PiecewiseConstant] {
            s.config.classes.compactMap { if case .profile(let p) = $0.arrivals { return p }; return nil }
        }
        XCTAssertEqual(profiles(s).count, 5)
        XCTAssertEqual(profiles(again), profiles(s))
    }
}

private func XCTAssertEqual(_ a: ArrivalProcess, _ b: ArrivalProcess, accuracy: Double,
                            file: StaticString = #filePath, line: UInt = #line) {
    if case .poisson(let x) = a, case .poisson(let y) = b { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) } else {
        XCTFail("\(a) is not \(b)", file: file, line: line)
    }
}

/// Sweep plans give YAML values to their parameters, as --set takes them.
final class PlanValueTests: XCTestCase {
    func testPlanParametersMayBeListsAndMappings() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bordersim-plan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(atPath: Fixtures.good("minimal.yaml"), toPath: dir.appendingPathComponent("port.yaml").path)
        let plan = """
        name: schedules
        scenario: port.yaml
        set: {lanes.general.booths: {default: 2, ranges: [{from: "06:00", to: "10:00", value: 5}]}}
        parameters:
          lanes.general.booths: [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24], 3]
        """
        try plan.write(to: dir.appendingPathComponent("plan.yaml"), atomically: true, encoding: .utf8)
        let loaded = try SweepPlanLoader.load(path: dir.appendingPathComponent("plan.yaml").path)
        XCTAssertEqual(loaded.fixed, [#"lanes.general.booths={default: 2, ranges: [{from: "06:00", to: "10:00", value: 5}]}"#])
        guard case .values(let values) = loaded.parameters.first?.domain else { return XCTFail("no values") }
        XCTAssertEqual(values.count, 2)
        let s = try ScenarioLoader.load(path: loaded.scenarioPath, overrides: loaded.fixed + ["lanes.general.booths=\(values[0])"])
        XCTAssertEqual(s.config.lanes[0].booths.value(at: 13.5 * 3600), 14)
        let fixed = try ScenarioLoader.load(path: loaded.scenarioPath, overrides: loaded.fixed)
        XCTAssertEqual(fixed.config.lanes[0].booths.value(at: 7 * 3600), 5)
    }
}
