import BorderModel
import Foundation
import ResultsStore
import SimKernel
import XCTest
@testable import Experiments

/// MSER-5 truncation, the warm-up suggestion, and sequential replications (--precision).
final class StatisticsTests: XCTestCase {
    // MARK: - Helpers

    /// Standard normal draws (Box–Muller) from a seeded GSL stream.
    static func normals(_ n: Int, key: UInt64) -> [Double] {
        let s = RandomStream(key: key, name: "noise")
        return (0..<n).map { _ in
            (-2 * log(s.uniformPositive())).squareRoot() * cos(2 * Double.pi * s.uniform())
        }
    }

    /// MSER-b by the textbook formula, every d computed from scratch.
    static func bruteForce(_ y: [Double], batch b: Int = 5) -> (d: Int, statistic: Double) {
        let m = y.count / b
        let z = (0..<m).map { j in y[(j * b)..<((j + 1) * b)].reduce(0, +) / Double(b) }
        var best = (d: 0, statistic: Double.infinity)
        for d in 0...(m / 2) {
            let kept = z[d...]
            let mean = kept.reduce(0, +) / Double(kept.count)
            let stat = kept.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(kept.count * kept.count)
            if stat < best.statistic * (1 - 1e-12) { best = (d, stat) }
        }
        return best
    }

    /// One class of cars at Poisson rate, lanes of one booth each with exponential service:
    /// M/M/1 queues, started empty. No violation types, so port.detected is 0 throughout.
    static func queues(arrivalsPerHour: Double, meanService: Double, lanes: Int = 1, hours: Double,
                       warmUpHours: Double = 0, sampleInterval: Double = 300) throws -> PortConfiguration {
        let classes = (0..<lanes).map { l in
            TrafficClass(name: "car\(l)", kind: .passengerVehicle, arrivals: .poisson(rate: arrivalsPerHour / 3600))
        }
        let service = try Distribution.exponential(mean: meanService)
        let laneList = (0..<lanes).map { l in
            Lane(name: "lane\(l)", serves: [l], booths: .constant(1),
                 service: (0..<lanes).map { $0 == l ? service : nil })
        }
        return PortConfiguration(name: "mm1", horizon: hours * 3600, warmUp: warmUpHours * 3600, classes: classes,
                                 lanes: laneList, metrics: MetricOptions(queueSampleInterval: sampleInterval))
    }

    /// Everything a run's results hold, as numbers: every table and every series of the record.
    /// Every number of the results, as bit patterns (so that NaN, an undefined value, equals NaN).
    static func fingerprint(_ config: PortConfiguration, _ results: [ReplicationResult]) -> [[UInt64]] {
        let metadata = RunMetadata(toolVersion: "", created: "", seed: 0, replications: results.count, horizonSeconds: 0,
                                   warmUpSeconds: 0, confidenceLevel: 0.95, scenarioName: "", scenarioPath: "",
                                   scenarioText: "", commandLine: "")
        let record = RunRecordBuilder.record(metadata: metadata, config: config, results: results)
        var all: [[Double]] = record.tables.map(\.values)
        for r in results {
            let samples: [Double] = r.series.queueSamples.map(Double.init)
            all.append(samples)
            all.append(r.series.meanWait)
        }
        all.append(results.map { Double($0.replication) })
        return all.map { $0.map(\.bitPattern) }
    }

    // MARK: - MSER

    func testMSERMatchesTheFormula() throws {
        for (k, n) in [20, 23, 37, 50, 101, 203, 512].enumerated() {
            // A transient of random length plus noise, so d* varies between cases.
            let noise = Self.normals(n, key: UInt64(100 + k))
            let y = noise.enumerated().map { i, e in 3 * exp(-Double(i) / Double(2 + 3 * k)) + e }
            let r = try MSER.truncation(y)
            let expected = Self.bruteForce(y)
            XCTAssertEqual(r.batches, n / 5)
            XCTAssertEqual(r.searchLimitBatches, n / 10)
            XCTAssertEqual(r.truncatedBatches, expected.d, "n = \(n)")
            XCTAssertEqual(r.truncatedObservations, 5 * expected.d)
            XCTAssertEqual(r.statistic, expected.statistic, accuracy: 1e-9 * max(1, expected.statistic), "n = \(n)")
            XCTAssertEqual(r.atSearchLimit, expected.d == n / 10)
        }
        // MSER (batch 1) follows the same formula.
        let y = Self.normals(60, key: 9).enumerated().map { i, e in e + (i < 10 ? 4.0 : 0) }
        XCTAssertEqual(try MSER.truncation(y, batchSize: 1).truncatedBatches, Self.bruteForce(y, batch: 1).d)
    }

