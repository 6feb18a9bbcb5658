import Crypto
import DrugCheckStore
import Foundation
import Hummingbird

/// Strong entity tags from the bytes of a representation, and the conditional GET that uses
/// them: a matching `If-None-Match` gets 304 with no body; without `If-None-Match`, an
/// `If-Modified-Since` no earlier than `lastModified` does too (RFC 9110 §13.2.2).
///
/// ```swift
/// return EntityTag.conditional(request, body: bytes, contentType: "application/json")
/// ```
enum EntityTag {
    static func of(_ data: Data) -> String {
        "\"" + HexDigest.string(SHA256.hash(data: data).prefix(16)) + "\""
    }

    static func conditional(_ request: Request, body: Data, contentType: String, lastModified: Date? = nil,
                            headers: HTTPFields = [:]) -> Response {
        conditional(request, body: ByteBuffer(bytes: body), tag: of(body), contentType: contentType, lastModified: lastModified, headers: headers)
    }

    /// The same with the tag computed once, for bodies kept in ``RenderedCache``.
    static func conditional(_ request: Request, body: ByteBuffer, tag: String, contentType: String, lastModified: Date? = nil,
                            headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.eTag] = tag
        if let lastModified { headers[.lastModified] = HTTPDate.string(lastModified) }
        let presented = request.headers[values: .ifNoneMatch].flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if !presented.isEmpty {
            // If-None-Match compares weakly (RFC 9110 §13.1.2): W/"x" matches "x".
            if presented.contains(where: { $0 == "*" || weak($0) == weak(tag) }) { return Response(status: .notModified, headers: headers) }
        } else if let lastModified, let since = request.headers[.ifModifiedSince].flatMap(HTTPDate.parse),
                  lastModified.timeIntervalSince1970.rounded(.down) <= since.timeIntervalSince1970 {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = contentType
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }

    /// The opaque part of a tag, without the weakness indicator.
    private static func weak(_ tag: String) -> Substring {
        tag.hasPrefix("W/") ? tag.dropFirst(2) : Substring(tag)
    }
}
