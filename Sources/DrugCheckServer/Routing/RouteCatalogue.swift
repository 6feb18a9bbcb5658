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

    init(router: Router<DrugCheckRequestContext>) {
        self.router = router
    }

    /// Adds a route. For a protected route (`roles` not empty) the caller's role is checked
    /// before the handler runs: 401 without a token, 403 with another role.
    func add(_ method: HTTPRequest.Method, _ path: String, roles: Set<Role>, handler: @escaping Handler) {
        routes.append(RegisteredRoute(method: method.rawValue, path: path, roles: roles))
        let hummingbirdPath = path.split(separator: "/").map { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? ":" + segment.dropFirst().dropLast() : segment
        }.joined(separator: "/")
        router.on(RouterPath(hummingbirdPath), method: method) { request, context in
            if !roles.isEmpty {
                guard let principal = context.principal else { throw Problem.unauthorized }
                guard roles.contains(principal.role) else { throw Problem.forbidden(principal.role) }
            }
            return try await handler(request, context)
        }
    }
}
