import Foundation
import XCTest
@testable import Scenarios

/// The JSON Schema stays in step with the loader: same keys, same names. (Validation of files
/// against it is checked with Python's jsonschema: `check_schema.py`, run by `make test`.)
final class SchemaTests: XCTestCase {
    func json() throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(ScenarioSchema.text.utf8)) as? [String: Any])
    }

    func keys(_ object: Any?) -> [String] { ((object as? [String: Any])?["properties"] as? [String: Any])?.keys.sorted() ?? [] }

    func testSchemaIsJSONWithTheLoadersKeys() throws {
        let schema = try json()
        XCTAssertEqual(schema["$schema"] as? String, "https://json-schema.org/draft/2020-12/schema")
        XCTAssertEqual(schema["additionalProperties"] as? Bool, false)
        XCTAssertEqual(keys(schema), ScenarioReader.topKeys.sorted())
        let defs = try XCTUnwrap(schema["$defs"] as? [String: Any])
        XCTAssertEqual(keys(defs["class"]), Grammar.trafficClass.keys.sorted())
        XCTAssertEqual(keys(defs["lane"]), Grammar.lane(classes: 0).keys.sorted())
        XCTAssertEqual(keys(defs["station"]), Grammar.station(violationTypes: 0).keys.sorted())
        for name in DistributionReader.continuousNames {
            XCTAssertNotNil(defs["duration-distribution-\(name)"], name)
            XCTAssertNotNil(defs["count-distribution-\(name)"], name)
        }
        for name in DistributionReader.countNames {
            XCTAssertNil(defs["duration-distribution-\(name)"], name)
            XCTAssertNotNil(defs["count-distribution-\(name)"], name)
        }
        // Every reference resolves.
        let text = ScenarioSchema.text
        let refs = try NSRegularExpression(pattern: ##""\$ref": "#/\$defs/([^"]+)""##)
        let names = refs.matches(in: text, range: NSRange(text.startIndex..., in: text)).map {
            String(text[Range($0.range(at: 1), in: text)!])
        }
        XCTAssertFalse(names.isEmpty)
        for name in Set(names) { XCTAssertNotNil(defs[name], "dangling $ref \(name)") }
    }

    /// The unit patterns accept what Units accepts, on a sample of spellings.
    func testUnitPatternsAgreeWithUnits() throws {
        func matches(_ pattern: String, _ text: String) -> Bool {
            text.range(of: pattern, options: .regularExpression) != nil
        }
        let duration = ScenarioSchema.durationPattern(ScenarioSchema.positive)
        let rate = ScenarioSchema.ratePattern(ScenarioSchema.positive)
        for text in ["45s", "8 min", "2h", "1d", "90", "1.5 Hours", "0.5s", ".5 min", "3 weeks", "0s", "-5s", "1e2s", "60/h", "2 min s"] {
            let v = Units.duration(text)
            XCTAssertEqual(matches(duration, text), v != nil && v! > 0, text)
        }
        for text in ["120/h", "3/min", "120", "48 /d", "10 / hour", "0/h", "-3/h", "2 min", "120 per hour", "0.01/s"] {
            let v = Units.rate(text)
            XCTAssertEqual(matches(rate, text), v != nil && v! > 0, text)
        }
    }
}
