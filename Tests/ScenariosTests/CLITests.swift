import Foundation
import XCTest
@testable import Scenarios

/// The built `bordersim` executable: exit codes and where messages go.
final class CLITests: XCTestCase {
    struct Output { let status: Int32; let stdout: String; let stderr: String }

    func run(_ arguments: [String]) throws -> Output {
        guard let executable = Fixtures.executable else {
            XCTFail("bordersim is not built (run `swift build --build-tests` first)")
            throw CocoaError(.fileNoSuchFile)
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        // Output goes to files: nothing can block on a full pipe.
        let dir = try Fixtures.temporaryDirectory(self)
        let outURL = dir.appendingPathComponent("stdout"), errURL = dir.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        defer { try? out.close(); try? err.close() }
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        let stdout = try Data(contentsOf: outURL), stderr = try Data(contentsOf: errURL)
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    func testValidateGoodFileExitsZero() throws {
        let file = Fixtures.good("full.yaml")
        let r = try run(["validate", file])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("\(file): OK — Full port"), r.stdout)
        XCTAssertTrue(r.stderr.split(separator: "\n").allSatisfy { $0.contains(": warning: ") }, r.stderr)
        // Warnings go to stderr; the exit status stays 0.
        let w = try run(["validate", Fixtures.good("warnings.yaml")])
        XCTAssertEqual(w.status, 0)
        XCTAssertTrue(w.stderr.contains("\(Fixtures.good("warnings.yaml")):8:3: warning: classes.pedestrian:"), w.stderr)
    }

    func testValidateBadFileExitsTwoWithLocations() throws {
        let file = Fixtures.bad("many-errors.yaml")
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
        let both = try run(["validate", Fixtures.good("minimal.yaml"), Fixtures.bad("unknown-top-key.yaml")])
        XCTAssertEqual(both.status, 2)
        XCTAssertTrue(both.stdout.contains("minimal.yaml: OK"))
        XCTAssertTrue(both.stderr.contains("unknown-top-key.yaml:3:1: horizn: unknown key 'horizn'"), both.stderr)
    }

    func testValidateWithOverrides() throws {
        let file = Fixtures.good("minimal.yaml")
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
}
