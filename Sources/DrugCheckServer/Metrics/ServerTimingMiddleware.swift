import Foundation
import HTTPTypes
import Hummingbird

/// Adds `Server-Timing: app;dur=<ms>` to every page's answer (not the API's `/v1/` routes): the
/// time the server spent in the handler, rendering included, so that a browser's developer
/// tools or `drugcheck bench pages` read the server's share of a page load apart from the
/// network's.
///
/// ```
/// Server-Timing: app;dur=12.4
/// ```
struct ServerTimingMiddleware: RouterMiddleware {
    typealias Context = DrugCheckRequestContext
    static let header = HTTPField.Name("Server-Timing")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !request.uri.path.hasPrefix("/v1/") else { return try await next(request, context) }
        let start = ContinuousClock.now
        var response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) / 1e15
        response.headers[Self.header] = "app;dur=" + String(format: "%.1f", milliseconds)
        return response
    }
}
