import Foundation
import DrugCheckStore
import Hummingbird

/// Resolves `Authorization: Bearer …` to the caller. No header leaves the request anonymous
/// (public routes such as `/healthz` still answer; the others refuse with 401); a header with
/// an unknown or revoked token is refused at once with 401.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = DrugCheckRequestContext
    let access: AccessStore
    let cache: PrincipalCache

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw Problem.unauthorized }
        let secret = String(parts[1]).trimmingCharacters(in: .whitespaces)
        let (access, cache) = (access, cache)
        guard let principal = try await Blocking.run({ try cache.principal(for: secret, lookup: access.authenticate) }) else {
            throw Problem.unauthorized
        }
        var context = context
        context.principal = principal
        return try await next(request, context)
    }
}
