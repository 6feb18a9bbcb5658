import Hummingbird

/// Refuses a request whose declared `Content-Length` is over its route's limit before reading
/// any of it (uploads to `POST /v1/imports` and the lab pages' upload forms get the large limit). Bodies without a length are
/// counted as they are read by `BodyLimit`.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = DrugCheckRequestContext
    let importLimit: Int
    let generalLimit: Int
    static let uploads: Set<String> = ["/v1/imports", "/lab/upload", "/lab/register"]

    func limit(for request: Request) -> Int {
        request.method == .post && Self.uploads.contains(request.uri.path) ? importLimit : generalLimit
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit(for: request) {
            throw BodyLimit.tooLarge(limit(for: request))
        }
        return try await next(request, context)
    }
}
