import Foundation
import XCTest
@testable import Scenarios

/// The bad-input corpus (`bad/`, described by `bad/EXPECTED.txt`) and hostile inputs made at run
/// time: every file must be refused quickly, with every problem at the right line.
final class BadInputTests: XCTestCase {
    /// Generous: each of these takes milliseconds.
    let timeLimit = 10.0

    struct Expectation { let file: String; let line: Int; let fragment: String }

    func expectations() throws -> [Expectation] {
        let text = try String(contentsOf: Fixtures.bad.appendingPathComponent("EXPECTED.txt"), encoding: .utf8)
        return try text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }.map { row in
            let cells = row.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard cells.count == 3, let line = Int(cells[1]) else {
                throw NSError(domain: "EXPECTED.txt", code: 1, userInfo: [NSLocalizedDescriptionKey: "bad row: \(row)"])
            }
            return Expectation(file: cells[0], line: line, fragment: cells[2])
        }
    }

    func testCorpusCoversEveryFile() throws {
        let rows = try expectations()
        let files = try FileManager.default.contentsOfDirectory(atPath: Fixtures.bad.path).filter { $0.hasSuffix(".yaml") }
        XCTAssertGreaterThanOrEqual(files.count, 45, "the corpus should hold at least 45 bad files")
        XCTAssertEqual(Set(files), Set(rows.map(\.file)), "every bad file needs a row in EXPECTED.txt, and every row a file")
    }

    func testEveryBadFileIsRefusedWithItsProblemsAtTheirLines() throws {
        let rows = try expectations()
        let byFile = Dictionary(grouping: rows, by: \.file)
        for file in byFile.keys.sorted() {
            let path = Fixtures.bad(file)
            var problems: [ScenarioProblem] = []
            let elapsed = Fixtures.seconds { problems = Fixtures.problems(path) }
            XCTAssertLessThan(elapsed, timeLimit, "\(file) took \(elapsed) s")
            for p in problems {
                XCTAssertEqual(p.file, path, "\(file): problem names another file: \(p)")
                XCTAssertEqual(p.severity, .error)
                XCTAssertGreaterThanOrEqual(p.line, 1)
                XCTAssertGreaterThanOrEqual(p.column, 1)
                XCTAssertTrue(p.description.hasPrefix("\(path):\(p.line):\(p.column): "), "not FILE:LINE:COLUMN: \(p)")
            }
            for e in byFile[file]! {
                let matching = problems.filter { $0.description.contains(e.fragment) }
                XCTAssertFalse(matching.isEmpty, "\(file): no problem contains “\(e.fragment)”; got:\n\(problems.map(\.description).joined(separator: "\n"))")
                if !matching.isEmpty {
                    XCTAssertTrue(matching.contains { $0.line == e.line },
                                  "\(file): “\(e.fragment)” expected at line \(e.line), found at \(matching.map(\.line))")
                }
            }
        }
    }

    /// Reporting lists every problem, not the first one.
    func testIndependentProblemsAreAllReported() throws {
        let rows = try expectations().filter { $0.file == "many-errors.yaml" }
        XCTAssertGreaterThanOrEqual(rows.count, 3)
        let problems = Fixtures.problems(Fixtures.bad("many-errors.yaml"))
        XCTAssertGreaterThanOrEqual(problems.count, rows.count)
        XCTAssertEqual(Set(problems.map(\.line)).count, rows.count, "\(problems)")
        for row in rows {
            XCTAssertTrue(problems.contains { $0.line == row.line && $0.description.contains(row.fragment) }, row.fragment)
        }
        // The error's text lists them one a line, as the CLI prints them.
        do { _ = try ScenarioLoader.load(path: Fixtures.bad("many-errors.yaml")); XCTFail() } catch let error as ScenarioError {
            XCTAssertEqual(error.description.split(separator: "\n").count, error.problems.count)
        }
    }

    // MARK: hostile input made at run time

    func testHugeFilesAreRefusedBeforeReading() throws {
        let dir = try Fixtures.temporaryDirectory(self)
        // A little over the limit, with real content.
        let big = dir.appendingPathComponent("big.yaml")
        var text = "name: big\nhorizon: 1d\ndescription: |\n"
        let line = "  " + String(repeating: "lorem ipsum ", count: 8) + "\n"
        text += String(repeating: line, count: ScenarioLoader.maxBytes / line.utf8.count + 100)
        try Data(text.utf8).write(to: big)
        var problems: [ScenarioProblem] = []
        var elapsed = Fixtures.seconds { problems = Fixtures.problems(big.path) }
        XCTAssertLessThan(elapsed, timeLimit)
        XCTAssertTrue(problems.first?.description.contains("expected a scenario file under 5 MB, found 5 MB") == true, "\(problems)")
        // 100 MB (sparse: instant to make, never read).
        let huge = dir.appendingPathComponent("huge.yaml")
        XCTAssertTrue(FileManager.default.createFile(atPath: huge.path, contents: Data("name: x\n".utf8)))
        let handle = try FileHandle(forWritingTo: huge)
        try handle.truncate(atOffset: 100_000_000)
        try handle.close()
        elapsed = Fixtures.seconds { problems = Fixtures.problems(huge.path) }
        XCTAssertLessThan(elapsed, timeLimit)
        XCTAssertEqual(problems.count, 1)
        XCTAssertTrue(problems.first?.description.contains("found 100 MB") == true, "\(problems)")
    }

    func testVeryDeepNestingIsRefusedQuickly() throws {
        let cases = [
            ("flow", "name: deep\nhorizon: 1d\ndescription: " + String(repeating: "[", count: 100_000)
                + String(repeating: "]", count: 100_000) + "\n", 3),
            ("block", (0..<2_000).map { String(repeating: "  ", count: $0) + "k:\n" }.joined() + "\n", 66),
            ("multi-line flow", "description:\n" + String(repeating: "  {a:\n", count: 5_000) + "\n", 66),
        ]
        for (what, text, line) in cases {
            var error: ScenarioError?
            let elapsed = Fixtures.seconds {
                do { _ = try Fixtures.parse(text) } catch let e as ScenarioError { error = e } catch {}
            }
            XCTAssertLessThan(elapsed, timeLimit, what)
            XCTAssertEqual(error?.problems.count, 1, what)
            XCTAssertTrue(error?.description.contains("expected at most 64 levels of nesting") == true, "\(what): \(String(describing: error))")
            XCTAssertEqual(error?.problems.first?.line, line, what)
        }
    }

    func testAliasBombsAreRefusedQuickly() throws {
        // Mixtures of mixtures: each level doubles, 2^40 components in all, where the reader recurses.
        var text = "name: bomb\nhorizon: 1d\ndescription: &m0 [{weight: 1, exponential: {mean: 1s}}]\n"
        for i in 1...40 { text += "x\(i): &m\(i) [{weight: 1, mixture: *m\(i - 1)}, {weight: 1, mixture: *m\(i - 1)}]\n" }
        text += "classes:\n  car: {kind: bus, arrivals: {poisson: 1/h}, patience: {mixture: *m40}}\n"
        text += "lanes: {g: {serves: [car], booths: 1, service: {car: 1s}}}\n"
        for overrides in [[], ["name=again"]] {   // overrides re-serialise the tree: must not expand it either
            var error: ScenarioError?
            let elapsed = Fixtures.seconds {
                do { _ = try Fixtures.parse(text, overrides: overrides) } catch let e as ScenarioError { error = e } catch {}
            }
            XCTAssertLessThan(elapsed, timeLimit)
            XCTAssertEqual(error?.problems.count, 1, "\(String(describing: error))")
            XCTAssertTrue(error?.description.contains("a YAML alias bomb") == true)
        }
        // Aliases used sensibly still load.
        let shared = """
            name: anchors
            horizon: 1d
            classes:
              car: {kind: passenger-vehicle, arrivals: {poisson: 60/h}, patience: &wait {exponential: {mean: 1h}}}
              bus: {kind: bus, arrivals: {poisson: 2/h}, patience: *wait}
            lanes:
              g: {serves: [car, bus], booths: 4, service: {car: &svc {exponential: {mean: 60s}}, bus: *svc}}
            """
        let scenario = try Fixtures.parse(shared)
        XCTAssertEqual(scenario.config.classes[1].patience?.mean ?? 0, 3600, accuracy: 1e-9)
    }

    func testMissingFileAndDirectory() throws {
        var problems = Fixtures.problems("/nonexistent/scenario.yaml")
        XCTAssertTrue(problems.first?.description.hasPrefix("/nonexistent/scenario.yaml:1:1: expected a scenario file, found no file") == true)
        problems = Fixtures.problems(Fixtures.bad.path)
        XCTAssertTrue(problems.first?.description.contains("found a directory") == true)
    }

    // MARK: --set

    func testBadOverridesAreReported() throws {
        let file = Fixtures.good("minimal.yaml")
        let cases: [(String, String)] = [
            ("lanes.genral.booths=3", "--set lanes.genral.booths=3 (on \(file)): lanes.genral.booths: no key 'genral' at this point of the path; did you mean 'general'?"),
            ("lanes.general.booths=lots", "lanes.general.booths: expected a whole number ≥ 0, found 'lots'"),
            ("horizon=3 weeks", "horizon: expected a duration > 0 such as 45s, 8 min, 2h or 1d, found '3 weeks'"),
            ("classes.car.arrivals.poisson=-5/h", "classes.car.arrivals.poisson: expected a rate > 0"),
            ("lanes.general.boths=3", "lanes.general.boths: unknown key 'boths'; did you mean 'booths'?"),
            ("horizon", "--set horizon (on \(file)): expected key.path=value"),
            ("=3", "--set =3 (on \(file)): expected key.path=value"),
            ("lanes.general=3", "--set lanes.general=3 (on \(file)): lanes.general: expected a mapping with keys serves"),
            ("lanes.general.booths=[4, x]", "--set lanes.general.booths=[4, x] (on \(file)): lanes.general.booths[1]: expected a whole number ≥ 0, found 'x'"),
            ("lanes.general.booths=[4, 5", "--set lanes.general.booths=[4, 5 (on \(file)): expected a YAML value"),
            ("lanes.general.serves[3]=car", "no item [3] (the list has 1)"),
            ("name.first=x", "expected a mapping containing 'first', found 'Minimal'"),
        ]
        for (setting, fragment) in cases {
            let problems = Fixtures.problems(file, overrides: [setting])
            XCTAssertTrue(problems.contains { $0.description.contains(fragment) },
                          "--set \(setting): no “\(fragment)” in\n\(problems.map(\.description).joined(separator: "\n"))")
        }
        // Problems in a replaced value point at the argument, never at the file's first line.
        for problem in Fixtures.problems(file, overrides: ["lanes.general.booths={default: 2, ranges: [{from: \"06:00\", to: \"05:00\", value: 3}]}"]) {
            XCTAssertNotNil(problem.argument, problem.description)
            XCTAssertFalse(problem.description.hasPrefix("\(file):1:1"), problem.description)
        }
        // Several bad overrides: all reported.
        let problems = Fixtures.problems(file, overrides: ["lanes.genral.booths=3", "horizon", "classes.cr.kind=bus"])
        XCTAssertEqual(problems.count, 3, "\(problems)")
    }

    // MARK: --set values are YAML values

    func testOverridesReplaceListsAndMappings() throws {
        let file = Fixtures.good("minimal.yaml")
        let scalar = try ScenarioLoader.load(path: file, overrides: ["lanes.general.booths=30"])
        XCTAssertEqual(scalar.config.lanes[0].booths.values, [30])
        let list = try ScenarioLoader.load(path: file, overrides: ["lanes.general.booths=[" + Array(repeating: "4", count: 12).joined(separator: ",")
                                                               + "," + Array(repeating: "6", count: 12).joined(separator: ",") + "]"])
        XCTAssertEqual(list.config.lanes[0].booths.value(at: 3600), 4)
        XCTAssertEqual(list.config.lanes[0].booths.value(at: 13 * 3600), 6)
        let ranges = try ScenarioLoader.load(path: file, overrides: [
            "lanes.general.booths={default: 2, ranges: [{from: \"06:00\", to: \"10:00\", value: 8}]}"])
        XCTAssertEqual(ranges.config.lanes[0].booths.value(at: 3600), 2)
        XCTAssertEqual(ranges.config.lanes[0].booths.value(at: 7 * 3600), 8)
        // The replaced value is in the resolved text, which reads back to the same model.
        let again = try ScenarioLoader.parse(data: Data(ranges.resolvedText.utf8), file: "resolved.yaml", directory: Fixtures.good)
        XCTAssertEqual(again.config.lanes[0].booths, ranges.config.lanes[0].booths)
        // A scalar replaced by a mapping where the file had a number, and text that is not YAML syntax stays text.
        XCTAssertEqual(try ScenarioLoader.load(path: file, overrides: ["name=#1 port"]).name, "#1 port")
    }
}
