import Foundation
import Hummingbird

/// JSON responses: sorted keys (stable bytes for ETags and caches), ISO 8601 dates.
///
/// ```swift
/// return try JSONBody.response(report, status: .ok)
/// ```
enum JSONBody {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        data(try encoder.encode(value), contentType: "application/json", status: status, headers: headers)
    }

    static func data(_ data: Data, contentType: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Decodes a small JSON request body (within the general body limit).
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        try decode(type, from: try await BodyLimit.collect(request.body, limit: limit))
    }

    /// Decodes a body already collected; the errors name the member at fault.
    static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(buffer.readableBytesView))
        } catch let DecodingError.keyNotFound(key, _) {
            throw Problem(status: .badRequest, title: "Invalid body", detail: "missing member '\(key.stringValue)'")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let member = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw Problem(status: .badRequest, title: "Invalid body",
                          detail: member.isEmpty ? "expected a JSON object" : "member '\(member)' has the wrong type")
        } catch {
            throw Problem(status: .badRequest, title: "Invalid body", detail: "expected a JSON object")
        }
    }
}
