import BorderModel
import CGSL
import Experiments
import Foundation
import ResultsStore
import Scenarios
@_spi(GSL) import SimKernel
import XCTest

final class CompareTests: XCTestCase {
    func configuration(_ path: String, _ name: String, _ settings: [String] = []) throws -> PairedComparison.Configuration {
        let s = try ScenarioLoader.load(path: path, overrides: settings)
        return .init(name: name, config: s.config, scenarioText: s.resolvedText)
    }

    func metadata(seed: UInt64, replications: Int) -> RunMetadata {
        RunMetadata(toolVersion: "test", created: "now", seed: seed, replications: replications, horizonSeconds: 0,
                    warmUpSeconds: 0, confidenceLevel: 0.95, scenarioName: "", scenarioPath: "", scenarioText: "", commandLine: "")
    }

    /// Per-replication values of one metric of one entity, for configuration k.
    func values(_ r: ComparisonRecord, _ table: String, _ entity: Int, _ metric: String, configuration k: Int) -> [Double] {
        let t = r.tables.first { $0.name == table }!
        let m = t.metrics.count, j = t.metrics.firstIndex { $0.name == metric }!
        let cells = t.summary.mean.count / r.configurations.count, reps = r.metadata.replications
        return (0..<reps).map { t.values[(k * reps + $0) * cells + entity * m + j] }
    }

    /// The acceptance check: on the land-port example, common random numbers make the
    /// paired CI of a difference at least 3× narrower than the CI from independent runs
    /// (Welch's, the same replications per arm). Two changes a planner makes: one more
    /// general-lane booth in the 14:00 peak hour (metrics: the general lane's mean and p95
    /// wait), and a stricter targeting threshold (metric: violators missed).
    /// (The gain depends on the change: one that removes most of a metric's variation, such
    /// as a booth added all day that nearly empties a queue, leaves a difference as variable
    /// as the baseline itself, and CRN cannot narrow it much.)
    func testCommonRandomNumbersMakeThePairedIntervalAtLeastThreeTimesNarrower() throws {
        let path = SweepFixtures.path("scenarios/land-port.yaml")
        let configs = [try configuration(path, "plan"), try configuration(path, "peak-booth", ["lanes.general.booths[14]=16"]),
                       try configuration(path, "strict", ["targeting.rule.threshold=2.25"])]
        let reps = 10
        let paired = try PairedComparison.run(configs, metadata: metadata(seed: 2019, replications: reps))
        // Independent runs: the changed plans on other random numbers (another master seed).
        let independent = try PairedComparison.run(configs, metadata: metadata(seed: 77, replications: reps))

        for (k, table, metric) in [(1, "lane", "mean_wait_min"), (1, "lane", "p95_wait_min"), (2, "port", "missed")] {
            let base = values(paired, table, 0, metric, configuration: 0)
            let changedCRN = values(paired, table, 0, metric, configuration: k)
            let changedOther = values(independent, table, 0, metric, configuration: k)
            let differences = SampleSummary(zip(changedCRN, base).map { $0 - $1 })
            let pairedHalf = differences.halfWidth(level: 0.95)
            let a = SampleSummary(changedOther), b = SampleSummary(base)
            // Welch: se² = s_a²/n + s_b²/n, Welch–Satterthwaite degrees of freedom.
            let va = a.variance / Double(reps), vb = b.variance / Double(reps)
            let df = (va + vb) * (va + vb) / (va * va / Double(reps - 1) + vb * vb / Double(reps - 1))
            let welchHalf = gsl_cdf_tdist_Pinv(0.975, df) * (va + vb).squareRoot()
            let ratio = welchHalf / pairedHalf
            print("CRN \(configs[k].name) \(table).\(metric): difference \(differences.mean) ± \(pairedHalf) paired, ± \(welchHalf) independent; ratio \(ratio)")
            XCTAssertGreaterThanOrEqual(ratio, 3, "\(table).\(metric)")
            // Both intervals estimate the same effect: they overlap.
            XCTAssertLessThan(abs(differences.mean - (a.mean - b.mean)), pairedHalf + welchHalf)
            // The record's difference table holds the same paired statistics.
            let t = paired.tables.firstIndex { $0.name == table }!
            let j = paired.tables[t].metrics.firstIndex { $0.name == metric }!
            let cells = paired.differences[t].mean.count / 2
            XCTAssertEqual(paired.differences[t].mean[(k - 1) * cells + j], differences.mean, accuracy: 1e-9)
            XCTAssertEqual(paired.differences[t].ciHigh[(k - 1) * cells + j] - differences.mean, pairedHalf, accuracy: 1e-9)
        }
        // The booth changes nothing in the other lanes: identical, replication by replication.
        let lanes = paired.axes.first { $0.name == "lane" }!
        guard case .strings(let laneNames) = lanes.labels else { return XCTFail() }
        for e in laneNames.indices where laneNames[e] != "general" {
            XCTAssertEqual(values(paired, "lane", e, "mean_wait_min", configuration: 1), values(paired, "lane", e, "mean_wait_min", configuration: 0))
        }
        let report = ComparisonReport(paired).text
        XCTAssertTrue(report.contains("peak-booth lowers the mean wait in lane general by"), report)
        XCTAssertTrue(report.contains("strict raises referrals by"), report)
    }

