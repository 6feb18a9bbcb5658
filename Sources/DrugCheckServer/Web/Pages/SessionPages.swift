import DrugCheckAccess
import DrugCheckStore
import Foundation
import Hummingbird

/// `/login`, `/logout`, the home page `/` (each role's own page) and `/assets/…`.
struct SessionPages {
    let access: AccessStore
    let sessions: WebSessions
    let renderer: PageRenderer
    let throttle = LoginThrottle()

    func register(in routes: RouteCatalogue) {
        routes.page(.get, "/", roles: []) { _, context in
            PageRenderer.redirect(to: context.principal.map { Navigation.home(for: $0.role) } ?? "/login")
        }
        routes.page(.get, "/login", roles: [], handler: showLogin)
        routes.page(.post, "/login", roles: [], handler: login)
        routes.page(.post, "/logout", roles: [], handler: logout)
        routes.page(.get, "/assets/{name}", roles: [], handler: asset)
    }

    @Sendable func showLogin(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        if let caller = context.principal { return PageRenderer.redirect(to: Navigation.home(for: caller.role)) }
        return try loginPage(request, context, error: nil, status: .ok)
    }

    private func loginPage(_ request: Request, _ context: DrugCheckRequestContext, error: String?, status: HTTPResponse.Status) throws -> Response {
        // The double-submit token for this form (there is no session yet to hold one).
        let token = request.cookies[WebSessions.anonymousCSRFCookie]?.value.description ?? WebSession.randomToken()
        var response = try renderer.page("login", title: "login", data: [
            "csrf": token, "next": Self.localPath(request.uri.queryParameters["next"].map(String.init)) ?? "",
            "error": error ?? "", "username": context.form?["username"] ?? "",
        ], request: request, context: context, status: status)
        response.setCookie(Cookie(name: WebSessions.anonymousCSRFCookie, value: token, path: "/", secure: true, httpOnly: true, sameSite: .strict))
        return response
    }

    @Sendable func login(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let form = context.form ?? WebForm()
        let name = (form["username"] ?? "").trimmingCharacters(in: .whitespaces)
        let address = context.remoteAddress ?? "unknown"
        guard !throttle.isBlocked(user: name, address: address) else { throw WebPageError.tooManyLogins }
        let access = access
        let account = try await Blocking.run { try access.account(named: name) }
        // Always one bcrypt check, so the time taken does not tell whether the name exists.
        let passwordOK = Passwords.verify(form["password"] ?? "", hash: account?.passwordHash ?? Passwords.decoy)
        guard let account, account.passwordHash != nil, passwordOK, !account.isDisabled,
              account.totpSecret.map({ SecondFactor.accepts(form["totp"] ?? "", secret: $0) }) ?? true else {
            throttle.recordFailure(user: name, address: address)
            let language = renderer.language(request, context)
            return try loginPage(request, context, error: renderer.texts.text("login_failed", language), status: .unauthorized)
        }
        // A new session id at every login (no session fixation); the one presented is dropped.
        if request.cookies[WebSessions.cookieName] != nil { _ = try? await sessions.storage.delete(request: request) }
        let cookie = try await sessions.storage.save(session: WebSession(userID: account.user.id, language: account.language),
                                                     expiresIn: sessions.lifetime)
        var response = PageRenderer.redirect(to: Self.localPath(form["next"]) ?? Navigation.home(for: account.user.role))
        response.setCookie(cookie)
        return response
    }

    @Sendable func logout(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        var response = PageRenderer.redirect(to: "/login")
        if context.webSession != nil, let expired = try? await sessions.storage.delete(request: request) {
            response.setCookie(expired)
        }
        return response
    }

    @Sendable func asset(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let types = ["css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8", "svg": "image/svg+xml"]
        guard let name = context.parameters.get("name"), !name.hasPrefix("."), !name.contains("/"),
              let type = types[(name as NSString).pathExtension],
              let url = Bundle.module.url(forResource: "Assets/\(name)", withExtension: nil),
              let data = try? Data(contentsOf: url) else {
            throw WebPageError.notFound(request.uri.path)
        }
        return Response(status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=3600"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A path on this site (never `//host` or a URL elsewhere), for redirects after login.
    static func localPath(_ path: String?) -> String? {
        guard let path, path.hasPrefix("/"), !path.hasPrefix("//"), !path.hasPrefix("/\\"), !path.contains("\r"), !path.contains("\n") else { return nil }
        return path
    }
}
