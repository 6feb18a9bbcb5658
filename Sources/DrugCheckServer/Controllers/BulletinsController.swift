import DrugCheckAccess
import DrugCheckBulletins
import DrugCheckStore
import Foundation
import Hummingbird

/// `/v1/bulletins…`: early-warning bulletins for subscribers (the list, one bulletin as CAP 1.2,
/// JSON or HTML, the Atom feed with conditional GET) and their review for reviewers.
///
/// Subscribers and the ministry see what was published: the latest published message of each
/// bulletin that ever went out, never a pending draft. Reviewers and admins also see drafts
/// (as CAP `Draft` previews) and move bulletins through `draft → approved → published`, acting
/// as the token's user, so the four-eyes rule holds over HTTP as on the command line.
struct BulletinsController {
    let database: ServerDatabase
    let configuration: BulletinConfiguration
    let bodyLimit: Int
    let cache: RenderedCache

    static let readers: Set<Role> = [.subscriber, .ministry, .reviewer, .admin]
    static let reviewers: Set<Role> = [.reviewer, .admin]
    static let offered: [ContentNegotiation.Representation] = [.json, .cap, .html]

    func register(in routes: RouteCatalogue) {
        routes.add(.get, "/v1/bulletins", roles: Self.readers, handler: list)
        routes.add(.get, "/v1/bulletins/feed.atom", roles: Self.readers, handler: feed)
        routes.add(.get, "/v1/bulletins/{id}", roles: Self.readers, handler: show)
        routes.add(.post, "/v1/bulletins/{id}/approve", roles: Self.reviewers, handler: approve)
        routes.add(.post, "/v1/bulletins/{id}/publish", roles: Self.reviewers, handler: publish)
        routes.add(.post, "/v1/bulletins/{id}/cancel", roles: Self.reviewers, handler: cancel)
    }

    @Sendable func list(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let reviewer = Self.reviewers.contains(try context.caller.role)
        let query = request.uri.queryParameters
        let language = try Self.language(query["lang"].map(String.init)) ?? .en
        let state = try query["state"].map { text in
            guard let s = BulletinState(rawValue: String(text)) else {
                throw Problem.invalidParameter("state", expected: BulletinState.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return s
        }
        let (database, configuration) = (database, configuration)
        let items = try await Blocking.run { () -> [BulletinSummary] in
            let store = BulletinStore(reader: database.writer)
            return try store.bulletins().compactMap { bulletin in
                guard let view = try BulletinView(bulletin, store: store, reviewer: reviewer, configuration: configuration,
                                                  languages: [language]) else { return nil }
                return state == nil || view.state == state
                    ? BulletinSummary(view.document, state: view.state, reviewFlag: reviewer ? bulletin.reviewFlag : nil) : nil
            }
        }
        return try JSONBody.response(["bulletins": items])
    }

    @Sendable func show(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let reviewer = Self.reviewers.contains(try context.caller.role)
        let (segment, format) = try ContentNegotiation.choose(segment: try context.parameters.require("id"),
                                                              accept: request.headers[.accept], offered: Self.offered)
        let notFound = Problem.notFound("no such bulletin")
        guard let id = Int64(segment) else { throw notFound }
        let languages = try Self.language(request.uri.queryParameters["lang"].map(String.init)).map { [$0] } ?? BulletinLanguage.allCases
        let (database, configuration) = (database, configuration)
        let view = try await Blocking.run { () -> BulletinView? in
            let store = BulletinStore(reader: database.writer)
            guard let bulletin = try store.bulletin(id: id) else { return nil }
            return try BulletinView(bulletin, store: store, reviewer: reviewer, configuration: configuration, languages: languages)
        }
        guard let view else { throw notFound }
        let body = try BulletinFormat(format).render(view.document)
        return EntityTag.conditional(request, body: body, contentType: format.contentType, headers: [.vary: "Accept"])
    }

    /// The Atom feed of published bulletins. `Last-Modified` is the newest entry's time and the
    /// ETag covers the bytes, so a poller that sends either back gets 304 until something changes.
    @Sendable func feed(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let language = try Self.language(request.uri.queryParameters["lang"].map(String.init)) ?? .en
        let (database, configuration, key, version) = (database, configuration, "feed/\(language.rawValue)", context.dataVersion)
        let feed = try await cache.value(key, version: version) {
            let feed = try AtomFeedWriter(configuration: configuration, language: language).publishedFeed(store: BulletinStore(reader: database.writer))
            return (feed.body, feed.updated)
        }
        return EntityTag.conditional(request, body: feed.body, tag: feed.tag, contentType: BulletinFormat.atom.mediaType + "; charset=utf-8",
                                     lastModified: feed.lastModified, headers: [.cacheControl: "private, no-cache"])
    }

    @Sendable func approve(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        try await review(request, context) { workflow, id, user in try workflow.approve(id, by: user) }
    }

    @Sendable func publish(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        try await review(request, context) { workflow, id, user in try workflow.publish(id, by: user) }
    }

    /// Body (optional): `{"note": "why", "error": false}`; `error: true` sends CAP `Error` instead of `Cancel`.
    @Sendable func cancel(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        struct Reason: Decodable {
            var note: String?
            var error: Bool?
        }
        let body = try await BodyLimit.collect(request.body, limit: bodyLimit)
        let reason = body.readableBytes == 0 ? Reason() : try JSONBody.decode(Reason.self, from: body)
        return try await review(request, context) { workflow, id, user in
            try workflow.cancel(id, by: user, note: reason.note ?? "Cancelled by the issuer.", error: reason.error ?? false)
        }
    }

    /// Runs one review step as the caller and answers with the bulletin as it now stands.
    private func review(_ request: Request, _ context: DrugCheckRequestContext,
                        _ step: @escaping @Sendable (BulletinWorkflow, Int64, String) throws -> Void) async throws -> Response {
        let user = try context.caller.userName
        guard let id = Int64(try context.parameters.require("id")) else { throw Problem.notFound("no such bulletin") }
        let (database, configuration) = (database, configuration)
        do {
            let summary = try await Blocking.run { () -> BulletinSummary in
                try step(BulletinWorkflow(writer: database.writer, configuration: configuration), id, user)
                let store = BulletinStore(reader: database.writer)
                let bulletin = try store.bulletin(id: id)!
                let view = try BulletinView(bulletin, store: store, reviewer: true, configuration: configuration, languages: [.en])!
                return BulletinSummary(view.document, state: view.state)
            }
            return try JSONBody.response(summary)
        } catch let error as BulletinWorkflowError {
            switch error {
            case .notFound: throw Problem.notFound("no such bulletin")
            case .fourEyes: throw Problem(status: .forbidden, title: "Four-eyes rule", detail: error.description)
            case .invalidTransition, .noUser, .provisionalEvidence:
                throw Problem(status: .conflict, title: "Not possible in this state", detail: error.description)
            }
        }
    }

    static func language(_ text: String?) throws -> BulletinLanguage? {
        guard let text else { return nil }
        guard let language = BulletinLanguage(rawValue: text) else {
            throw Problem.invalidParameter("lang", expected: BulletinLanguage.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return language
    }
}

extension BulletinFormat {
    /// The bulletin format of a negotiated representation (`offered` holds only bulletin formats).
    init(_ representation: ContentNegotiation.Representation) {
        self = BulletinFormat(rawValue: representation.rawValue)!
    }
}
