import Hummingbird

/// Applies the per-caller rate limit: per token when authenticated, else per peer address.
/// Over the limit is a 429 problem with `Retry-After`.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = DrugCheckRequestContext
    let limiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let key = context.principal.map { "user:\($0.userID)" } ?? "peer:\(context.remoteAddress ?? "unknown")"
        if case .limited(let retryAfter) = limiter.take(key) {
            throw Problem(status: .tooManyRequests, title: "Too many requests",
                          detail: "the limit is \(Int(limiter.perSecond)) requests per second; retry after \(retryAfter) s",
                          headers: [.retryAfter: String(retryAfter)])
        }
        return try await next(request, context)
    }
}
