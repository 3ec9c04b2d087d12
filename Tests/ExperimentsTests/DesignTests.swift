import Experiments
import Scenarios
import XCTest

final class DesignTests: XCTestCase {
    func points(_ design: String, _ parameters: String) throws -> (SweepPlan, DesignPoints) {
        let dir = try SweepFixtures.folder()
        let plan = try SweepPlanLoader.load(path: try SweepFixtures.plan("""
        name: t
        scenario: lesson.yaml
        design: \(design)
        parameters:
        \(parameters)
        """, in: dir))
        return (plan, DesignPoints(plan))
    }

    func testGridIsEveryCombinationFirstParameterSlowest() throws {
        let (_, p) = try points("grid", """
          a.b: [1, 2, 3]
          c.d: {from: 0, to: 1, step: 0.5}
          e: [x, y]
        """)
        XCTAssertEqual(p.count, 3 * 3 * 2)
        XCTAssertEqual(p.settings[0], ["1", "0", "x"])
        XCTAssertEqual(p.settings[1], ["1", "0", "y"])
        XCTAssertEqual(p.settings[2], ["1", "0.5", "x"])
        XCTAssertEqual(p.settings[17], ["3", "1", "y"])
        XCTAssertEqual(Set(p.settings.map { $0.joined(separator: "|") }).count, 18, "no combination twice")
        XCTAssertEqual(p.columns[0], .reals([1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3]))
        XCTAssertEqual(p.columns[2], .strings(Array(repeating: ["x", "y"], count: 9).flatMap { $0 }))
    }

    func testMinMaxCountMakesEvenlySpacedValues() throws {
        let (_, p) = try points("grid", "  a: {min: 1, max: 2, count: 5}")
        XCTAssertEqual(p.columns[0], .reals([1, 1.25, 1.5, 1.75, 2]))
    }

    /// Latin hypercube: each parameter's n values fall one in each of n equal strata, and the
    /// design is a pure function of its seed.
    func testLatinHypercubeStratifiesEveryParameter() throws {
        let n = 50
        let (_, p) = try points("{latin-hypercube: {points: \(n), seed: 7}}", """
          a: {min: 10, max: 20}
          b: {min: 0, max: 1}
          c: {min: -5, max: 5}
        """)
        XCTAssertEqual(p.count, n)
        let ranges: [(Double, Double)] = [(10, 20), (0, 1), (-5, 5)]
        for (j, (lo, hi)) in ranges.enumerated() {
            guard case .reals(let v) = p.columns[j] else { return XCTFail("numbers expected") }
            let strata = v.map { Int((($0 - lo) / (hi - lo)) * Double(n)) }
            XCTAssertEqual(strata.sorted(), Array(0..<n), "parameter \(j): one value per stratum")
        }
        // Parameters are shuffled independently: not the same permutation.
        guard case .reals(let a) = p.columns[0], case .reals(let b) = p.columns[1] else { return }
        XCTAssertNotEqual(a.map { Int(($0 - 10) / 10 * Double(n)) }, b.map { Int($0 * Double(n)) })
        let (_, again) = try points("{latin-hypercube: {points: \(n), seed: 7}}", """
          a: {min: 10, max: 20}
          b: {min: 0, max: 1}
          c: {min: -5, max: 5}
        """)
        XCTAssertEqual(again.settings, p.settings)
        let (_, other) = try points("{latin-hypercube: {points: \(n), seed: 8}}", """
          a: {min: 10, max: 20}
          b: {min: 0, max: 1}
          c: {min: -5, max: 5}
        """)
        XCTAssertNotEqual(other.settings, p.settings)
    }

    /// Sobol: the first 2^k points (GSL skips the origin) put at most two points in each of the
    /// 2^k strata of every coordinate (a random design does far worse), and the 2-D projection
    /// leaves no quarter-square empty: low discrepancy.
    func testSobolFillsTheCubeEvenly() throws {
        let n = 64
        let (_, p) = try points("{sobol: {points: \(n)}}", """
          a: {min: 0, max: 1}
          b: {min: 0, max: 1}
          c: {min: 0, max: 1}
        """)
        var columns: [[Double]] = []
        for c in p.columns { guard case .reals(let v) = c else { return XCTFail() }; columns.append(v) }
        for v in columns {
            var counts = [Int](repeating: 0, count: n)
            for x in v { counts[min(n - 1, Int(x * Double(n)))] += 1 }
            XCTAssertLessThanOrEqual(counts.max()!, 2)
            XCTAssertTrue(v.allSatisfy { (0..<1).contains($0) })
        }
        var cells = [Int](repeating: 0, count: 64)
        for i in 0..<n { cells[Int(columns[0][i] * 8) * 8 + Int(columns[1][i] * 8)] += 1 }
        XCTAssertLessThanOrEqual(cells.max()!, 3, "8 × 8 grid of the (a, b) projection")
        XCTAssertGreaterThanOrEqual(cells.filter { $0 > 0 }.count, 48)
    }

    func testIntegerRangesAndValueListsInLatinHypercube() throws {
        let (_, p) = try points("{latin-hypercube: {points: 9, seed: 1}}", """
          a: {min: 0, max: 4, integer: true}
          b: [low, mid, high]
        """)
        guard case .reals(let a) = p.columns[0], case .strings(let b) = p.columns[1] else { return XCTFail() }
        XCTAssertTrue(a.allSatisfy { $0 == $0.rounded() && (0...4).contains($0) })
        XCTAssertEqual(p.settings[0][0], String(Int(a[0])), "whole numbers are written without a decimal point")
        XCTAssertEqual(Set(b), ["low", "mid", "high"])
        for level in ["low", "mid", "high"] { XCTAssertEqual(b.filter { $0 == level }.count, 3, "one value per three strata") }
    }
}
