import Foundation
@testable import Planning
import Scenarios
import XCTest

/// `observed.mix`: each hour's passengers split between two classes, optionally two booth pools.
final class MixTests: XCTestCase {
    static let twoClasses = """
    name: mix-fixture
    horizon: 24h
    replications: 4
    seed: 7
    classes:
      citizen: {kind: air-passenger, arrivals: {poisson: 30/h}}
      visitor: {kind: air-passenger, arrivals: {poisson: 30/h}}
    lanes:
      booths: {serves: [citizen], booths: 2, service: {citizen: {lognormal: {mean: 30s, sd: 10s}}}}
      visitor-booths: {serves: [visitor], booths: 2, service: {visitor: {lognormal: {mean: 90s, sd: 30s}}}}
    observed:
      lane: booths
      class: citizen
      date: date
      hour: hour
      passengers: all_total
      positions: all_booths
      mean-wait: all_avg_wait
    """

    func scenario(_ d: URL, mix: String) throws -> String {
        let path = d.appendingPathComponent("mix.yaml").path
        try (Self.twoClasses + "\n" + mix).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let quarter = "[" + Array(repeating: "25%", count: 24).joined(separator: ", ") + "]"

    /// A quarter of the passengers are visitors, whose mean service is 3× the citizens': their
    /// workload share is 0.25·3 / (0.25·3 + 0.75) = ½, so the booths split evenly.
    func testSharesSplitPassengersAndBoothsByWorkload() throws {
        let d = try Fixture.directory()
        let path = try scenario(d, mix: "  mix: {class: visitor, share: \(Self.quarter), lane: visitor-booths}")
        let csv = try Fixture.csv(in: d, name: "x.csv", days: 8)
        let run = try ReplayRun(scenarioPath: path, observed: [csv], replications: 2)
        let config = try ReplayModel.configuration(run.scenario, period: run.period)
        for h in [1, 3, 5, 7] {     // 2 and 3 booths (Fixture): 1+1 and round(1.5)=2 → 1+2
            let total = run.period.hours[h]!.positions!
            let citizens = config.lanes[0].booths.value(at: (Double(h) + 0.5) * 3600)
            let visitors = config.lanes[1].booths.value(at: (Double(h) + 0.5) * 3600)
            XCTAssertEqual(citizens + visitors, total, "hour \(h)")
            XCTAssertEqual(visitors, (total / 2).rounded(), "hour \(h)")
        }
        // Both lanes' parties make the hall's prediction: all the file's passengers are served.
        let r = try run.report()
        let served = r.prediction.served.reduce(0, +)
        let observed = run.period.hours.compactMap { $0?.passengers }.reduce(0, +)
        XCTAssertEqual(served / observed, 1, accuracy: 0.03)
        XCTAssertEqual(run.scenario.observed?.mix?.share.first, 0.25)
    }

    /// The slower class in its own pool waits longer than the same passengers in one FIFO pool
    /// would suggest: the mix changes the prediction in the direction the data shows.
    func testVisitorsInTheirOwnPoolChangeTheHallWait() throws {
        let d = try Fixture.directory()
        let csv = try Fixture.csv(in: d, name: "x.csv", days: 10)
        let none = try ReplayRun(scenarioPath: try scenario(d, mix: ""), observed: [csv], replications: 3).report()
        let half = "[" + Array(repeating: "0.5", count: 24).joined(separator: ", ") + "]"
        let mixed = try ReplayRun(scenarioPath: try scenario(d, mix: "  mix: {class: visitor, share: \(half), lane: visitor-booths, booth-weight: 0.8}"),
                                  observed: [csv], replications: 3).report()
        // Half the passengers at 90 s instead of 30 s: the mean hall wait must rise.
        let a = none.prediction.mean.filter(\.isFinite), b = mixed.prediction.mean.filter(\.isFinite)
        XCTAssertGreaterThan(b.reduce(0, +) / Double(b.count), a.reduce(0, +) / Double(a.count) + 0.1)
    }

    func testShareColumnOverridesTheProfileAndBadInputIsRefused() throws {
        let d = try Fixture.directory()
        var text = try String(contentsOfFile: try Fixture.csv(in: d, name: "x.csv", days: 1), encoding: .utf8)
        var lines = text.split(separator: "\n").map(String.init)
        lines[0] += ",vis"
        for i in 1..<lines.count { lines[i] += i == 2 ? ",1" : "," }
        text = lines.joined(separator: "\n") + "\n"
        let csv = d.appendingPathComponent("share.csv").path
        try text.write(toFile: csv, atomically: true, encoding: .utf8)
        let path = try scenario(d, mix: "  mix: {class: visitor, share: \(Self.quarter), share-column: vis}")
        let run = try ReplayRun(scenarioPath: path, observed: [csv], replications: 1)
        XCTAssertEqual(run.period.hours[1]?.share, 1)
        XCTAssertNil(run.period.hours[0]?.share, "blank: the profile")
        let config = try ReplayModel.configuration(run.scenario, period: run.period)
        // Poisson within the hour (no flights column): hour 1 is all visitors (60 passengers), hour 0 a quarter.
        guard case .profile(let citizens) = config.classes[0].arrivals, case .profile(let visitors) = config.classes[1].arrivals
        else { return XCTFail("expected hourly rates") }
        XCTAssertEqual(citizens.value(at: 1.5 * 3600), 0)
        XCTAssertEqual(visitors.value(at: 1.5 * 3600), 60.0 / 3600, accuracy: 1e-12)
        XCTAssertEqual(visitors.value(at: 0.5 * 3600), 0.25 * 40 / 3600, accuracy: 1e-12)
        // A share above 1 in the file: refused with file, line and column.
        try text.replacingOccurrences(of: ",1\n", with: ",7\n").write(toFile: csv, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ReplayRun(scenarioPath: path, observed: [csv])) { e in
            XCTAssertTrue("\(e)".contains("share.csv:3: column 'vis'"), "\(e)")
        }
    }

    func testBadMixBlocksNameTheirKey() throws {
        let d = try Fixture.directory()
        for (mix, key) in [("  mix: {class: visitor, share: [0.5, 0.5]}", "observed.mix.share"),
                           ("  mix: {class: nobody, share: \(Self.quarter)}", "observed.mix.class"),
                           ("  mix: {class: citizen, share: \(Self.quarter)}", "observed.mix.class"),
                           ("  mix: {class: visitor, share: \(Self.quarter), booth-weight: 2}", "observed.mix.booth-weight"),
                           ("  mix: {class: visitor, share: \(Self.quarter), lane: visitor-booths, booth-weight: -1}", "observed.mix.booth-weight")] {
            XCTAssertThrowsError(try ScenarioLoader.load(path: try scenario(d, mix: mix)), mix) { e in
                XCTAssertTrue("\(e)".contains(key), "\(mix): \(e)")
            }
        }
    }

    func testBoothSplitKeepsOneBoothEachAndNeverMore() {
        let m = ObservedMix(classIndex: 1, share: Array(repeating: 0.5, count: 24), lane: 1, boothWeight: 1)
        XCTAssertEqual(m.secondLaneBooths(total: 1, workload: 0.9), 0)
        XCTAssertEqual(m.secondLaneBooths(total: 10, workload: 0.99), 9)
        XCTAssertEqual(m.secondLaneBooths(total: 10, workload: 0.01), 1)
        XCTAssertEqual(m.secondLaneBooths(total: 10, workload: 0.42), 4)
    }
}
