import Experiments
import Foundation
import Scenarios
import XCTest

/// The Saltelli design (`design: {saltelli: {base: N}}`): SALib's row order, A and B from one
/// Sobol sequence, and first-order / total indices of the Ishigami function recovered from it.
final class SaltelliDesignTests: XCTestCase {
    func points(_ design: String, _ parameters: String) throws -> DesignPoints {
        let dir = try SweepFixtures.folder()
        let plan = try SweepPlanLoader.load(path: try SweepFixtures.plan("""
        name: t
        scenario: lesson.yaml
        design: \(design)
        parameters:
        \(parameters)
        """, in: dir))
        return DesignPoints(plan)
    }

    func matrix(_ p: DesignPoints) throws -> [[Double]] {
        var columns: [[Double]] = []
        for c in p.columns {
            guard case .reals(let v) = c else { XCTFail("numbers expected"); return [] }
            columns.append(v)
        }
        return (0..<p.count).map { i in columns.map { $0[i] } }
    }

    static let unitCube = """
      a: {min: 0, max: 1}
      b: {min: 0, max: 1}
      c: {min: 0, max: 1}
    """

    /// Each base row gives A, A with column j from B (j = 1…k), B with column j from A, B —
    /// and [A | B] is the 2k-dimensional Sobol sequence that a Sobol design of 2k parameters makes.
    func testRowsFollowSALibOrder() throws {
        let n = 16, k = 3, step = 2 * k + 2
        let rows = try matrix(try points("{saltelli: {base: \(n)}}", Self.unitCube))
        XCTAssertEqual(rows.count, n * step)
        let sobol = try matrix(try points("{sobol: {points: \(n)}}", """
          a: {min: 0, max: 1}
          b: {min: 0, max: 1}
          c: {min: 0, max: 1}
          d: {min: 0, max: 1}
          e: {min: 0, max: 1}
          f: {min: 0, max: 1}
        """))
        for i in 0..<n {
            let a = rows[i * step], b = rows[i * step + step - 1]
            XCTAssertEqual(a + b, sobol[i], "base row \(i): [A | B] is the 6-D Sobol point")
            for j in 0..<k {
                var ab = a; ab[j] = b[j]
                var ba = b; ba[j] = a[j]
                XCTAssertEqual(rows[i * step + 1 + j], ab, "row \(i): A with column \(j) from B")
                XCTAssertEqual(rows[i * step + 1 + k + j], ba, "row \(i): B with column \(j) from A")
            }
        }
    }

    func testWithoutSecondOrderTheBARowsAreLeftOut() throws {
        let n = 8, k = 3
        let full = try matrix(try points("{saltelli: {base: \(n)}}", Self.unitCube))
        let first = try matrix(try points("{saltelli: {base: \(n), second-order: false}}", Self.unitCube))
        XCTAssertEqual(first.count, n * (k + 2))
        for i in 0..<n {
            XCTAssertEqual(Array(first[(i * (k + 2))..<((i + 1) * (k + 2) - 1)]),
                           Array(full[(i * (2 * k + 2))..<(i * (2 * k + 2) + k + 1)]), "A and the AB rows")
            XCTAssertEqual(first[(i + 1) * (k + 2) - 1], full[(i + 1) * (2 * k + 2) - 1], "B")
        }
    }

    func testSkipStartsLaterInTheSequenceAndRangesAreScaled() throws {
        let skipped = try matrix(try points("{saltelli: {base: 4, skip: 4}}", Self.unitCube))
        let long = try matrix(try points("{saltelli: {base: 8}}", Self.unitCube))
        XCTAssertEqual(skipped, Array(long[(4 * 8)...]))
        let scaled = try matrix(try points("{saltelli: {base: 8}}", """
          a: {min: -3.14159, max: 3.14159}
          b: {min: 10, max: 20}
          c: {min: 0, max: 1}
        """))
        for (u, x) in zip(long, scaled) {
            XCTAssertEqual(x[0], -3.14159 + u[0] * 6.28318, accuracy: 1e-12)
            XCTAssertEqual(x[1], 10 + u[1] * 10, accuracy: 1e-12)
        }
    }

