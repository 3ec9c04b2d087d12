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
}