    func testMSERFindsTheEndOfAnExponentialTransient() throws {
        // 10·e^(−t/50) + N(0, 1): the bias falls below 0.1 (a tenth of the noise) at t ≈ 230.
        for key in UInt64(1)...5 {
            let y = Self.normals(2000, key: key).enumerated().map { t, e in 10 * exp(-Double(t) / 50) + e }
            let r = try MSER.truncation(y, times: (0..<2000).map(Double.init))
            XCTAssertFalse(r.atSearchLimit)
            XCTAssertGreaterThanOrEqual(r.truncatedObservations, 100, "seed \(key): cut before the transient is over")
            XCTAssertLessThanOrEqual(r.truncatedObservations, 400, "seed \(key): cut far past the transient")
            XCTAssertEqual(r.truncationTime, Double(r.truncatedObservations))
        }
    }

    func testMSERKeepsAStationarySeries() throws {
        for key in UInt64(11)...15 {
            let r = try MSER.truncation(Self.normals(1000, key: key).map { 5 + $0 })
            XCTAssertFalse(r.atSearchLimit, "seed \(key)")
            XCTAssertLessThanOrEqual(r.truncatedObservations, 100, "seed \(key): a stationary series loses at most 10%")
        }
        // A constant series: nothing to drop.
        XCTAssertEqual(try MSER.truncation([Double](repeating: 2, count: 100)).truncatedBatches, 0)
    }

    func testMSERSaysWhenTheSeriesNeverSettles() throws {
        // A trend: every truncation looks better than the last, up to the search limit.
        let y = Self.normals(500, key: 3).enumerated().map { t, e in 0.05 * Double(t) + e }
        let r = try MSER.truncation(y)
        XCTAssertTrue(r.atSearchLimit)
        XCTAssertEqual(r.truncatedBatches, r.searchLimitBatches)
        XCTAssertEqual(r.searchLimitBatches, 50)
    }

    func testMSERRefusesUnusableSeries() {
        XCTAssertThrowsError(try MSER.truncation(Array(repeating: 1.0, count: 19))) {
            XCTAssertEqual($0 as? MSER.Problem, .tooShort(observations: 19, needed: 20))
        }
        XCTAssertThrowsError(try MSER.truncation([1, 2, .nan] + Array(repeating: 1.0, count: 30))) {
            XCTAssertEqual($0 as? MSER.Problem, .notFinite(index: 2))
        }
        XCTAssertThrowsError(try MSER.truncation(Array(repeating: 1.0, count: 30), times: [0, 1]))
    }

    /// M/M/1 queues started empty: the heavily loaded queue (ρ = 0.9, relaxation time
    /// ≈ 1/(μ(1 − √ρ)²) ≈ 6 h) needs a much longer warm-up than the lightly loaded one
    /// (ρ = 0.5, ≈ 12 min), and neither runs into the search limit over 48 h.
    func testWarmUpOfMM1QueuesStartedEmpty() throws {
        let heavy = try Self.queues(arrivalsPerHour: 54, meanService: 60, hours: 48, warmUpHours: 0.5)
        let light = try Self.queues(arrivalsPerHour: 30, meanService: 60, hours: 48, warmUpHours: 0.5)
        let h = try WarmUpSuggestion(config: heavy, results: ReplicationRunner.run(heavy, seed: 5, replications: 20))
        let l = try WarmUpSuggestion(config: light, results: ReplicationRunner.run(light, seed: 5, replications: 20))
        XCTAssertEqual(h.total.observations, 576)
        XCTAssertEqual(h.replications, 20)
        XCTAssertTrue(h.timeVaryingInputs.isEmpty)
        let heavySuggestion = try XCTUnwrap(h.suggestedSeconds, h.verdict)
        let lightSuggestion = try XCTUnwrap(l.suggestedSeconds, l.verdict)
        XCTAssertGreaterThanOrEqual(heavySuggestion, 1 * 3600, h.verdict)
        XCTAssertLessThanOrEqual(heavySuggestion, 20 * 3600, h.verdict)
        XCTAssertLessThanOrEqual(lightSuggestion, 2 * 3600, l.verdict)
        XCTAssertLessThan(lightSuggestion, heavySuggestion)
        // The half-hour warm-up is too short for the heavy queue, and the verdict says so.
        XCTAssertTrue(h.verdict.contains("shorter than the suggested"), h.verdict)
        XCTAssertTrue(h.verdict.contains("consider `warm-up: \(Int((heavySuggestion / 60).rounded(.up))) min`"), h.verdict)
        XCTAssertEqual(h.queues.map(\.name), ["lane:lane0"])
        XCTAssertEqual(h.queues[0].mser, h.total)   // one queue: the total is that queue
    }