    /// Ishigami, f = sin x1 + 7 sin² x2 + 0.1 x3⁴ sin x1 on [−π, π]³, has known indices
    /// (Ishigami & Homma 1990; a = 7, b = 0.1): S = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437.
    /// Saltelli (2010) first-order and Jansen total estimators on the design's rows recover them.
    /// The design is deterministic (unscrambled Sobol), so the tolerance is a fixed error bound.
    func testIshigamiIndicesFromTheDesign() throws {
        let n = 4096, k = 3, step = 2 * k + 2
        let rows = try matrix(try points("{saltelli: {base: \(n), second-order: true}}", """
          x1: {min: -3.141592653589793, max: 3.141592653589793}
          x2: {min: -3.141592653589793, max: 3.141592653589793}
          x3: {min: -3.141592653589793, max: 3.141592653589793}
        """))
        func f(_ x: [Double]) -> Double { sin(x[0]) + 7 * pow(sin(x[1]), 2) + 0.1 * pow(x[2], 4) * sin(x[0]) }
        let y = rows.map(f)
        let fa = (0..<n).map { y[$0 * step] }, fb = (0..<n).map { y[$0 * step + step - 1] }
        let all = fa + fb
        let mean = all.reduce(0, +) / Double(all.count)
        let variance = all.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(all.count - 1)
        let expectedS = [0.3139, 0.4424, 0.0], expectedT = [0.5576, 0.4424, 0.2437]
        for j in 0..<k {
            let fab = (0..<n).map { y[$0 * step + 1 + j] }
            let s1 = (0..<n).map { fb[$0] * (fab[$0] - fa[$0]) }.reduce(0, +) / Double(n) / variance
            let st = (0..<n).map { pow(fa[$0] - fab[$0], 2) }.reduce(0, +) / Double(2 * n) / variance
            XCTAssertEqual(s1, expectedS[j], accuracy: 0.03, "S\(j + 1)")
            XCTAssertEqual(st, expectedT[j], accuracy: 0.03, "ST\(j + 1)")
        }
    }

    func testPlanErrors() throws {
        let dir = try SweepFixtures.folder()
        func problem(_ text: String) -> String {
            do { _ = try SweepPlanLoader.load(path: try SweepFixtures.plan(text, in: dir)); return "no error" } catch { return "\(error)" }
        }
        let many = (0..<21).map { "  p\($0): {min: 0, max: 1}" }.joined(separator: "\n")
        let tooMany = problem("name: t\nscenario: lesson.yaml\ndesign: {saltelli: {base: 4}}\nparameters:\n\(many)")
        XCTAssertTrue(tooMany.contains("plan.yaml:3:9: design: expected at most 20 parameters for a Saltelli design"), tooMany)
        let zero = problem("name: t\nscenario: lesson.yaml\ndesign: {saltelli: {base: 0}}\nparameters:\n  a: {min: 0, max: 1}")
        XCTAssertTrue(zero.contains("design.saltelli.base"), zero)
        let missing = problem("name: t\nscenario: lesson.yaml\ndesign: {saltelli: {points: 4}}\nparameters:\n  a: {min: 0, max: 1}")
        XCTAssertTrue(missing.contains("design.saltelli"), missing)
        XCTAssertTrue(missing.contains("base"), missing)
        let huge = problem("name: t\nscenario: lesson.yaml\ndesign: {saltelli: {base: 200000}}\nparameters:\n  a: {min: 0, max: 1}\n  b: {min: 0, max: 1}")
        XCTAssertTrue(huge.contains("expected at most 1000000 points, found base 200000 × 6 rows"), huge)
        XCTAssertEqual(SweepDesign.saltelli(base: 8, secondOrder: true, skip: 0).description,
                       "saltelli (base 8, second-order true, skip 0)")
    }
}
