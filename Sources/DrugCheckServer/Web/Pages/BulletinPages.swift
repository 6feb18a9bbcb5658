import DrugCheckBulletins
import DrugCheckModel
import DrugCheckStore
import Foundation
import Hummingbird

/// Published bulletins for everyone (`/bulletins`, `/bulletins/{id}`, `/bulletins/feed.atom`):
/// the latest published message of each bulletin that went out, in the page's language, with
/// filters by class and region. Drafts never show here (reviewers see them under `/review`).
struct BulletinPages {
    let database: ServerDatabase
    let configuration: BulletinConfiguration
    let renderer: PageRenderer

    func register(in routes: RouteCatalogue) {
        routes.page(.get, "/bulletins", roles: [], handler: list)
        routes.page(.get, "/bulletins/feed.atom", roles: [], handler: feed)
        routes.page(.get, "/bulletins/{id}", roles: [], handler: show)
    }

    private func published(_ language: BulletinLanguage) async throws -> [BulletinDocument] {
        let (database, configuration) = (database, configuration)
        return try await Blocking.run {
            let store = BulletinStore(reader: database.writer)
            return try store.bulletins().reversed().compactMap {
                try BulletinView($0, store: store, reviewer: false, configuration: configuration, languages: [language])?.document
            }
        }
    }

    @Sendable func list(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let language = BulletinLanguage(rawValue: renderer.language(request, context)) ?? .en
        let query = request.uri.queryParameters
        let reportClass = query["class"].flatMap { ReportClass(rawValue: String($0)) }
        let region = query["region"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let documents = try await published(language).filter { d in
            (reportClass.map { d.facts.classes.contains($0) } ?? true) && (region.map { r in d.facts.regions.contains { $0.hasPrefix(r) } } ?? true)
        }
        return try renderer.page("bulletins", title: "nav_bulletins", data: [
            "bulletins": documents.map { Self.values($0) }, "empty": documents.isEmpty,
            "classes": SamplePages.options(ReportClass.allCases.map(\.rawValue), selected: reportClass?.rawValue),
            "region": region ?? "", "feed": "/bulletins/feed.atom?lang=\(language.rawValue)",
        ], request: request, context: context)
    }

    @Sendable func show(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let language = BulletinLanguage(rawValue: renderer.language(request, context)) ?? .en
        guard let id = Int64(try context.parameters.require("id")),
              let document = try await published(language).first(where: { $0.bulletinID == id }) else {
            throw WebPageError.notFound("bulletin")
        }
        return try renderer.page("bulletin", title: "bulletin", data: Self.values(document), request: request, context: context)
    }

    @Sendable func feed(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let language = BulletinLanguage(rawValue: request.uri.queryParameters["lang"].map(String.init) ?? "en") ?? .en
        let (database, configuration) = (database, configuration)
        let feed = try await Blocking.run {
            try AtomFeedWriter(configuration: configuration, language: language).publishedFeed(store: BulletinStore(reader: database.writer))
        }
        return Response(status: .ok, headers: [.contentType: BulletinFormat.atom.mediaType + "; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: feed.body)))
    }

    static func values(_ d: BulletinDocument) -> [String: Any] {
        let text = d.texts.first
        var values: [String: Any] = [
            "id": d.bulletinID, "href": "/bulletins/\(d.bulletinID)", "headline": text?.headline ?? d.identifier,
            "event": text?.event ?? "", "description": text?.description ?? "", "instruction": text?.instruction ?? "",
            "area": text?.areaDescription ?? "", "sent": PageFormat.dateTime(d.sent), "severity": d.facts.severity.rawValue,
            "cancelled": d.state == .cancelled, "type": d.messageType.rawValue, "version": d.version,
            "languages": BulletinLanguage.allCases.map { ["code": $0.rawValue, "href": "/bulletins/\(d.bulletinID)?lang=\($0.rawValue)"] },
            "audit_head": d.auditHead ?? "",
        ]
        if let provisional = d.facts.provisionalSamples, provisional > 0 { values["provisional"] = provisional }
        return values
    }
}