    func testWarmUpNamesTimeVaryingInputs() throws {
        var config = try Self.queues(arrivalsPerHour: 30, meanService: 60, hours: 10)
        config.classes[0].arrivals = .profile(try PiecewiseConstant(steps: [10 / 3600, 40 / 3600], step: 3600, repeating: true))
        config.lanes[0].booths = try PiecewiseConstant(steps: [1, 2], step: 7200, repeating: true)
        let w = try WarmUpSuggestion(config: config, results: ReplicationRunner.run(config, seed: 1, replications: 3))
        XCTAssertEqual(w.timeVaryingInputs, ["arrival rates of car0 change (profile, timetable or trace)",
                                             "booth schedules of lanes lane0"])
        XCTAssertTrue(w.verdict.hasPrefix("Caution: the inputs vary with time"), w.verdict)
        XCTAssertEqual(WarmUpSuggestion.hoursMinutes(95 * 60), "1 h 35 min")
        XCTAssertEqual(WarmUpSuggestion.hoursMinutes(7200), "2 h")
        XCTAssertEqual(WarmUpSuggestion.hoursMinutes(25 * 60), "25 min")
        XCTAssertEqual(WarmUpSuggestion.hoursMinutes(30), "30 s")
        XCTAssertEqual(WarmUpSuggestion.hoursMinutes(0), "0 min")
    }

    // MARK: - Precision: parsing

    func testParsesPrecisionAndTargets() throws {
        XCTAssertEqual(try parseRelativePrecision("5%"), 0.05, accuracy: 1e-15)
        XCTAssertEqual(try parseRelativePrecision("0.05"), 0.05)
        XCTAssertEqual(try parseRelativePrecision(" 2.5 % "), 0.025, accuracy: 1e-15)
        for bad in ["5", "0", "0%", "-1%", "abc", "150%", "nan", ""] {
            XCTAssertThrowsError(try parseRelativePrecision(bad), bad)
        }
        XCTAssertEqual(try PrecisionTarget(parsing: "lane.mean_wait_min"), PrecisionTarget(table: "lane", metric: "mean_wait_min"))
        XCTAssertEqual(try PrecisionTarget(parsing: "security.detected").description, "security.detected")
        XCTAssertThrowsError(try PrecisionTarget(parsing: "lanes.mean_wait_min")) {
            XCTAssertTrue("\($0)".contains("TABLE one of port, lane, flow, class, station, security"), "\($0)")
        }
        XCTAssertThrowsError(try PrecisionTarget(parsing: "lane.mean_wait")) {
            XCTAssertTrue("\($0)".contains("table lane has no metric 'mean_wait'"), "\($0)")
        }
        XCTAssertThrowsError(try PrecisionTarget(parsing: "mean_wait_min"))
        XCTAssertEqual(PrecisionTarget.defaults.map(\.description), ["lane.mean_wait_min", "station.mean_wait_min", "port.detected"])
    }

    // MARK: - Precision: sequential replications

    /// Two M/M/1 lanes (ρ = 0.75) over 8 h: fast in debug builds, noisy enough to need a few batches.
    static func smallPort() throws -> PortConfiguration {
        try queues(arrivalsPerHour: 45, meanService: 60, lanes: 2, hours: 8, warmUpHours: 1)
    }

