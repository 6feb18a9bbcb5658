import DrugCheckAccess
import DrugCheckStore
import Foundation
import Hummingbird
import HummingbirdAuth

/// Resolves the session cookie to the caller, for requests that came without a bearer token.
/// A session whose user was disabled or removed is ignored (the browser is sent to log in), and
/// the session's expiry moves forward at most once an hour while it is used. Like the bearer
/// middleware it reads the data version for a signed-in caller, for pages kept in ``RenderedCache``.
struct WebSessionMiddleware: RouterMiddleware {
    typealias Context = DrugCheckRequestContext
    let sessions: WebSessions
    let access: AccessStore
    let probe: any ChangeProbe

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await withSession(request, context: context, next: next)
        // A language picked on a page (`?lang=`) stays for the following pages.
        if let language = request.uri.queryParameters["lang"].map(String.init), WebTexts.languages.contains(language) {
            response.setCookie(Cookie(name: "drugcheck_lang", value: language, path: "/", secure: true, httpOnly: true, sameSite: .lax))
        }
        return response
    }

    private func withSession(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.principal == nil, request.headers[.authorization] == nil,
              let session = try? await sessions.storage.load(request: request) else {
            return try await next(request, context)
        }
        let access = access
        guard let principal = try await Blocking.run({ try access.principal(userID: session.userID) }) else {
            return try await next(request, context)
        }
        var context = context
        context.principal = principal
        context.webSession = session
        context.dataVersion = try probe.version()
        // A language picked on a page becomes the user's setting (the next login, elsewhere, starts in it).
        if let language = request.uri.queryParameters["lang"].map(String.init), WebTexts.languages.contains(language) {
            try await Blocking.run { try access.setLanguage(language, userID: session.userID) }
        }
        guard Date().timeIntervalSince(session.refreshedAt) > 3600, let id = sessions.storage.getId(request: request) else {
            return try await next(request, context)
        }
        var refreshed = session
        refreshed.refreshedAt = Date()
        try await sessions.storage.update(session: refreshed, expiresIn: sessions.lifetime, request: request)
        var response = try await next(request, context)
        response.setCookie(sessions.cookie(id: id))   // the browser's copy lives as long as the server's
        return response
    }
}
