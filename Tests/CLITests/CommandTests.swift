import Foundation
import XCTest
import Scenarios

/// The built `bordersim` executable: exit codes and where messages go (run from a temporary folder).
final class CommandTests: XCTestCase {
    func run(_ arguments: [String]) throws -> Tool.Output { try Tool.run(arguments, test: self) }

    func testValidateGoodFileExitsZero() throws {
        let file = Tool.good("full.yaml")
        let r = try run(["validate", file])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("\(file): OK — Full port"), r.stdout)
        XCTAssertTrue(r.stderr.split(separator: "\n").allSatisfy { $0.contains(": warning: ") }, r.stderr)
        // Warnings go to stderr; the exit status stays 0.
        let w = try run(["validate", Tool.good("warnings.yaml")])
        XCTAssertEqual(w.status, 0)
        XCTAssertTrue(w.stderr.contains("\(Tool.good("warnings.yaml")):8:3: warning: classes.pedestrian:"), w.stderr)
    }

    func testValidateBadFileExitsTwoWithLocations() throws {
        let file = Tool.bad("many-errors.yaml")
        let r = try run(["validate", file])
        XCTAssertEqual(r.status, 2)
        let lines = r.stderr.split(separator: "\n")
        XCTAssertGreaterThanOrEqual(lines.count, 5, r.stderr)
        let located = try NSRegularExpression(pattern: "^" + NSRegularExpression.escapedPattern(for: file) + ":[0-9]+:[0-9]+: ")
        for line in lines {
            XCTAssertNotNil(located.firstMatch(in: String(line), range: NSRange(line.startIndex..., in: line)), String(line))
        }
        XCTAssertTrue(r.stderr.contains("\(file):14:5: lanes.general.boths: unknown key 'boths'; did you mean 'booths'?"), r.stderr)
        // Several files: every file is checked, and one bad file makes the status 2.
        let both = try run(["validate", Tool.good("minimal.yaml"), Tool.bad("unknown-top-key.yaml")])
        XCTAssertEqual(both.status, 2)
        XCTAssertTrue(both.stdout.contains("minimal.yaml: OK"))
        XCTAssertTrue(both.stderr.contains("unknown-top-key.yaml:3:1: horizn: unknown key 'horizn'"), both.stderr)
    }

    func testValidateWithOverrides() throws {
        let file = Tool.good("minimal.yaml")
        XCTAssertEqual(try run(["validate", file, "--set", "lanes.general.booths=5"]).status, 0)
        let r = try run(["validate", file, "--set", "lanes.genral.booths=5"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("--set lanes.genral.booths=5 (on \(file)): lanes.genral.booths: no key 'genral'"), r.stderr)
    }

    func testSchemaPrintsTheSchema() throws {
        let r = try run(["schema"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, ScenarioSchema.text)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(json?["$schema"] as? String, "https://json-schema.org/draft/2020-12/schema")
    }

    /// Shared options read the same in every command; file arguments complete by extension.
    func testSharedOptionsAndCompletion() throws {
        for command in ["run", "compare"] {
            let help = try run([command, "--help"])
            XCTAssertEqual(help.status, 0, help.stderr)
            for option in ["--replications", "--seed", "--threads", "--set <key.path=value>", "--out <file.h5>", "--force"] {
                XCTAssertTrue(help.stdout.contains(option), "\(command) --help lacks \(option)")
            }
        }
        let script = try run(["--generate-completion-script", "bash"])
        XCTAssertEqual(script.status, 0, script.stderr)
        XCTAssertTrue(script.stdout.contains("yaml"), "no completion of scenario files by extension")
        XCTAssertTrue(script.stdout.contains("h5"), "no completion of result files by extension")
    }
}
