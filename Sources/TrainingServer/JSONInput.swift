import Foundation

/// A request body as JSON, typed exactly (true is not 1), to check it key by key.
indirect enum JSONInput: Codable, Equatable, Sendable {
    case null, bool(Bool), number(Double), string(String), array([JSONInput]), object([String: JSONInput])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONInput].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONInput].self)) }
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n): try c.encode(n)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// Parses a body: empty means `{}`; anything but an object is refused.
    static func object(from data: Data) throws -> [String: JSONInput] {
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return [:] }
        let value: JSONInput
        do { value = try JSONDecoder().decode(JSONInput.self, from: data) } catch {
            throw BadRequest("malformed JSON body: expected a JSON object such as {\"threshold\": 1.2}")
        }
        guard case .object(let o) = value else { throw BadRequest("expected a JSON object, found \(value.kind)") }
        return o
    }

    var kind: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return String(n)
        case .string(let s): return "\"\(s.prefix(40))\""
        case .array: return "a list"
        case .object: return "an object"
        }
    }
}
