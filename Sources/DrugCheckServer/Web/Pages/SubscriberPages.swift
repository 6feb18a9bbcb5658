import DrugCheckBulletins
import DrugCheckModel
import DrugCheckStore
import Foundation
import Hummingbird

/// A subscriber's own webhooks (`/subscriber`): add one (https address, signing secret,
/// format), change what it receives (classes, regions, minimum severity, languages), remove
/// it. Only the caller's own subscriptions are listed or changed; addresses are checked by the
/// same policy as everywhere (no internal addresses).
struct SubscriberPages {
    let database: ServerDatabase
    let renderer: PageRenderer

    func register(in routes: RouteCatalogue) {
        routes.page(.get, "/subscriber", roles: [.subscriber], handler: show)
        routes.page(.post, "/subscriber", roles: [.subscriber], handler: add)
        routes.page(.post, "/subscriber/{name}", roles: [.subscriber], handler: update)
        routes.page(.post, "/subscriber/{name}/remove", roles: [.subscriber], handler: remove)
    }

    static func describe(_ s: Subscriber) -> String {
        [s.classes.isEmpty ? "all classes" : s.classes.map(\.rawValue).joined(separator: ", "),
         s.regions.isEmpty ? "everywhere" : s.regions.joined(separator: ", "),
         "≥ \(s.minimumSeverity.rawValue)",
         s.languages.isEmpty ? "en nl fr de" : s.languages.map(\.rawValue).joined(separator: " ")].joined(separator: " · ")
    }

    @Sendable func show(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        try await page(request, context, problem: nil, status: .ok)
    }

    private func page(_ request: Request, _ context: DrugCheckRequestContext, problem: String?, status: HTTPResponse.Status) async throws -> Response {
        let owner = try context.caller.userName
        let database = database
        let mine = try await Blocking.run { try Subscribers(writer: database.writer).list(owner: owner) }
        return try renderer.page("subscriber", title: "nav_webhooks", data: [
            "problem": problem ?? "", "done": request.uri.queryParameters["done"].map(String.init) ?? "",
            "subscriptions": mine.map { s -> [String: Any] in
                ["name": s.name, "url": s.url, "format": s.format.rawValue, "filters": Self.describe(s), "path": SamplePages.escape(s.name),
                 "regions": s.regions.joined(separator: " "),
                 "classes": ReportClass.allCases.map { c in ["value": c.rawValue, "checked": s.classes.contains(c)] as [String: Any] },
                 "severities": CAPSeverity.allCases.map { v in ["value": v.rawValue, "selected": v == s.minimumSeverity] as [String: Any] },
                 "languages": BulletinLanguage.allCases.map { l in ["value": l.rawValue, "checked": s.languages.contains(l)] as [String: Any] }]
            },
            "classes": ReportClass.allCases.map(\.rawValue),
            "severities": CAPSeverity.allCases.map(\.rawValue),
        ], request: request, context: context, status: status)
    }

    private struct Filters {
        var classes: [ReportClass]
        var regions: [String]
        var severity: CAPSeverity
        var languages: [BulletinLanguage]

        init(_ form: WebForm) {
            classes = (form.fields["class"] ?? []).compactMap(ReportClass.init(rawValue:))
            regions = (form["regions"] ?? "").split(whereSeparator: { $0 == " " || $0 == "," }).map { $0.uppercased() }
            severity = CAPSeverity(rawValue: form["severity"] ?? "") ?? .unknown
            languages = (form.fields["language"] ?? []).compactMap(BulletinLanguage.init(rawValue:))
        }
    }

    /// Runs a change; a refused address, name or region is shown on the page and nothing changes.
    private func change(_ request: Request, _ context: DrugCheckRequestContext, done: String,
                        _ work: @escaping @Sendable (Subscribers, String) throws -> Void) async throws -> Response {
        let owner = try context.caller.userName
        let database = database
        do {
            try await Blocking.run { try work(Subscribers(writer: database.writer), owner) }
        } catch let refused as Subscribers.InvalidSubscriber {
            return try await page(request, context, problem: refused.description, status: .unprocessableContent)
        }
        return PageRenderer.redirect(to: "/subscriber?done=\(SamplePages.escape(done))")
    }

    /// The caller's own subscription by name, or 404: another subscriber's is not the caller's business.
    private static func own(_ name: String, _ subscribers: Subscribers, _ owner: String) throws {
        guard try subscribers.list(owner: owner).contains(where: { $0.name == name }) else { throw WebPageError.notFound("webhook \(name)") }
    }

    @Sendable func add(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let form = context.form ?? WebForm()
        let filters = Filters(form)
        let name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
        let subscriber = Subscriber(name: name, url: form["url"] ?? "", secret: form["secret"] ?? "",
                                    format: Subscriber.Format(rawValue: form["format"] ?? "") ?? .cap, classes: filters.classes,
                                    regions: filters.regions, minimumSeverity: filters.severity, languages: filters.languages)
        return try await change(request, context, done: "\(name) added") { subscribers, owner in
            var mine = subscriber
            mine.owner = owner
            try subscribers.add(mine, actor: "web:\(owner)")
        }
    }

    @Sendable func update(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let name = try context.parameters.require("name")
        let filters = Filters(context.form ?? WebForm())
        return try await change(request, context, done: "\(name) updated") { subscribers, owner in
            try Self.own(name, subscribers, owner)
            try subscribers.setFilters(name: name, classes: filters.classes, regions: filters.regions, minimumSeverity: filters.severity,
                                       languages: filters.languages, actor: "web:\(owner)")
        }
    }

    @Sendable func remove(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let name = try context.parameters.require("name")
        return try await change(request, context, done: "\(name) removed") { subscribers, owner in
            try Self.own(name, subscribers, owner)
            try subscribers.remove(name: name, actor: "web:\(owner)")
        }
    }
}