    func testStopsAtTheFirstBatchMeetingTheTarget() throws {
        let config = try Self.smallPort()
        let plan = PrecisionPlan(relative: 0.20, maxReplications: 200, batch: 3)
        var seen: [Int] = []
        let (results, outcome) = try SequentialReplications.run(config, seed: 42, initial: 4, plan: plan, threads: 2) { n, _ in
            seen.append(n)
        }
        let n = results.count
        XCTAssertTrue(outcome.met)
        XCTAssertFalse(outcome.reachedMaximum)
        XCTAssertGreaterThan(n, 4 + plan.batch, "the test should need at least two batches; raise the precision")
        XCTAssertEqual((n - 4) % plan.batch, 0, "counts go initial, initial + batch, …")
        XCTAssertEqual(seen, Array(stride(from: 4, through: n, by: plan.batch)))
        XCTAssertEqual(outcome.steps.map(\.replications), seen)
        XCTAssertEqual(outcome.replications, n)
        XCTAssertEqual(outcome.initialReplications, 4)
        // 2 lanes + the port's detections (0 in every replication: met).
        XCTAssertEqual(outcome.checks.map(\.label), ["lane.mean_wait_min[lane0]", "lane.mean_wait_min[lane1]", "port.detected"])
        let detected = outcome.checks[2]
        XCTAssertTrue(detected.met && detected.mean == 0 && detected.sd == 0)
        // The criterion holds at n and fails at every earlier count tried.
        let holds = { (k: Int) in SequentialReplications.check(config, results: Array(results.prefix(k)), plan: plan).allSatisfy(\.met) }
        XCTAssertTrue(holds(n))
        for k in seen.dropLast() { XCTAssertFalse(holds(k), "already met at \(k)") }
        for c in outcome.checks where c.table == "lane" {
            XCTAssertLessThanOrEqual(c.halfWidth, 0.20 * abs(c.mean))
            XCTAssertEqual(c.target, 0.20 * abs(c.mean), accuracy: 1e-12)
        }
        // The check agrees with the run's own statistics (Student t, as in the result file).
        let waits = results.map { $0.lanes[0].wait.mean / 60 }
        XCTAssertEqual(outcome.checks[0].halfWidth, SampleSummary(waits).halfWidth(level: 0.95), accuracy: 1e-12)
    }

    func testEqualsAFixedRunForAnyThreadCount() throws {
        let config = try Self.smallPort()
        let plan = PrecisionPlan(relative: 0.20, maxReplications: 200, batch: 3)
        let one = try SequentialReplications.run(config, seed: 42, initial: 4, plan: plan, threads: 1)
        let two = try SequentialReplications.run(config, seed: 42, initial: 4, plan: plan, threads: 2)
        XCTAssertEqual(one.results.count, two.results.count)
        XCTAssertEqual(one.outcome.checks, two.outcome.checks)
        let fixed = try ReplicationRunner.run(config, seed: 42, replications: one.results.count, threads: 2)
        XCTAssertEqual(Self.fingerprint(config, one.results), Self.fingerprint(config, fixed))
        XCTAssertEqual(Self.fingerprint(config, two.results), Self.fingerprint(config, fixed))
        XCTAssertEqual(one.results.map(\.replication), Array(0..<one.results.count))
    }

    func testMaximumIsRespectedAndMissesAreNamed() throws {
        let config = try Self.smallPort()
        let plan = PrecisionPlan(relative: 0.001, targets: [PrecisionTarget(table: "lane", metric: "mean_wait_min")],
                                 maxReplications: 9, batch: 3)
        let (results, outcome) = try SequentialReplications.run(config, seed: 1, initial: 2, plan: plan, threads: 2)
        XCTAssertEqual(results.count, 9)
        XCTAssertEqual(outcome.steps.map(\.replications), [2, 5, 8, 9], "the last batch is cut to the maximum")
        XCTAssertFalse(outcome.met)
        XCTAssertTrue(outcome.reachedMaximum)
        XCTAssertEqual(outcome.missed.map(\.label), ["lane.mean_wait_min[lane0]", "lane.mean_wait_min[lane1]"])
        // Already at the maximum: no replication is added.
        let capped = try SequentialReplications.run(config, seed: 1, initial: 5,
                                                    plan: PrecisionPlan(relative: 0.001, maxReplications: 5), threads: 2)
        XCTAssertEqual(capped.results.count, 5)
        XCTAssertTrue(capped.outcome.reachedMaximum)
        // One replication has no confidence interval: not met (even for a metric that is 0).
        let single = SequentialReplications.check(config, results: Array(results.prefix(1)),
                                                  plan: PrecisionPlan(relative: 0.5))
        XCTAssertTrue(single.allSatisfy { !$0.met }, "\(single)")
    }

