import Foundation
import HTTPTypes
import Hummingbird

/// Refuses a state-changing request made with a browser's cookies unless it carries the
/// form's CSRF token (`_csrf` field or `X-CSRF-Token` header): the session's token once logged
/// in, the `drugcheck_csrf` cookie's before. Bearer-token API calls are not concerned (a
/// browser never adds that header by itself). Reads the form once for the handler
/// (``DrugCheckRequestContext/form``) and removes its uploaded files afterwards.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = DrugCheckRequestContext
    let fieldLimit: Int
    let fileLimit: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let changing: Set<HTTPRequest.Method> = [.post, .put, .patch, .delete]
        guard changing.contains(request.method), request.headers[.authorization] == nil else {
            return try await next(request, context)
        }
        let expected: String
        if let session = context.webSession {
            expected = session.csrf
        } else if request.uri.path.hasPrefix("/v1/") {
            return try await next(request, context)   // an anonymous API call: the route answers 401
        } else {
            expected = request.cookies[WebSessions.anonymousCSRFCookie]?.value.description ?? ""
        }
        var context = context
        // A page's form is read either way: its handler needs the fields and files.
        if !request.uri.path.hasPrefix("/v1/") {
            context.form = try await WebForm.read(request, fieldLimit: fieldLimit, fileLimit: fileLimit)
        }
        let presented = request.headers[HTTPField.Name("X-CSRF-Token")!] ?? context.form?["_csrf"]
        defer { context.form?.removeFiles() }
        guard !expected.isEmpty, let presented, Self.same(presented, expected) else {
            throw WebPageError.csrf
        }
        return try await next(request, context)
    }

    /// Compares in time independent of where the strings differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
