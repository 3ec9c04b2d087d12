import FlyingFox
import Foundation

/// Request bodies are small JSON objects: anything larger is refused before it is read whole.
enum RequestBody {
    static let maxBytes = 16 * 1024

    /// The body as JSON settings, or a `BadRequest` (too large, malformed, wrong types).
    static func json(_ request: HTTPRequest) async throws -> [String: JSONInput] {
        if let declared = request.bodySequence.count, declared > maxBytes { throw TooLarge(bytes: declared) }
        var data = Data()
        for try await chunk in request.bodySequence {
            data.append(chunk)
            if data.count > maxBytes { throw TooLarge(bytes: data.count) }
        }
        return try JSONInput.object(from: data)
    }

    struct TooLarge: Error { var bytes: Int }
}

/// Every error answer is JSON with one message: `{"error": "…"}`.
enum Answer {
    static func json(_ value: some Encodable, status: HTTPStatusCode = .ok) -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .throw
        do {
            return HTTPResponse(statusCode: status, headers: headers("application/json"), body: try encoder.encode(value))
        } catch {
            return Answer.error(.internalServerError, "could not encode the answer: \(error)")
        }
    }

    static func error(_ status: HTTPStatusCode, _ message: String) -> HTTPResponse {
        struct Message: Encodable { var error: String }
        let body = (try? JSONEncoder().encode(Message(error: message))) ?? Data("{\"error\":\"?\"}".utf8)
        return HTTPResponse(statusCode: status, headers: headers("application/json"), body: body)
    }

    static func headers(_ type: String) -> HTTPHeaders {
        // The page and its data come from this server only; nothing is cached between runs.
        [.contentType: type, .cacheControl: "no-store", HTTPHeader("X-Content-Type-Options"): "nosniff"]
    }

    /// The error answer for anything a handler throws.
    static func failure(_ error: Error) -> HTTPResponse {
        switch error {
        case let bad as BadRequest: return Answer.error(.badRequest, bad.description)
        case let big as RequestBody.TooLarge:
            return Answer.error(.badRequest, "request body too large: \(big.bytes) bytes or more (at most \(RequestBody.maxBytes))")
        case is Superseded: return Answer.error(.conflict, "superseded by a newer request from the same page")
        case is Busy: return Answer.error(.serviceUnavailable, "too many requests waiting; try again")
        default: return Answer.error(.internalServerError, "\(error)")
        }
    }
}
