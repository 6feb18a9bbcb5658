import DrugCheckStore
import Foundation
import Hummingbird

/// `GET /healthz` (public: is the database readable?) and `GET /metrics` (admin: Prometheus text).
struct OperationsController {
    let database: ServerDatabase
    let metrics: ServerMetrics

    func register(in routes: RouteCatalogue) {
        routes.add(.get, "/healthz", roles: [], handler: health)
        routes.add(.get, "/metrics", roles: [.admin], handler: prometheus)
    }

    @Sendable func health(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let database = database
        // Any cheap read proves the file is open and readable.
        guard (try? await Blocking.run { _ = try SampleTimeline(reader: database.writer).latestWeek() }) != nil else {
            throw Problem(status: .serviceUnavailable, title: "Unavailable", detail: "the database cannot be read")
        }
        return try JSONBody.response(["status": "ok"])
    }

    @Sendable func prometheus(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        JSONBody.data(Data(metrics.prometheusText().utf8), contentType: "text/plain; version=0.0.4; charset=utf-8")
    }
}
