import Crypto
import Foundation
import Hummingbird

/// Strong entity tags from the bytes of a representation, and the conditional GET that uses
/// them: a matching `If-None-Match` gets 304 with no body.
///
/// ```swift
/// return EntityTag.conditional(request, body: bytes, contentType: "application/json")
/// ```
enum EntityTag {
    static func of(_ data: Data) -> String {
        "\"" + SHA256.hash(data: data).prefix(16).map { String(format: "%02x", $0) }.joined() + "\""
    }

    static func conditional(_ request: Request, body: Data, contentType: String, headers: HTTPFields = [:]) -> Response {
        let tag = of(body)
        var headers = headers
        headers[.eTag] = tag
        let presented = request.headers[values: .ifNoneMatch].flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if presented.contains(tag) || presented.contains("*") {
            return Response(status: .notModified, headers: headers)
        }
        return JSONBody.data(body, contentType: contentType, headers: headers)
    }
}
