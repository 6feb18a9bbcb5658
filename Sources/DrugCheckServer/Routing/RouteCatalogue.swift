import DrugCheckAccess
import DrugCheckStore
import Hummingbird

/// One registered route, with its path written as in `Schemas/openapi.yaml` (`/v1/imports/{id}`).
public struct RegisteredRoute: Hashable, Sendable, CustomStringConvertible {
    public var method: String
    public var path: String
    /// Roles that get a 2xx; empty for public routes.
    public var roles: Set<Role>

    public var description: String { "\(method) \(path)" }
}

/// Registers routes on the router and remembers them, so that the OpenAPI contract test and the
/// role matrix test check exactly what the server serves.
///
/// ```swift
/// routes.add(.get, "/v1/imports/{id}", roles: [.lab, .admin]) { request, context in … }
/// ```
final class RouteCatalogue: @unchecked Sendable {
    typealias Handler = @Sendable (Request, DrugCheckRequestContext) async throws -> Response
    let router: Router<DrugCheckRequestContext>
    private(set) var routes: [RegisteredRoute] = []
    /// The web app's pages (HTML, `Schemas/web-pages.md`), apart from the API's routes.
    private(set) var pages: [RegisteredRoute] = []

    init(router: Router<DrugCheckRequestContext>) {
        self.router = router
    }

    /// Adds a route. For a protected route (`roles` not empty) the caller's role is checked
    /// before the handler runs: 401 without a token, 403 with another role.
    func add(_ method: HTTPRequest.Method, _ path: String, roles: Set<Role>, handler: @escaping Handler) {
        routes.append(RegisteredRoute(method: method.rawValue, path: path, roles: roles))
        let checked: Handler = { request, context in
            switch AccessPolicy.decide(context.principal, roles: roles) {
            case .allowed: return try await handler(request, context)
            case .unauthenticated: throw Problem.unauthorized
            case .forbidden(let role): throw Problem.forbidden(role)
            }
        }
        router.on(RouterPath(Self.hummingbirdPath(path)), method: method, use: checked)
        if method == .get {
            // HEAD is GET without the body (RFC 9110 §9.3.2).
            router.on(RouterPath(Self.hummingbirdPath(path)), method: .head) { request, context in
                var response = try await checked(request, context)
                response.body = ResponseBody()
                return response
            }
        }
    }

    /// Adds a web page. The same ``AccessPolicy`` as the API's: without a session the browser
    /// is sent to log in, with another role it gets the 403 page.
    func page(_ method: HTTPRequest.Method, _ path: String, roles: Set<Role>, handler: @escaping Handler) {
        pages.append(RegisteredRoute(method: method.rawValue, path: path, roles: roles))
        router.on(RouterPath(Self.hummingbirdPath(path)), method: method) { request, context in
            switch AccessPolicy.decide(context.principal, roles: roles) {
            case .allowed: return try await handler(request, context)
            case .unauthenticated: throw WebPageError.loginRequired(next: request.uri.description)
            case .forbidden: throw WebPageError.forbidden
            }
        }
    }

    /// Answers every other method on a known path with 405 and the `Allow` header (RFC 9110
    /// §15.5.6) instead of the router's 404. Call it once, after the last ``add(_:_:roles:handler:)``.
    func answerOtherMethods() {
        let methods: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete, .options, .trace] + [HTTPRequest.Method("QUERY")].compactMap { $0 }
        for (path, registered) in Dictionary(grouping: routes, by: \.path) {
            var allowed = Set(registered.map(\.method))
            if allowed.contains("GET") { allowed.insert("HEAD") }
            let allow = methods.map(\.rawValue).filter(allowed.contains).joined(separator: ", ")
            for method in methods where !allowed.contains(method.rawValue) {
                router.on(RouterPath(Self.hummingbirdPath(path)), method: method) { request, _ -> Response in
                    throw Problem(status: .methodNotAllowed, title: "Method not allowed",
                                  detail: "\(request.method.rawValue) \(path): allowed methods are \(allow)", headers: [.allow: allow])
                }
            }
        }
    }

    /// `/v1/imports/{id}` as Hummingbird writes it: `/v1/imports/:id`.
    private static func hummingbirdPath(_ path: String) -> String {
        path.split(separator: "/").map { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? ":" + segment.dropFirst().dropLast() : segment
        }.joined(separator: "/")
    }
}
