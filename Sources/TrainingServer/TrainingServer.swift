import FlyingFox
import FlyingSocks
import Foundation

/// `bordersim serve`: the training page and its API on one address (loopback by default).
public final class TrainingServer: Sendable {
    let server: HTTPServer
    public let lab: Lab
    /// Where Chart.js is served from, nil when it is not installed (the page says so).
    public let chartPath: String?

    /// Loads the scenario and its lesson (problems are thrown with file and key).
    public init(scenario path: String, overrides: [String] = [], host: String = "127.0.0.1", port: UInt16 = 8080,
                workers: Int? = nil) throws {
        lab = try Lab(path: path, overrides: overrides, workers: workers)
        let lesson = try Lesson.beside(scenario: path)
        if let lesson {
            for (i, step) in lesson.steps.enumerated() {
                guard let settings = step.settings else { continue }
                do { _ = try RunSettings(json: settings, scenario: lab.facts) } catch {
                    throw LessonError("\(URL(fileURLWithPath: path).deletingPathExtension().path).lesson.json: steps[\(i)].settings: \(error)")
                }
            }
        }
        chartPath = StaticAssets.chartPath()
        let address: any SocketAddress
        if host.contains(":") { address = try sockaddr_in6.inet6(ip6: host, port: port) }
        else if host == "localhost" { address = try sockaddr_in.inet(ip4: "127.0.0.1", port: port) }
        else { address = try sockaddr_in.inet(ip4: host, port: port) }
        let routes = Routes(lab: lab, lesson: lesson, otherLessons: Lesson.siblings(of: path), chart: chartPath)
        server = HTTPServer(config: .init(address: address, timeout: 30, logger: .disabled), handler: routes)
    }

    /// Serves until the task is cancelled.
    public func run() async throws { try await server.run() }

    public func waitUntilListening() async throws { try await server.waitUntilListening() }

    /// The port actually bound (useful with port 0: any free port).
    public var port: UInt16? {
        get async {
            switch await server.listeningAddress {
            case .ip4(_, let port)?, .ip6(_, let port)?: return port
            default: return nil
            }
        }
    }

    public func stop() async { await server.stop(timeout: 1) }
}
