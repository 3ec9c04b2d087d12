import Foundation
import XCTest

/// `bordersim staff` as a planner runs it: a plan that `run` accepts, and clear refusals.
final class StaffCommandTests: XCTestCase {
    /// A 6-hour shift with a peak: one lane, lognormal service, 8 booths built.
    static let scenario = """
    name: small-peak
    horizon: 6h
    warm-up: 1h
    replications: 3
    seed: 4
    classes:
      car: {kind: passenger-vehicle, arrivals: {profile: [60, 180, 300, 240, 120, 60]}}
    lanes:
      general: {serves: [car], booths: 8, service: {car: {lognormal: {mean: 60s, sd: 30s}}}}
    """

    func folder(_ yaml: String = scenario) throws -> URL {
        let dir = try Tool.temporaryDirectory(self)
        try yaml.write(to: dir.appendingPathComponent("port.yaml"), atomically: true, encoding: .utf8)
        try "shifts:\n  four: {length: 4h, starts: any}\n  two: {length: 2h, starts: any}\n"
            .write(to: dir.appendingPathComponent("SHIFTS.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    func testPlanIsWrittenAndRuns() throws {
        let dir = try folder()
        let r = try Tool.run(["staff", "port.yaml", "--target", "lane.general: p95-wait <= 5 min", "--shifts", "SHIFTS.yaml",
                              "--json", "-o", "PLAN.yaml"], in: dir, test: self)
        XCTAssertEqual(r.status, 0, r.stderr)
        let report = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let positions = report["positions"] as! [[String: Any]]
        let plan = positions[0]["plan"] as! [Int]
        XCTAssertEqual(plan.count, 6)
        XCTAssertGreaterThan(plan[2], plan[5], "more booths at the peak")
        let roster = report["roster"] as! [String: Any]
        let onPost = roster["on_post"] as! [Int], requirement = report["requirement"] as! [Int]
        for (a, b) in zip(onPost, requirement) { XCTAssertGreaterThanOrEqual(a, b) }
        let text = try String(contentsOf: dir.appendingPathComponent("PLAN.yaml"), encoding: .utf8)
        XCTAssert(text.hasPrefix("# Staffing plan written by bordersim"), text)
        XCTAssert(text.contains("booths: [" + plan.map(String.init).joined(separator: ", ") + "]"), text)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent(".PLAN.yaml.tmp").path))
        let run = try Tool.run(["run", "PLAN.yaml", "--replications", "2"], in: dir, test: self)
        XCTAssertEqual(run.status, 0, run.stderr)
        // The plan never replaces an input, nor an existing file without --force.
        let again = try Tool.run(["staff", "port.yaml", "--target", "lane.general: p95-wait <= 5 min", "-o", "PLAN.yaml"], in: dir, test: self)
        XCTAssertEqual(again.status, 2)
        XCTAssert(again.stderr.contains("--force"), again.stderr)
        let input = try Tool.run(["staff", "port.yaml", "--target", "lane.general: p95-wait <= 5 min", "-o", "port.yaml", "--force"],
                                 in: dir, test: self)
        XCTAssertEqual(input.status, 2)
        XCTAssert(input.stderr.contains("input"), input.stderr)
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("port.yaml"), encoding: .utf8), Self.scenario)
    }

    func testMoreBoothsThanExistIsRefusedNamingHourAndLane() throws {
        let dir = try folder()
        let r = try Tool.run(["staff", "port.yaml", "--target", "lane.general: p95-wait <= 2 min", "--max-positions", "lane.general=3",
                              "-o", "PLAN.yaml"], in: dir, test: self)
        XCTAssertEqual(r.status, 2, r.stdout)
        XCTAssert(r.stderr.contains("lane general at 0"), r.stderr)      // "... at 02:00: ..."
        XCTAssert(r.stderr.contains("nothing was written"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("PLAN.yaml").path))
    }

    func testTargetBelowTheServiceTimeIsRefused() throws {
        let dir = try folder()
        let r = try Tool.run(["staff", "port.yaml", "--target", "lane.general: mean-crossing <= 50 s", "-o", "PLAN.yaml"], in: dir, test: self)
        XCTAssertEqual(r.status, 2)
        XCTAssert(r.stderr.contains("lane general") && r.stderr.contains("service time"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("PLAN.yaml").path))
        let typo = try Tool.run(["staff", "port.yaml", "--target", "lane.genral: p95-wait <= 5 min"], in: dir, test: self)
        XCTAssertEqual(typo.status, 2)
        XCTAssert(typo.stderr.contains("no lane 'genral'"), typo.stderr)
    }

    func testInterruptWritesNothing() throws {
        let dir = try folder()
        let r = try Tool.run(["staff", Tool.repo("scenarios/land-port.yaml"), "--target", "lane.general: p95-wait <= 45 min",
                              "-o", "PLAN.yaml"], in: dir, test: self, interruptAfter: 1.5)
        XCTAssertEqual(r.status, 130, r.stderr)
        XCTAssert(r.stderr.contains("interrupted; nothing was written"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("PLAN.yaml").path))
    }
}
