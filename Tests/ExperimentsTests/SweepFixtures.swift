import Foundation
import XCTest

/// Small plans and scenarios written to a temporary folder, and the repository's own files.
enum SweepFixtures {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ relative: String) -> String { repository.appendingPathComponent(relative).path }

    /// Folders made by `folder()`, removed when the test process exits (XCTest runs the tests of
    /// a process one at a time, so the list is never touched concurrently).
    nonisolated(unsafe) static var made: [URL] = []
    static let cleanUpAtExit: Void = {
        atexit { for url in SweepFixtures.made { try? FileManager.default.removeItem(at: url) } }
    }()

    /// A fresh temporary folder holding a copy of the training scenario (removed at exit).
    static func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bordersim-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        _ = cleanUpAtExit
        made.append(dir)
        try FileManager.default.copyItem(atPath: path("scenarios/training/risk-targeting.yaml"),
                                         toPath: dir.appendingPathComponent("lesson.yaml").path)
        return dir
    }

    /// Writes `text` as a plan in `dir` and returns its path.
    static func plan(_ text: String, in dir: URL, name: String = "plan.yaml") throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// A 3 × 2 grid on the lesson scenario, 1 h horizon.
    static let grid = """
    name: lesson-grid
    scenario: lesson.yaml
    replications: 3
    set: {horizon: 1h}
    design: grid
    parameters:
      targeting.rule.threshold: [0.5, 1.0, 1.5]
      stations.secondary.servers: [1, 2]
    """
}