    func testAScenarioComparedWithItselfDiffersByExactlyZero() throws {
        let path = SweepFixtures.path("scenarios/training/risk-targeting.yaml")
        let r = try PairedComparison.run([try configuration(path, "a"), try configuration(path, "b")],
                                         metadata: metadata(seed: 5, replications: 4))
        for d in r.differences {
            XCTAssertTrue(d.mean.allSatisfy { $0 == 0 || $0.isNaN })
            XCTAssertTrue(d.ciHigh.allSatisfy { $0 == 0 || $0.isNaN })
        }
        XCTAssertTrue(ComparisonReport(r).sections[0].findings.allSatisfy(\.unchanged))
    }

    /// Configurations with different lanes are compared on the lanes they share, by name.
    func testOnlySharedEntitiesAreComparedMatchedByName() throws {
        let dir = try SweepFixtures.folder()
        let a = dir.appendingPathComponent("a.yaml"), b = dir.appendingPathComponent("b.yaml")
        try """
        name: a
        horizon: 2h
        classes: {car: {kind: passenger-vehicle, arrivals: {poisson: 200/h}}}
        lanes:
          general: {serves: [car], booths: 2, service: {car: 30s}}
          express: {serves: [car], booths: 1, service: {car: 20s}}
        """.write(to: a, atomically: true, encoding: .utf8)
        try """
        name: b
        horizon: 2h
        classes: {car: {kind: passenger-vehicle, arrivals: {poisson: 200/h}}}
        lanes:
          extra: {serves: [car], booths: 1, service: {car: 20s}}
          general: {serves: [car], booths: 3, service: {car: 30s}}
        """.write(to: b, atomically: true, encoding: .utf8)
        let r = try PairedComparison.run([try configuration(a.path, "a"), try configuration(b.path, "b")],
                                         metadata: metadata(seed: 1, replications: 3))
        XCTAssertEqual(r.axes.first { $0.name == "lane" }?.labels, .strings(["general"]))
        XCTAssertEqual(r.axes.first { $0.name == "flow" }?.labels, .strings(["general/car"]))
        XCTAssertEqual(r.axes.first { $0.name == "flow_lane" }?.labels, .strings(["general"]))
        let lane = r.tables.first { $0.name == "lane" }!
        XCTAssertEqual(lane.values.count, 2 * 3 * 1 * lane.metrics.count)
    }

    func testSentencesSayWhatChangedAndWhetherItIsSignificant() {
        typealias F = ComparisonReport.Finding
        let lower = F(table: "lane", entity: "general", metric: "p95_wait_min", subject: "the p95 wait in lane general",
                      unit: "min", mean: -12.3, ciLow: -14.7, ciHigh: -9.8)
        XCTAssertEqual(ComparisonReport.sentence(lower, configuration: "plan B"), "plan B lowers the p95 wait in lane general by 12.3 min [9.8, 14.7]")
        let flat = F(table: "port", entity: nil, metric: "detected", subject: "detections", unit: "parties", mean: 0.4, ciLow: -0.3, ciHigh: 1.1)
        XCTAssertEqual(ComparisonReport.sentence(flat, configuration: "plan B"), "plan B: detections change by +0.4 [-0.3, 1.1], not significant")
        XCTAssertFalse(flat.significant)
        let up = F(table: "port", entity: nil, metric: "referred", subject: "referrals", unit: "parties", mean: 5, ciLow: 2, ciHigh: 8)
        XCTAssertEqual(ComparisonReport.sentence(up, configuration: "B"), "B raises referrals by 5.0 [2.0, 8.0]")
    }
}
