import DrugCheckAccess
import DrugCheckStore
import Foundation
import Hummingbird

/// An RFC 9457 problem: the only shape in which the API reports errors. Its text is written for
/// the caller and never carries internal details (paths, SQL, stack traces).
///
/// ```swift
/// throw Problem(status: .badRequest, title: "Invalid parameter", detail: "week: expected an ISO week such as 2026-W47")
/// ```
public struct Problem: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var title: String
    public var detail: String?
    /// Extra members of the problem object (RFC 9457 §3.2), already JSON values.
    public var extensions: [String: JSONValue]
    public var headers: HTTPFields

    public init(status: HTTPResponse.Status, title: String, detail: String? = nil,
                extensions: [String: JSONValue] = [:], headers: HTTPFields = [:]) {
        self.status = status
        self.title = title
        self.detail = detail
        self.extensions = extensions
        self.headers = headers
    }

    /// Problem types are documented in `Schemas/openapi.yaml`; `about:blank` means "see the status".
    var document: [String: JSONValue] {
        var body = extensions
        body["type"] = .string("about:blank")
        body["title"] = .string(title)
        body["status"] = .number(Double(status.code))
        if let detail { body["detail"] = .string(detail) }
        return body
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = headers
        headers[.contentType] = "application/problem+json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: JSONValue.object(document).encoded())))
    }

    static let unauthorized = Problem(status: .unauthorized, title: "Authentication required",
                                      detail: "send a valid bearer token: Authorization: Bearer dct_…",
                                      headers: [.wwwAuthenticate: "Bearer realm=\"drugcheck\""])

    static func forbidden(_ role: Role) -> Problem {
        Problem(status: .forbidden, title: "Forbidden", detail: "a \(role.rawValue) token may not use this resource")
    }

    static func notFound(_ what: String) -> Problem {
        Problem(status: .notFound, title: "Not found", detail: what)
    }

    static func invalidParameter(_ name: String, expected: String) -> Problem {
        Problem(status: .badRequest, title: "Invalid parameter", detail: "\(name): expected \(expected)")
    }
}
