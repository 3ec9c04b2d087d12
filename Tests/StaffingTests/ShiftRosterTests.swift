import XCTest
@testable import Staffing

/// GLPK's roster against enumeration of every roster on tiny instances.
final class ShiftRosterTests: XCTestCase {
    /// The cheapest roster by trying every count 0...limit for every (shift, start).
    func bruteForce(_ requirement: [Int], _ shifts: [ShiftPattern], wraps: Bool, limit: Int) -> Int? {
        let hours = requirement.count
        var columns: [(Int, Int)] = []
        for (j, s) in shifts.enumerated() { for start in s.starts { columns.append((j, start)) } }
        var best: Int?
        var x = Array(repeating: 0, count: columns.count)
        func covered(_ h: Int) -> Int {
            columns.indices.reduce(0) { sum, k in
                let (j, start) = columns[k]
                let offset = wraps ? ((h - start) % hours + hours) % hours : h - start
                return sum + (shifts[j].onPost(offset: offset) ? x[k] : 0)
            }
        }
        func visit(_ k: Int) {
            if k == columns.count {
                for (j, s) in shifts.enumerated() where s.maxOfficers != nil {
                    if columns.indices.filter({ columns[$0].0 == j }).reduce(0, { $0 + x[$1] }) > s.maxOfficers! { return }
                }
                guard (0..<hours).allSatisfy({ covered($0) >= requirement[$0] }) else { return }
                let cost = columns.indices.reduce(0) { $0 + x[$1] * shifts[columns[$1].0].length }
                if best == nil || cost < best! { best = cost }
                return
            }
            for v in 0...limit { x[k] = v; visit(k + 1) }
        }
        visit(0)
        return best
    }

    func testMatchesBruteForceOnTinyInstances() throws {
        var state: UInt64 = 42   // a fixed LCG: the same instances every run
        func next(_ n: Int) -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int((state >> 33) % UInt64(n)) }
        for trial in 0..<12 {
            let hours = 8
            let requirement = (0..<hours).map { _ in next(4) }
            let wraps = trial % 2 == 0
            let shifts = [
                ShiftPattern(name: "short", length: 3, starts: [0, 2, 5]),
                ShiftPattern(name: "long", length: 5, starts: [1, 4], breakAfter: trial % 3 == 0 ? 2 : 0,
                             breakLength: trial % 3 == 0 ? 1 : 0, maxOfficers: trial % 4 == 1 ? 3 : nil),
            ]
            let expected = bruteForce(requirement, shifts, wraps: wraps, limit: 3)   // requirement ≤ 3: no column needs more than 3
            do {
                let roster = try ShiftRoster.solve(requirement: requirement, shifts: shifts, wraps: wraps)
                XCTAssertEqual(roster.paidHours, expected, "trial \(trial): requirement \(requirement), wraps \(wraps)")
                for h in 0..<hours { XCTAssertGreaterThanOrEqual(roster.onPost[h], requirement[h]) }
            } catch {
                XCTAssertNil(expected, "trial \(trial): GLPK found no roster but enumeration did: \(error)")
            }
        }
    }

    func testRefusesHoursNoShiftReaches() {
        let shifts = [ShiftPattern(name: "day", length: 4, starts: [0])]
        XCTAssertThrowsError(try ShiftRoster.solve(requirement: [1, 1, 1, 1, 0, 2], shifts: shifts, wraps: false)) {
            XCTAssert("\($0)".contains("05:00"), "\($0)")
        }
    }

    func testReadsShiftsFileAndNamesBadKeys() throws {
        let good = """
        shifts:
          early: {length: 8h, starts: ["06:00", "07:00"], break: {after: 4h, length: 1h}}
          late: {length: 8h, starts: any, max-officers: 10}
        """
        let s = try ShiftPattern.parse(good, file: "SHIFTS.yaml", hours: 24)
        XCTAssertEqual(s.map(\.name), ["early", "late"])
        XCTAssertEqual(s[0].starts, [6, 7])
        XCTAssertFalse(s[0].onPost(offset: 4))
        XCTAssertTrue(s[0].onPost(offset: 5))
        XCTAssertEqual(s[1].starts.count, 24)
        let bad = """
        shifts:
          early: {length: 8h, starts: ["06:30"]}
        """
        XCTAssertThrowsError(try ShiftPattern.parse(bad, file: "SHIFTS.yaml", hours: 24)) {
            XCTAssert("\($0)".contains("SHIFTS.yaml:2:") && "\($0)".contains("shifts.early.starts[0]"), "\($0)")
        }
    }
}
