import Foundation
import XCTest

/// The JSON API over real HTTP on loopback: the same numbers as `bordersim run --set … --json`,
/// refusals with 400 (and the server still serving), 20 clients at once on a bounded pool,
/// stale requests from one page cancelled, and the replayed day.
final class APITests: XCTestCase {
    /// `summary` of /api/run equals what `bordersim run SCENARIO --set … --json` prints for the
    /// `settings` the server reports, value for value.
    func assertSameAsCLI(_ served: Served, _ scenario: String, _ body: [String: Any],
                         file: StaticString = #filePath, line: UInt = #line) async throws -> [String: Any] {
        let reply = try await served.post("run", body)
        XCTAssertEqual(reply.status, 200, reply.error, file: file, line: line)
        let settings = try XCTUnwrap(reply.json["settings"] as? [String], file: file, line: line)
        let cli = try Repo.bordersim(["run", scenario] + settings.flatMap { ["--set", $0] } + ["--json"])
        XCTAssertEqual(cli.status, 0, file: file, line: line)
        let expected = try XCTUnwrap(try JSONSerialization.jsonObject(with: cli.stdout) as? NSDictionary, file: file, line: line)
        let summary = try XCTUnwrap(reply.json["summary"] as? NSDictionary, file: file, line: line)
        XCTAssertEqual(summary, expected, "summary differs from bordersim run for \(settings)", file: file, line: line)
        XCTAssertEqual(reply.json["command"] as? String,
                       (["bordersim", "run", Repo.path(scenario)].map(quote) + settings.flatMap { ["--set", quote($0)] } + ["--json"])
                           .joined(separator: " "), file: file, line: line)
        return reply.json
    }

