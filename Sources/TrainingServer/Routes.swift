import FlyingFox
import Foundation

/// The JSON API and the page. POST bodies are JSON objects of `RunSettings` keys (plus
/// `client`, the page's id: a newer request from the same page cancels its stale one).
/// See README.md, "Training", for the API.
struct Routes: HTTPHandler {
    let lab: Lab
    let lesson: Lesson?
    let otherLessons: [String]
    let chart: String?
    let stale = StaleRequests()

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        let path = request.path
        switch (request.method, path) {
        case (.GET, "/api/scenario"): return Answer.json(scenarioAnswer)
        case (.GET, "/api/status"): return Answer.json(status)
        case (.POST, "/api/run"): return await answer(request, endpoint: "run") { try await lab.run($0, token: $1) }
        case (.POST, "/api/frontier"): return await answer(request, endpoint: "frontier") { try await lab.frontier($0, token: $1) }
        case (.POST, "/api/trace"): return await answer(request, endpoint: "trace") { try await lab.trace($0, token: $1) }
        case (_, "/api/scenario"), (_, "/api/status"), (_, "/api/run"), (_, "/api/frontier"), (_, "/api/trace"):
            return Answer.error(.methodNotAllowed, "\(request.method.rawValue) \(path): use "
                                + (path == "/api/scenario" || path == "/api/status" ? "GET" : "POST with a JSON body"))
        case (.GET, _), (.HEAD, _):
            if let asset = StaticAssets.response(path: path, chart: chart) { return asset }
            return Answer.error(.notFound, "no page at \(path.prefix(80)) (the page is at /)")
        default:
            return Answer.error(.notFound, "no page at \(path.prefix(80))")
        }
    }

    /// Reads and checks the settings, runs, and turns every failure into its status code.
    private func answer<T: Encodable>(_ request: HTTPRequest, endpoint: String,
                                      _ work: (RunSettings, CancelToken) async throws -> T) async -> HTTPResponse {
        do {
            let json = try await RequestBody.json(request)
            let settings = try RunSettings(json: json, scenario: lab.facts)
            var client: String?
            if let raw = json["client"] {
                guard case .string(let id) = raw, (1...64).contains(id.count) else {
                    throw BadRequest("client: expected the page's id, a text of 1 to 64 characters")
                }
                client = id
            }
            let token = stale.begin(client: client, endpoint: endpoint)
            return Answer.json(try await work(settings, token))
        } catch {
            return Answer.failure(error)
        }
    }

    struct ScenarioAnswer: Encodable {
        var name: String, description: String, path: String
        var classes: [String], lanes: [String], stations: [String]
        var replications: Int, seed: UInt64, horizonHours: Double
        var controls: Controls
        var lesson: Lesson?
        var otherLessons: [String]
        var chartsAvailable: Bool
        enum CodingKeys: String, CodingKey {
            case name, description, path, classes, lanes, stations, replications, seed, horizonHours = "horizon_h"
            case controls, lesson, otherLessons = "other_lessons", chartsAvailable = "charts_available"
        }
    }
    /// The scenario's own value of each control (nil: the rule has none).
    struct Controls: Encodable {
        var threshold: Double?, inspectAll: Bool, random: Double?, auc: Double, aucWithAdvanceInfo: Double?
        var advanceInfoShare: Double, booths: [String: Int], servers: [String: Int]
        enum CodingKeys: String, CodingKey {
            case threshold, inspectAll = "inspect_all", random, auc, aucWithAdvanceInfo = "auc_with_advance_info"
            case advanceInfoShare = "advance_info_share", booths, servers
        }
    }

    var scenarioAnswer: ScenarioAnswer {
        let f = lab.facts
        return ScenarioAnswer(
            name: f.name, description: f.description, path: lab.path, classes: f.classes, lanes: f.lanes, stations: f.stations,
            replications: f.replications, seed: f.seed, horizonHours: f.horizonHours,
            controls: Controls(threshold: f.threshold, inspectAll: f.inspectAll, random: f.random, auc: f.auc,
                               aucWithAdvanceInfo: f.aucWithAdvanceInfo, advanceInfoShare: f.advanceInfoShare,
                               booths: f.constantBooths, servers: f.constantServers),
            lesson: lesson, otherLessons: otherLessons, chartsAvailable: chart != nil)
    }

    struct Status: Encodable {
        var workers: Int, peakSimulations: Int, replicationsRun: Int, queuedRequests: Int
        enum CodingKeys: String, CodingKey {
            case workers, peakSimulations = "peak_simulations", replicationsRun = "replications_run", queuedRequests = "queued_requests"
        }
    }
    var status: Status {
        let s = lab.pool.statistics
        return Status(workers: lab.pool.width, peakSimulations: s.peak, replicationsRun: s.replications, queuedRequests: s.queued)
    }
}
