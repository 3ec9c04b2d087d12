import Foundation
import XCTest

/// Runs the built `bordersim` as a user would: from a working directory of the test's choice
/// (never assumed to be the repository root), output captured through files.
enum Tool {
    struct Output { let status: Int32; let stdout: String; let stderr: String }

    /// The repository root, from this file's place in it.
    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
    static func repo(_ relative: String) -> String { repository.appendingPathComponent(relative).path }
    static func good(_ name: String) -> String { repo("Tests/ScenariosTests/good/" + name) }
    static func bad(_ name: String) -> String { repo("Tests/ScenariosTests/bad/" + name) }

    /// The built executable: beside the test bundle (the products directory), or in .build/debug.
    static var executable: URL? {
        var candidates: [URL] = []
        #if os(macOS)
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("bordersim"))
        }
        #else
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("bordersim"))
        #endif
        candidates.append(repository.appendingPathComponent(".build/debug/bordersim"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// A fresh temporary folder, removed at the end of the test.
    static func temporaryDirectory(_ test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bordersim-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// Runs `bordersim ARGUMENTS` in `directory` (default: a fresh temporary folder).
    static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:],
                    test: XCTestCase, interruptAfter: Double? = nil) throws -> Output {
        guard let executable else {
            XCTFail("bordersim is not built (run `swift build --build-tests` first)")
            throw CocoaError(.fileNoSuchFile)
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        return try capture(process, test: test, interruptAfter: interruptAfter)
    }

    /// Runs a shell command line (as printed by the tool) in `directory`.
    static func shell(_ line: String, in directory: URL, test: XCTestCase) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", line]
        process.currentDirectoryURL = directory
        return try capture(process, test: test)
    }

    /// Runs `process` (in a fresh temporary folder unless it has its own) with its output and
    /// errors captured in files, optionally sending SIGINT after `interruptAfter` seconds.
    private static func capture(_ process: Process, test: XCTestCase, interruptAfter: Double? = nil) throws -> Output {
        let scratch = try temporaryDirectory(test)
        if process.currentDirectoryURL == nil { process.currentDirectoryURL = scratch }
        let outURL = scratch.appendingPathComponent(".stdout"), errURL = scratch.appendingPathComponent(".stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        defer { try? out.close(); try? err.close() }
        process.standardOutput = out
        process.standardError = err
        try process.run()
        if let delay = interruptAfter {
            Thread.sleep(forTimeInterval: delay)
            if process.isRunning { kill(process.processIdentifier, SIGINT) }
        }
        process.waitUntilExit()
        return Output(status: process.terminationStatus,
                      stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                      stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }
}
