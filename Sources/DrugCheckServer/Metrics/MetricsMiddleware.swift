import Foundation
import Hummingbird

/// Counts every request and its latency by route template (`/v1/samples/:lab/:id`, never the
/// concrete path, so the number of series stays bounded).
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = DrugCheckRequestContext
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ProcessInfo.processInfo.systemUptime
        let response = try await next(request, context)
        metrics.recordRequest(method: request.method.rawValue, route: context.endpointPath ?? "unmatched",
                              status: response.status.code, seconds: ProcessInfo.processInfo.systemUptime - start)
        return response
    }
}
