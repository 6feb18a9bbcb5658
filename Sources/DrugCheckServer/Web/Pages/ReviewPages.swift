import DrugCheckBulletins
import DrugCheckStore
import Foundation
import Hummingbird

/// The reviewers' pages: the bulletin queue (`/review`) and one bulletin (`/review/{id}`) with
/// its texts in the four languages side by side, its evidence, what changed since the last
/// published version, its trail, and approve / publish / cancel under the four-eyes rule of
/// `drugcheck bulletins` (the approver is never who drafted or edited the version).
struct ReviewPages {
    let database: ServerDatabase
    let configuration: BulletinConfiguration
    let renderer: PageRenderer

    func register(in routes: RouteCatalogue) {
        routes.page(.get, "/review", roles: [.reviewer], handler: queue)
        routes.page(.get, "/review/{id}", roles: [.reviewer], handler: show)
        routes.page(.post, "/review/{id}", roles: [.reviewer], handler: act)
    }

    @Sendable func queue(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let language = BulletinLanguage(rawValue: renderer.language(request, context)) ?? .en
        let (database, configuration) = (database, configuration)
        let rows = try await Blocking.run {
            let store = BulletinStore(reader: database.writer)
            return try store.bulletins().reversed().compactMap { bulletin -> BulletinRow? in
                guard let view = try BulletinView(bulletin, store: store, reviewer: true, configuration: configuration, languages: [language]) else { return nil }
                return BulletinRow(view.document, state: bulletin.state, flag: bulletin.reviewFlag, updated: bulletin.updatedAt)
            }
        }
        return try renderer.page("review-queue", title: "nav_review", data: [
            "pending": rows.filter { $0.state == .draft || $0.state == .approved || $0.flag != nil }.map(\.values),
            "done": rows.filter { $0.state == .published || $0.state == .cancelled }.prefix(50).map(\.values),
        ], request: request, context: context)
    }

    @Sendable func show(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        try await page(request, context, problem: nil, status: .ok)
    }

    private func page(_ request: Request, _ context: DrugCheckRequestContext, problem: String?, status: HTTPResponse.Status) async throws -> Response {
        guard let id = Int64(try context.parameters.require("id")) else { throw WebPageError.notFound("bulletin") }
        let (database, configuration) = (database, configuration)
        guard let review = try await Blocking.run({ try BulletinReview.load(id: id, database: database, configuration: configuration) }) else {
            throw WebPageError.notFound("bulletin \(id)")
        }
        var data = review.values
        data["problem"] = problem ?? ""
        return try renderer.page("review", title: "bulletin", data: data, request: request, context: context, status: status)
    }

    @Sendable func act(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let user = try context.caller.userName
        guard let id = Int64(try context.parameters.require("id")) else { throw WebPageError.notFound("bulletin") }
        let form = context.form ?? WebForm()
        let note = (form["note"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let (database, configuration) = (database, configuration)
        let action = form["action"] ?? ""
        guard ["approve", "publish", "cancel"].contains(action) else { throw WebPageError.badRequest("action must be approve, publish or cancel") }
        do {
            try await Blocking.run {
                let workflow = BulletinWorkflow(writer: database.writer, configuration: configuration)
                switch action {
                case "approve": try workflow.approve(id, by: user)
                case "publish": try workflow.publish(id, by: user)
                default: try workflow.cancel(id, by: user, note: note.isEmpty ? "Cancelled by the issuer." : note)
                }
            }
        } catch let error as BulletinWorkflowError {
            if case .notFound = error { throw WebPageError.notFound("bulletin \(id)") }
            let status: HTTPResponse.Status = if case .fourEyes = error { .forbidden } else { .conflict }
            return try await page(request, context, problem: error.description, status: status)
        }
        return PageRenderer.redirect(to: "/review/\(id)")
    }
}

/// A bulletin's line in the queue.
struct BulletinRow: Sendable {
    var id: Int64
    var state: BulletinState
    var headline: String
    var trigger: String
    var severity: String
    var flag: String?
    var updated: Date

    init(_ document: BulletinDocument, state: BulletinState, flag: String?, updated: Date) {
        id = document.bulletinID
        self.state = state
        headline = document.texts.first?.headline ?? document.identifier
        trigger = document.facts.trigger.rawValue
        severity = document.facts.severity.rawValue
        self.flag = flag
        self.updated = updated
    }

    var values: [String: Any] {
        ["id": id, "state": state.rawValue, "headline": headline, "trigger": trigger, "severity": severity,
         "flag": flag ?? "", "updated": PageFormat.dateTime(updated), "href": "/review/\(id)"]
    }
}
