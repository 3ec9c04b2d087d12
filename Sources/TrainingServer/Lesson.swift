import Foundation

/// A lesson's step-by-step prompts (predict, run, discuss), kept beside its scenario as
/// NAME.lesson.json, so the scenario file stays a plain scenario. Read once at start, from the
/// scenario's own folder only.
struct Lesson: Codable, Sendable {
    struct Step: Codable, Sendable {
        /// predict | run | discuss
        var kind: String
        var text: String
        /// Settings the "Apply" button of a run step sets on the page (same keys as /api/run).
        var settings: [String: JSONInput]?
    }
    var title: String
    var goal: String
    var steps: [Step]

    /// NAME.lesson.json beside NAME.yaml, or nil when there is none.
    static func beside(scenario path: String) throws -> Lesson? {
        let url = URL(fileURLWithPath: path)
        let file = url.deletingPathExtension().appendingPathExtension("lesson.json")
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        guard let data = FileManager.default.contents(atPath: file.path) else { throw LessonError("\(file.path): could not read the file") }
        do { return try JSONDecoder().decode(Lesson.self, from: data) } catch let DecodingError.dataCorrupted(c) {
            throw LessonError("\(file.path): not valid JSON: \(c.underlyingError.map { "\($0)" } ?? c.debugDescription)")
        } catch DecodingError.keyNotFound(let key, let c) {
            throw LessonError("\(file.path): \((c.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: ".")): missing")
        } catch DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c) {
            throw LessonError("\(file.path): \(c.codingPath.map(\.stringValue).joined(separator: ".")): \(c.debugDescription)")
        }
    }

    /// The other lessons in the same folder (their scenario files), for the page to point to.
    static func siblings(of path: String) -> [String] {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".lesson.json") }
            .map { String($0.dropLast(".lesson.json".count)) + ".yaml" }
            .filter { $0 != url.lastPathComponent && names.contains($0) }
            .sorted()
            .map { (((path as NSString).deletingLastPathComponent) as NSString).appendingPathComponent($0) }
    }
}

struct LessonError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

