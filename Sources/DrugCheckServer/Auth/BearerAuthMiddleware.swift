import DrugCheckAccess
import Foundation
import DrugCheckStore
import Hummingbird

/// Resolves `Authorization: Bearer …` to the caller. No header leaves the request anonymous
/// (public routes such as `/healthz` still answer; the others refuse with 401); a header with
/// an unknown or revoked token is refused at once with 401.
///
/// It also reads the database's data version once per request, for ``PrincipalCache`` and
/// ``RenderedCache``. That read stays on the event loop: it is a shared-memory lookup taking
/// microseconds, and a hop to a blocking thread cost more than the work it saved.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = DrugCheckRequestContext
    let access: AccessStore
    let probe: any ChangeProbe
    let cache: PrincipalCache

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw Problem.unauthorized }
        let secret = String(parts[1]).trimmingCharacters(in: .whitespaces)
        var context = context
        context.dataVersion = try probe.version()
        let (hash, version) = (BearerSecret.hash(secret), context.dataVersion)
        if let known = cache.principal(hash: hash, version: version) {
            context.principal = known
        } else {
            let access = access
            guard let found = try await Blocking.run({ try access.authenticate(secret) }) else { throw Problem.unauthorized }
            cache.store(found, hash: hash, version: version)
            context.principal = found
        }
        return try await next(request, context)
    }
}
