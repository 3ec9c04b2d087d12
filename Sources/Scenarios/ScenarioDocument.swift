import Foundation
import Yams

/// A scenario file read and parsed once. Every variant of it — a sweep point, a calibration
/// trial, a compared plan — is made from this document with its own overrides, without reading
/// or parsing the file again.
/// Immutable once made (Yams nodes are values), so it may be shared by the threads of a run.
public struct ScenarioDocument: @unchecked Sendable {
    /// The file as named in messages.
    public let file: String
    public let text: String
    /// Folder of the file: CSV references resolve against it, from any working directory.
    let directory: URL
    let root: Node

    /// Reads and parses a scenario file; problems name the file (and line, where there is one).
    public static func open(_ path: String) throws -> ScenarioDocument {
        let data = try ScenarioLoader.contents(path: path)
        let directory = URL(fileURLWithPath: path).absoluteURL.standardizedFileURL.deletingLastPathComponent()
        return try ScenarioDocument(data: data, file: path, directory: directory)
    }

    public init(data: Data, file: String, directory: URL) throws {
        (text, root) = try ScenarioLoader.compose(data: data, file: file)
        self.file = file
        self.directory = directory
    }

    /// The scenario with `overrides` applied (as `--set KEY=VALUE`, named in messages by `option`).
    public func scenario(overrides: [String] = [], option: String = "--set",
                         variant: (option: String, settings: [String])? = nil) throws -> Scenario {
        try ScenarioLoader.read(root, text: text, file: file, directory: directory, overrides: overrides,
                                option: option, variant: variant)
    }
}
