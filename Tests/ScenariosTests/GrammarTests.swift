import BorderModel
import Foundation
import XCTest
@testable import Scenarios

/// The scenario grammar is declared once (`Grammar`): the reader, the schema and the model
/// check take keys, ranges and defaults from it, and variants are made from a document in memory.
final class GrammarTests: XCTestCase {
    static let text = """
        name: Minimal
        horizon: 8h
        classes:
          car:
            kind: passenger-vehicle
            arrivals: {poisson: 120/h}
        lanes:
          general: {serves: [car], booths: 3, service: {car: 45s}}
        """

    func minimal() throws -> Scenario { try Fixtures.parse(Self.text) }

    func schemaProperty(_ def: String, _ key: String) throws -> [String: Any] {
        let schema = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(ScenarioSchema.text.utf8)) as? [String: Any])
        let defs = try XCTUnwrap(schema["$defs"] as? [String: Any])
        let properties = try XCTUnwrap((defs[def] as? [String: Any])?["properties"] as? [String: Any])
        return try XCTUnwrap(properties[key] as? [String: Any], "\(def).\(key)")
    }

    /// What the schema documents as a default is what the reader applies when the key is absent.
    func testDocumentedDefaultsAreTheOnesApplied() throws {
        let s = try minimal()
        let cls = s.config.classes[0], lane = s.config.lanes[0]
        XCTAssertEqual(try schemaProperty("class", "trusted-share")["default"] as? Double, cls.trustedShare)
        XCTAssertEqual(try schemaProperty("class", "priority")["default"] as? Int, cls.priority)
        let risk = try XCTUnwrap(try schemaProperty("class", "risk")["default"] as? [String: Any])
        XCTAssertEqual(risk["auc"] as? Double, cls.risk.auc)
        XCTAssertEqual(try schemaProperty("lane", "trusted-only")["default"] as? Bool, lane.trustedOnly)
        let schema = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(ScenarioSchema.text.utf8)) as? [String: Any])
        let top = try XCTUnwrap(schema["properties"] as? [String: Any])
        let metrics = try XCTUnwrap((top["metrics"] as? [String: Any])?["properties"] as? [String: Any])
        let bin = try XCTUnwrap((metrics["series-bin"] as? [String: Any])?["default"] as? String)
        XCTAssertEqual(Units.duration(bin), s.config.metrics.seriesBin)
        // Required keys document no default.
        let auc = try XCTUnwrap((risk.isEmpty ? nil : try schemaProperty("class", "risk"))?["properties"] as? [String: Any])
        XCTAssertNil((auc["auc"] as? [String: Any])?["default"])
    }

    /// A range is stated once: the reader's message, the schema's bounds and the model check agree.
    func testTheAUCRangeIsOneDeclaration() throws {
        let range = RiskScoreModel.validAUC
        let risk = try XCTUnwrap(try schemaProperty("class", "risk")["properties"] as? [String: Any])
        let auc = try XCTUnwrap(risk["auc"] as? [String: Any])
        XCTAssertEqual(auc["exclusiveMinimum"] as? Double, range.lower)
        XCTAssertEqual(auc["exclusiveMaximum"] as? Double, range.upper)
        XCTAssertThrowsError(try Fixtures.parse(Self.text.replacingOccurrences(of: "kind: passenger-vehicle",
                                                                               with: "kind: passenger-vehicle\n    risk: {auc: 1}"))) {
            XCTAssertTrue("\($0)".contains("expected an AUC \(range.phrase), found 1"), "\($0)")
        }
        var config = try minimal().config
        config.classes[0].risk.auc = 1
        XCTAssertThrowsError(try PortSimulation(config: config, seed: 1, replication: 0)) {
            XCTAssertTrue("\($0)".contains(range.phrase), "\($0)")
        }
    }

    /// Variants (sweep points, compared plans, calibration trials) come from the document in
    /// memory: the file is read once and may even be gone.
    func testVariantsComeFromTheDocumentNotTheFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("grammar-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("s.yaml")
        try Self.text.write(to: file, atomically: true, encoding: .utf8)
        let document = try ScenarioDocument.open(file.path)
        try FileManager.default.removeItem(at: file)
        let base = try document.scenario()
        let more = try document.scenario(overrides: ["what-if.booths=2"])
        XCTAssertEqual(more.config.lanes[0].booths.maximum, 2 * base.config.lanes[0].booths.maximum)
        XCTAssertThrowsError(try document.scenario(overrides: ["lanes.nope.booths=2"]))
        XCTAssertEqual(try document.scenario().config.lanes[0].booths.maximum, base.config.lanes[0].booths.maximum,
                       "an override changes the variant, never the document")
    }

    /// `intelligence:` reads every kind of source, with the model's defaults where keys are absent.
    func testIntelligenceSourcesAreRead() throws {
        let text = Self.text.replacingOccurrences(of: "name: Minimal", with: "name: Minimal\nviolation-types: [narcotics, identity-fraud]") + """

            intelligence:
              api: {covers: [car], coverage: 70%, timeliness: 80%, auc: 0.82, auc-by-violation: {identity-fraud: 0.9},
                    agency: partner, shared: false}
              lookout: {kind: watchlist, hit-rate: {narcotics: 35%}, false-hit-rate: 0.2%, on-hit: {raise-score: 2}}
              gates: {kind: biometric, detects: identity-fraud, sensitivity: 85%, service-factor: 0.8}
            """
        let s = try Fixtures.parse(text)
        let sources = s.config.intelligence
        XCTAssertEqual(sources.map(\.name), ["api", "lookout", "gates"])
        XCTAssertEqual(sources[0].evidence, .score(auc: 0.82, aucByType: [nil, 0.9]))
        XCTAssertEqual([sources[0].coverage, sources[0].timeliness], [0.7, 0.8])
        XCTAssertFalse(sources[0].inUse, "a partner's source that is not shared is not used")
        XCTAssertEqual(sources[1].evidence, .watchlist(hitRate: [0.35, 0], falseHitRate: 0.002, onHit: .raiseScore(2)))
        XCTAssertEqual([sources[1].coverage, sources[1].timeliness], [1, 1], "defaults: everybody, in time")
        XCTAssertTrue(sources[1].inUse)
        XCTAssertEqual(sources[2].evidence, .biometric(detects: 1, sensitivity: 0.85, serviceFactor: 0.8))
        XCTAssertEqual(s.config.referralCauses, ["primary-officer", "random-selection", "risk-profile", "api", "lookout", "gates"])
        // A sharing agreement from the command line.
        XCTAssertTrue(try Fixtures.parse(text, overrides: ["intelligence.api.shared=true"]).config.intelligence[0].inUse)
    }

    /// The reference page of the format (scenarios/README.md) names every declared key, so a key
    /// added to the grammar cannot go undocumented.
    func testEveryDeclaredKeyIsDocumented() throws {
        let page = try String(contentsOf: Fixtures.repository.appendingPathComponent("scenarios/README.md"), encoding: .utf8)
        let records: [(String, [String])] = [
            ("top level", Grammar.scenario.keys), ("class", Grammar.trafficClass.keys), ("risk", Grammar.risk.keys),
            ("balking", Grammar.balking.keys), ("lane", Grammar.lane(classes: 0).keys),
            ("dynamic-opening", Grammar.dynamicOpening.keys), ("speed-up", Grammar.speedUp.keys),
            ("station", Grammar.station(violationTypes: 0).keys), ("downtime", Grammar.downtime.keys),
            ("staffing", Grammar.staffing.keys), ("rebalance", Grammar.rebalance.keys), ("targeting", Grammar.targeting.keys),
            ("rule", Grammar.rule.keys), ("congestion-aware", Grammar.congestionAware.keys), ("metrics", Grammar.metrics.keys),
            ("intelligence source", Grammar.intelligenceSource.keys),
        ]
        for (record, keys) in records {
            for key in keys {
                XCTAssertTrue(page.contains("`\(key)`") || page.contains("\(key):"), "scenarios/README.md does not document \(record).\(key)")
            }
        }
    }
}