    func testResultFileHoldsTheFinalSet() throws {
        let config = try Self.smallPort()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bordersim-stats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("seq.h5").path
        let metadata = RunMetadata(toolVersion: "test", created: "2026-01-01T00:00:00Z", seed: 42, replications: 4,
                                   horizonSeconds: config.horizon, warmUpSeconds: config.warmUp, confidenceLevel: 0.95,
                                   scenarioName: "mm1", scenarioPath: "mm1.yaml", scenarioText: "name: mm1\n",
                                   commandLine: "bordersim run mm1.yaml --precision 20%")
        let plan = PrecisionPlan(relative: 0.20, maxReplications: 200, batch: 3)
        let (results, outcome) = try SequentialReplications.recorded(
            config, metadata: metadata, output: try ResultFileOutput(target: path, force: false), trace: true,
            initial: 4, plan: plan, threads: 2)
        XCTAssertGreaterThan(results.count, 4)
        XCTAssertEqual(outcome.replications, results.count)
        let contents = try RunFileReader.contents(of: path)
        XCTAssertEqual(contents.attribute("replications"), .integer(Int64(results.count)))
        let lane = try XCTUnwrap(contents.tables.first { $0.name == "lane" })
        let m = try XCTUnwrap(lane.metrics.firstIndex(of: "mean_wait_min"))
        let fileMean = try XCTUnwrap(lane.statistics["mean"])[m]
        XCTAssertEqual(fileMean, outcome.checks[0].mean, accuracy: 1e-12)
        let replicationAxis = try XCTUnwrap(contents.datasets.first { $0.path == "/replication" })
        XCTAssertEqual(replicationAxis.shape, [results.count])
    }

    // MARK: - Command line

    /// Runs the built `bordersim` (beside the test bundle) and returns status, stdout, stderr.
    func bordersim(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        #if os(macOS)
        let products = Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }?.bundleURL.deletingLastPathComponent()
        #else
        let products: URL? = Bundle.main.bundleURL
        #endif
        guard let executable = products?.appendingPathComponent("bordersim"),
              FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw XCTSkip("bordersim is not built (swift build --build-tests)")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bordersim-stats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let outURL = dir.appendingPathComponent("stdout"), errURL = dir.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close(); try err.close()
        return (process.terminationStatus, String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    static let minimalScenario = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ScenariosTests/good/minimal.yaml").path

    func testRunCommandReportsWarmUpAndPrecision() throws {
        // JSON: the summary's keys plus precision and warm_up_suggestion.
        let r = try bordersim(["run", Self.minimalScenario, "--replications", "4", "--threads", "2", "--json",
                               "--suggest-warmup", "--precision", "30%", "--precision-batch", "3"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let precision = try XCTUnwrap(json["precision"] as? [String: Any])
        XCTAssertEqual(precision["met"] as? Bool, true)
        XCTAssertEqual(precision["relative_precision"] as? Double, 0.3)
        XCTAssertEqual(json["replications"] as? Int, precision["replications"] as? Int)
        XCTAssertEqual((precision["replications"] as? Int).map { ($0 - 4) % 3 }, 0)
        let warmUp = try XCTUnwrap(json["warm_up_suggestion"] as? [String: Any])
        XCTAssertEqual(warmUp["method"] as? String, "MSER-5")
        XCTAssertNotNil(json["lanes"])

        // The maximum reached: a warning naming the metric, exit status 0, text output.
        let m = try bordersim(["run", Self.minimalScenario, "--replications", "3", "--precision", "0.001",
                               "--max-replications", "5", "--precision-metric", "lane.mean_wait_min", "--suggest-warmup"])
        XCTAssertEqual(m.status, 0, m.stderr)
        XCTAssertTrue(m.stderr.contains("warning: precision target 0.10% not reached with the maximum of 5 replications: "
                                        + "lane.mean_wait_min[general]"), m.stderr)
        XCTAssertTrue(m.stdout.contains("WARNING: not met with the maximum of 5 replications"), m.stdout)
        XCTAssertTrue(m.stdout.contains("warm-up (MSER-5 on the queue length"), m.stdout)
        XCTAssertTrue(m.stdout.contains("— 5 replications of 8 h"), m.stdout)

        // Bad values are refused before anything runs.
        for bad in [["--precision", "5"], ["--precision", "5%", "--precision-metric", "lane.nope"], ["--max-replications", "9"],
                    ["--precision", "5%", "--max-replications", "2"]] {
            let b = try bordersim(["run", Self.minimalScenario] + bad)
            XCTAssertEqual(b.status, 64, "\(bad): \(b.stderr)")
            XCTAssertEqual(b.stdout, "", "\(bad)")
        }
    }
}
