import DrugCheckStore
import Foundation
import Hummingbird

/// The audit trail (`/audit`): the newest entries of the tamper-evident log, filtered by date
/// or sample, with the head hash a report or bulletin can be checked against.
struct AuditPages {
    let database: ServerDatabase
    let renderer: PageRenderer

    func register(in routes: RouteCatalogue) {
        routes.page(.get, "/audit", roles: [.reviewer, .admin], handler: show)
    }

    @Sendable func show(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let sinceText = query["since"].map(String.init) ?? ""
        let since = CalendarDay.start(of: sinceText)
        let sampleText = query["sample"].map(String.init) ?? ""
        let parts = sampleText.split(separator: "/", maxSplits: 1).map(String.init)
        let sample = parts.count == 2 ? (lab: parts[0], id: parts[1]) : nil
        let log = AuditLog(reader: database.writer)
        let (entries, head) = try await Blocking.run { (try log.entries(since: since, sample: sample), try log.head()) }
        let rows: [[String: Any]] = entries.suffix(500).reversed().map { e in
            ["seq": e.sequence, "at": e.recordedAt, "actor": e.actor, "kind": e.kindText, "subject": e.subject,
             "details": String(e.details.prefix(300)), "hash": String(e.entrySHA256.prefix(16))]
        }
        return try renderer.page("audit", title: "nav_audit", data: [
            "entries": rows, "since": sinceText, "sample": sampleText, "head": head?.description ?? "", "total": entries.count,
        ], request: request, context: context)
    }
}

/// A `YYYY-MM-DD` day's start in UTC, for date filters.
enum CalendarDay {
    static func start(of text: String) -> Date? {
        try? Date(text + "T00:00:00Z", strategy: .iso8601)
    }
}