    func quote(_ word: String) -> String {
        word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,+@%".contains($0) } ? word
            : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    func testRunEqualsTheCommandLineForEachControl() async throws {
        let scenario = "scenarios/training/advance-information.yaml"
        let served = try await Served(scenario)
        let base = try await assertSameAsCLI(served, scenario, [:])
        XCTAssertEqual(base["settings"] as? [String], [])
        let low = try await assertSameAsCLI(served, scenario, ["threshold": 0.5, "random": 0.02])
        XCTAssertEqual(low["settings"] as? [String], ["targeting.rule={threshold: 0.5, random: 0.02}"])
        _ = try await assertSameAsCLI(served, scenario, ["auc": 0.8, "advance_info_share": 0.5, "auc_with_advance_info": 0.95])
        _ = try await assertSameAsCLI(served, scenario, ["booths": ["primary": 3], "servers": ["secondary": 3]])
        _ = try await assertSameAsCLI(served, scenario, ["inspect_all": true])
        let outage = try await assertSameAsCLI(served, scenario, ["outage": ["station": "secondary", "from_h": 1, "to_h": 2.5]])
        XCTAssertEqual(outage["settings"] as? [String],
                       ["stations.secondary.servers={default: 2, ranges: [{from: \"01:00\", to: \"02:30\", value: 0}]}"])
        // A lower threshold refers more: the policy changed, the travellers did not (same arrivals).
        func security(_ j: [String: Any], _ key: String) -> Double {
            (((j["summary"] as? [String: Any])?["security"] as? [String: Any])?[key] as? [String: Any])?["mean"] as? Double ?? .nan
        }
        XCTAssertGreaterThan(security(low, "referred"), security(base, "referred"))
        XCTAssertEqual(security(low, "violators_arrived"), security(base, "violators_arrived"))
        // The ROC of the current AUC and the rule's point on it; hourly waits by lane.
        let roc = try XCTUnwrap(low["roc"] as? [String: Any])
        let point = try XCTUnwrap(roc["operating_point"] as? [String: Double])
        XCTAssertEqual(point["fpr"]!, 0.02 + 0.98 * 0.308_537_538_725_986_9, accuracy: 1e-9)   // 1 − Φ(0.5), plus random
        let hourly = try XCTUnwrap((low["hourly"] as? [String: Any])?["lanes"] as? [[String: Any]])
        XCTAssertEqual((hourly.first?["mean_wait_min"] as? [Any])?.count, 4)
        await served.stop()
    }

    func testBadInputIsRefusedWith400AndTheServerKeepsServing() async throws {
        let served = try await Served("scenarios/training/risk-targeting.yaml")
        let bad: [(Data, String)] = [
            (Data(#"{"thresold": 1}"#.utf8), "unknown parameter 'thresold'; did you mean 'threshold'?"),
            (Data(#"{"threshold": 99}"#.utf8), "threshold: expected a value in [-5.0, 8.0], found 99.0"),
            (Data(#"{"threshold": "high"}"#.utf8), "threshold: expected a number, found \"high\""),
            (Data(#"{"auc": 1}"#.utf8), "auc: expected a value in (0.5, 1.0)"),
            (Data(#"{"inspect_all": 1}"#.utf8), "inspect_all: expected true or false"),
            (Data(#"{"booths": {"primray": 2}}"#.utf8), "booths.primray: no such lane (known: primary)"),
            (Data(#"{"servers": {"secondary": 2.5}}"#.utf8), "servers.secondary: expected a whole number"),
            (Data(#"{"outage": {"station": "secondary", "from_h": 2, "to_h": 1}}"#.utf8), "outage: expected 0 ≤ from_h < to_h"),
            (Data(#"{"threshold": 1, "inspect_all": true}"#.utf8), "give one"),
            (Data(#"{"threshold": 1,"#.utf8), "malformed JSON body"),
            (Data("[1, 2]".utf8), "expected a JSON object, found a list"),
            (Data(("{\"client\": \"" + String(repeating: "x", count: 40_000) + "\"}").utf8), "request body too large"),
        ]
        for (body, message) in bad {
            for endpoint in ["run", "trace", "frontier"] {
                let reply = try await served.request("POST", "api/" + endpoint, body: body)
                XCTAssertEqual(reply.status, 400, "\(endpoint) \(String(decoding: body.prefix(60), as: UTF8.self))")
                XCTAssertTrue(reply.error.contains(message), "\(endpoint): \(reply.error)")
            }
        }
        // Wrong method, unknown page, a path that tries to leave the page: refused, nothing read.
        let get = try await served.request("GET", "api/run")
        XCTAssertEqual(get.status, 405)
        let traversal = try await served.request("GET", "../../../../etc/passwd")
        XCTAssertEqual(traversal.status, 404)
        XCTAssertFalse(String(decoding: traversal.data, as: UTF8.self).contains("root:"))
        // Still serving, with the same answer as before the bad requests.
        let ok = try await served.post("run", ["threshold": 1.2])
        XCTAssertEqual(ok.status, 200, ok.error)
        let page = try await served.request("GET", "")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(String(decoding: page.data, as: UTF8.self).contains("<canvas id=\"canvas\""))
        await served.stop()
    }

    /// 20 clients at once: every one answered with the numbers a lone request gets, while the
    /// pool never runs more simulations at once than its 2 workers.
    func testTwentyClientsAtOnceOnABoundedPool() async throws {
        let served = try await Served("scenarios/training/risk-targeting.yaml", workers: 2)
        let thresholds = (0..<20).map { 0.5 + Double($0 % 5) * 0.25 }
        var alone: [Double: NSDictionary] = [:]
        for t in Set(thresholds) {
            alone[t] = try await served.post("run", ["threshold": t]).json["summary"] as? NSDictionary
        }
        let replies = try await withThrowingTaskGroup(of: (Double, Served.Reply).self) { group in
            for (i, t) in thresholds.enumerated() {
                group.addTask { (t, try await served.post("run", ["threshold": t, "client": "page-\(i)"])) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(replies.count, 20)
        for (t, reply) in replies {
            XCTAssertEqual(reply.status, 200, reply.error)
            XCTAssertEqual(reply.json["summary"] as? NSDictionary, alone[t], "threshold \(t)")
        }
        let status = try await served.request("GET", "api/status").json
        XCTAssertEqual(status["workers"] as? Int, 2)
        let peak = try XCTUnwrap(status["peak_simulations"] as? Int)
        XCTAssertLessThanOrEqual(peak, 2)
        XCTAssertGreaterThanOrEqual(peak, 1)
        XCTAssertEqual(status["replications_run"] as? Int, 25 * 20)
        await served.stop()
    }

    /// A newer request from the same page cancels the stale one (409); another page is not affected.
    func testNewerRequestFromTheSamePageCancelsTheStaleOne() async throws {
        let served = try await Served("scenarios/training/risk-targeting.yaml", workers: 1)
        async let stale = served.post("frontier", ["client": "page-a"])
        async let other = served.post("run", ["client": "page-b", "threshold": 0.7])
        try await Task.sleep(nanoseconds: 300_000_000)
        let fresh = try await served.post("frontier", ["client": "page-a", "random": 0.02])
        let (s, o) = try await (stale, other)
        XCTAssertEqual(s.status, 409, s.error)
        XCTAssertTrue(s.error.contains("superseded"), s.error)
        XCTAssertEqual(fresh.status, 200, fresh.error)
        XCTAssertEqual(o.status, 200, o.error)
        let points = try XCTUnwrap(fresh.json["points"] as? [[String: Any]])
        XCTAssertEqual(points.count, 16)       // 15 thresholds and "inspect everyone"
        let status = try await served.request("GET", "api/status").json
        // The stale frontier's remaining replications were skipped: fewer than two full frontiers ran.
        XCTAssertLessThan(try XCTUnwrap(status["replications_run"] as? Int), 2 * 16 * 20 + 20)
        await served.stop()
    }

    func testTraceReplaysOneReplicationWithSchedulesAndOutages() async throws {
        let served = try await Served("scenarios/training/scanner-outage.yaml")
        let body: [String: Any] = ["outage": ["station": "scanner", "from_h": 2.5, "to_h": 3.5], "replication": 3]
        let a = try await served.post("trace", body), b = try await served.post("trace", body)
        XCTAssertEqual(a.status, 200, a.error)
        XCTAssertEqual(a.data, b.data, "the same request replays the same day")
        let j = a.json
        XCTAssertEqual(j["replication"] as? Int, 3)
        let station = try XCTUnwrap((j["stations"] as? [[String: Any]])?.first)
        let servers = try XCTUnwrap(station["servers"] as? [String: [Double]])
        XCTAssertEqual(servers["times"], [0, 9_000, 12_600])
        XCTAssertEqual(servers["values"], [2, 0, 2])
        let parties = try XCTUnwrap(j["parties"] as? [String: Any])
        let arrival = try XCTUnwrap(parties["arrival"] as? [Double])
        XCTAssertGreaterThan(arrival.count, 500)
        XCTAssertEqual(arrival, arrival.sorted())
        let fates = try XCTUnwrap(parties["fate"] as? [Int])
        XCTAssertEqual(fates.count, arrival.count)
        XCTAssertTrue(Set(fates).isSubset(of: 0...4))
        XCTAssertTrue(fates.contains(2) && fates.contains(3) && fates.contains(1) && fates.contains(0))
        // No scanning starts during the outage.
        for visits in try XCTUnwrap(parties["visits"] as? [[[Double]]]) {
            for v in visits { XCTAssertFalse(v[2] >= 9_000 && v[2] < 12_600, "scan started at \(v[2]) during the outage") }
        }
        let samples = try XCTUnwrap(j["queue_samples"] as? [[Int]])
        XCTAssertEqual(samples.count, 2)                       // the lane, then the station
        XCTAssertEqual(samples[1].count, 360)                  // each minute of 6 h
        XCTAssertGreaterThan(samples[1][12_500 / 60], samples[1][9_000 / 60 - 1], "the queue grows during the outage")
        let bad = try await served.post("trace", ["replication": 20])
        XCTAssertEqual(bad.status, 400, bad.error)
        await served.stop()
    }

    /// Breakdowns from the engine's hook: their total length is the station's downtime share.
    func testTraceShowsTheEnginesBreakdowns() async throws {
        let served = try await Served("scenarios/commercial-crossing.yaml", overrides: ["replications=1"])
        let run = try await served.post("run", [:]).json
        let stations = try XCTUnwrap((run["summary"] as? [String: Any])?["stations"] as? [[String: Any]])
        let trace = try await served.post("trace", [:]).json
        let traced = try XCTUnwrap(trace["stations"] as? [[String: Any]])
        let horizon = try XCTUnwrap(trace["horizon_s"] as? Double)
        var sawDowntime = false
        for (s, station) in traced.enumerated() {
            let down = try XCTUnwrap(station["down"] as? [[Double]])
            let share = down.reduce(0) { $0 + ($1[1] - $1[0]) } / horizon
            let expected = try XCTUnwrap((stations[s]["down_fraction"] as? [String: Any])?["mean"] as? Double)
            XCTAssertEqual(share, expected, accuracy: 1e-9, station["name"] as? String ?? "")
            sawDowntime = sawDowntime || !down.isEmpty
        }
        XCTAssertTrue(sawDowntime, "commercial-crossing has a station with downtime")
        await served.stop()
    }

    func testScenarioDescribesControlsAndLesson() async throws {
        let served = try await Served("scenarios/training/scanner-outage.yaml")
        let j = try await served.request("GET", "api/scenario").json
        XCTAssertEqual(j["stations"] as? [String], ["scanner"])
        let controls = try XCTUnwrap(j["controls"] as? [String: Any])
        XCTAssertEqual(controls["threshold"] as? Double, 1.4)
        XCTAssertEqual(controls["servers"] as? [String: Int], ["scanner": 2])
        let lesson = try XCTUnwrap(j["lesson"] as? [String: Any])
        let steps = try XCTUnwrap(lesson["steps"] as? [[String: Any]])
        XCTAssertEqual(Set(steps.compactMap { $0["kind"] as? String }), ["predict", "run", "discuss"])
        XCTAssertEqual(Set(j["other_lessons"] as? [String] ?? []).count, 3)
        await served.stop()
    }
}
