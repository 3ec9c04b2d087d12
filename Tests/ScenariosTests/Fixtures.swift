import Foundation
import XCTest
@testable import Scenarios

/// Paths to the test corpora (copied as resources) and small helpers shared by the suites.
enum Fixtures {
    static var bad: URL { Bundle.module.resourceURL!.appendingPathComponent("bad") }
    static var good: URL { Bundle.module.resourceURL!.appendingPathComponent("good") }
    static func good(_ name: String) -> String { good.appendingPathComponent(name).path }
    static func bad(_ name: String) -> String { bad.appendingPathComponent(name).path }

    /// The repository root, from this file's place in it.
    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// A fresh temporary folder, removed at the end of the test.
    static func temporaryDirectory(_ test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bordersim-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// Loads `path`, expecting failure; returns the problems (fails the test if it loads).
    static func problems(_ path: String, overrides: [String] = [], file: StaticString = #filePath,
                         line: UInt = #line) -> [ScenarioProblem] {
        do {
            _ = try ScenarioLoader.load(path: path, overrides: overrides)
            XCTFail("\(path) loaded, expected problems", file: file, line: line)
        } catch let error as ScenarioError {
            XCTAssertFalse(error.problems.isEmpty, "a ScenarioError without problems", file: file, line: line)
            return error.problems
        } catch {
            XCTFail("expected a ScenarioError, got \(error)", file: file, line: line)
        }
        return []
    }

    /// Loads scenario text as if from a file in the good folder (so CSV paths resolve there).
    static func parse(_ text: String, overrides: [String] = []) throws -> Scenario {
        try ScenarioLoader.parse(data: Data(text.utf8), file: "inline.yaml", directory: good, overrides: overrides)
    }

    /// Seconds elapsed running `body`.
    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = Date()
        try body()
        return Date().timeIntervalSince(start)
    }
}
