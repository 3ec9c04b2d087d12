import Foundation
@testable import Planning
import Scenarios
import XCTest

/// Fixtures written to a temporary directory: a one-lane scenario with an observed: block, and
/// observed CSV files in the CBP Airport Wait Times layout.
enum Fixture {
    static func directory() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("planning-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    /// One lane of booths, Poisson passengers (no flights column), service lognormal `service`.
    static func scenario(in d: URL, service: String = "60s", extra: String = "") throws -> String {
        let text = """
        name: planning-fixture
        horizon: 24h
        replications: 4
        seed: 7
        classes:
          passenger: {kind: air-passenger, arrivals: {poisson: 60/h}}
        lanes:
          booths:
            serves: [passenger]
            booths: 2
            service: {passenger: {lognormal: {mean: \(service), sd: 30s}}}
        observed:
          lane: booths
          class: passenger
          date: date
          hour: hour
          passengers: all_total
          positions: all_booths
          mean-wait: all_avg_wait
          buckets: {all_n_0..15: 15 min, all_n_16..30: 30 min, all_n_30..: more}
        \(extra)
        """
        let path = d.appendingPathComponent("fixture.yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let header = "airport,terminal,date,hour,all_avg_wait,all_n_0..15,all_n_16..30,all_n_30..,all_total,all_booths"

    /// Hourly rows for `days` days from 2016-01-01 (US dates) with a daily load pattern; hours in `skip` left out.
    static func csv(in d: URL, name: String, days: Int, iso: Bool = false, skip: Set<Int> = [],
                    wait: (Int) -> String = { _ in "5" }) throws -> String {
        var lines = [header]
        for day in 0..<days {
            for h in 0..<24 where !skip.contains(day * 24 + h) {
                let date = iso ? String(format: "2016-01-%02d", day + 1) : "1/\(day + 1)/2016"
                let pax = [40, 60, 90, 110][h % 4], booths = [1, 2, 2, 3][h % 4]
                lines.append("ORD,Terminal 5,\(date),\(String(format: "%02d00 - %02d00", h, (h + 1) % 24)),\(wait(day * 24 + h)),\(pax),0,0,\(pax),\(booths)")
            }
        }
        let path = d.appendingPathComponent(name).path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

final class ObservedPeriodTests: XCTestCase {
    func testDatesAndHoursInBothCBPFormats() {
        XCTAssertEqual(ObservedPeriod.parseDate("1/31/2018"), ObservedPeriod.parseDate("2018-01-31"))
        XCTAssertEqual(ObservedPeriod.parseDate("1/1/1970"), 0)
        XCTAssertEqual(ObservedPeriod.parseDate("2016-03-01")! - ObservedPeriod.parseDate("2016-02-28")!, 2)   // leap year
        XCTAssertNil(ObservedPeriod.parseDate("2/30/2017"))
        XCTAssertNil(ObservedPeriod.parseDate("31/1/2018"))
        XCTAssertEqual(ObservedPeriod.isoDate(ObservedPeriod.parseDate("12/31/2017")!), "2017-12-31")
        XCTAssertEqual(ObservedPeriod.parseHour("1400 - 1500"), 14)
        XCTAssertEqual(ObservedPeriod.parseHour("0000 - 0100"), 0)
        XCTAssertEqual(ObservedPeriod.parseHour("14:00"), 14)
        XCTAssertEqual(ObservedPeriod.parseHour("7"), 7)
        XCTAssertNil(ObservedPeriod.parseHour("2400 - 0100"))
    }

    func testFilesJoinInTimeOrderAndAbsentHoursAreMissing() throws {
        let d = try Fixture.directory()
        let spec = try ScenarioLoader.load(path: try Fixture.scenario(in: d)).observed!
        // Second file (ISO dates) continues the first; given first on the command line, they still join in time order.
        let a = try Fixture.csv(in: d, name: "a.csv", days: 1, skip: [3, 4])
        var lines = try String(contentsOfFile: try Fixture.csv(in: d, name: "tmp.csv", days: 2, iso: true), encoding: .utf8).split(separator: "\n")
        lines.removeSubrange(1...24)                       // keep only day 2
        let b = d.appendingPathComponent("b.csv").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: b, atomically: true, encoding: .utf8)
        let p = try ObservedPeriod.load([b, a], spec: spec)
        XCTAssertEqual(p.count, 48)
        XCTAssertEqual(p.firstDate, "2016-01-01")
        XCTAssertEqual(p.lastDate, "2016-01-02")
        XCTAssertNil(p.hours[3]); XCTAssertNil(p.hours[4])
        XCTAssertEqual(p.hours[30]?.dateText, "2016-01-02")
        XCTAssertEqual(p.hours[30]?.hourText, "0600 - 0700")
        XCTAssertEqual(p.files.map(\.name), ["b.csv", "a.csv"])
        XCTAssertEqual(p.files[0].sha256.count, 64)
    }

    func testBlankCellsAreMissingAndBadCellsNameFileLineColumn() throws {
        let d = try Fixture.directory()
        let spec = try ScenarioLoader.load(path: try Fixture.scenario(in: d)).observed!
        let blank = try Fixture.csv(in: d, name: "blank.csv", days: 1) { $0 == 5 ? "" : "5" }
        let p = try ObservedPeriod.load([blank], spec: spec)
        XCTAssertNil(p.hours[5]!.meanWait)
        XCTAssertEqual(p.hours[6]!.meanWait, 5)
        let bad = try Fixture.csv(in: d, name: "bad.csv", days: 1) { $0 == 5 ? "abc" : "5" }
        XCTAssertThrowsError(try ObservedPeriod.load([bad], spec: spec)) { e in
            XCTAssertEqual("\(e)", "\(bad):7: column 'all_avg_wait': expected a number ≥ 0 or a blank, found 'abc'")
        }
        XCTAssertThrowsError(try ObservedPeriod.load([blank, blank], spec: spec)) { e in
            XCTAssertTrue("\(e)".contains("appears twice"), "\(e)")
        }
        let noColumn = d.appendingPathComponent("nocol.csv").path
        try "date,hour\n1/1/2016,0000 - 0100\n".write(toFile: noColumn, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ObservedPeriod.load([noColumn], spec: spec)) { e in
            XCTAssertTrue("\(e)".hasPrefix("\(noColumn):1: column 'all_total': missing in the header"), "\(e)")
        }
    }

    func testObservedBlockErrorsNameTheKeyPath() throws {
        let d = try Fixture.directory()
        let path = try Fixture.scenario(in: d)
        XCTAssertThrowsError(try ScenarioLoader.load(path: path, overrides: ["observed.lane=nowhere"])) { e in
            XCTAssertTrue("\(e)".contains("observed.lane"), "\(e)")
        }
        XCTAssertThrowsError(try ScenarioLoader.load(path: path, overrides: ["observed.lead-time=-5min"])) { e in
            XCTAssertTrue("\(e)".contains("observed.lead-time"), "\(e)")
        }
    }
}
