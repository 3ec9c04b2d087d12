import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TrainingServer
import XCTest

/// A `bordersim serve` server in the test process, on a free loopback port, and a real HTTP
/// client (URLSession) talking to it.
final class Served: @unchecked Sendable {
    let server: TrainingServer
    let base: URL
    private let task: Task<Void, Error>
    static let session: URLSession = {
        let c = URLSessionConfiguration.ephemeral
        c.httpMaximumConnectionsPerHost = 64
        c.timeoutIntervalForRequest = 300
        return URLSession(configuration: c)
    }()

    init(_ scenario: String, overrides: [String] = [], workers: Int = 2) async throws {
        server = try TrainingServer(scenario: Repo.path(scenario), overrides: overrides, host: "127.0.0.1", port: 0, workers: workers)
        let s = server
        task = Task { try await s.run() }
        try await server.waitUntilListening()
        let port = await server.port
        base = URL(string: "http://127.0.0.1:\(port ?? 0)")!
    }

    func stop() async {
        await server.stop()
        task.cancel()
    }

    struct Reply {
        let status: Int
        let data: Data
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:] }
        var error: String { json["error"] as? String ?? String(decoding: data, as: UTF8.self) }
    }

    func request(_ method: String, _ path: String, body: Data? = nil) async throws -> Reply {
        var r = URLRequest(url: base.appendingPathComponent(path))
        r.httpMethod = method
        r.httpBody = body
        if body != nil { r.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        return try await withCheckedThrowingContinuation { continuation in
            Served.session.dataTask(with: r) { data, response, error in
                if let error { continuation.resume(throwing: error); return }
                continuation.resume(returning: Reply(status: (response as? HTTPURLResponse)?.statusCode ?? -1, data: data ?? Data()))
            }.resume()
        }
    }

    func post(_ endpoint: String, _ body: [String: Any]) async throws -> Reply {
        try await request("POST", "api/" + endpoint, body: try JSONSerialization.data(withJSONObject: body))
    }
}

enum Repo {
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// The built `bordersim` (beside the test bundle, or .build/debug).
    static var executable: URL? {
        [Bundle.main.bundleURL.appendingPathComponent("bordersim"), root.appendingPathComponent(".build/debug/bordersim")]
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// `bordersim ARGUMENTS` from the repository root: its standard output.
    static func bordersim(_ arguments: [String]) throws -> (status: Int32, stdout: Data) {
        guard let executable else { throw XCTSkip("bordersim is not built") }
        let p = Process()
        p.executableURL = executable
        p.arguments = arguments
        p.currentDirectoryURL = root
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("serve-test-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: out) }
        let handle = try FileHandle(forWritingTo: out)
        p.standardOutput = handle
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try handle.close()
        return (p.terminationStatus, try Data(contentsOf: out))
    }
}
