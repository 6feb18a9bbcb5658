import DrugCheckBulletins
import DrugCheckModel
import DrugCheckStore
import Foundation
import Hummingbird

/// `/v1/admin/subscribers`: who receives bulletins by signed webhook, and what they want.
/// Admin only. A subscriber's signing secret is written, never read back.
struct SubscribersController {
    let database: ServerDatabase
    let bodyLimit: Int

    func register(in routes: RouteCatalogue) {
        routes.add(.get, "/v1/admin/subscribers", roles: [.admin], handler: list)
        routes.add(.post, "/v1/admin/subscribers", roles: [.admin], handler: add)
        routes.add(.delete, "/v1/admin/subscribers/{name}", roles: [.admin], handler: remove)
    }

    /// The body of `POST`: the same fields as `drugcheck subscribers add`.
    struct NewSubscriber: Decodable {
        var name: String
        var url: String
        var secret: String
        var format: Subscriber.Format?
        var classes: [ReportClass]?
        var regions: [String]?
        var minimumSeverity: CAPSeverity?
        var languages: [BulletinLanguage]?

        enum CodingKeys: String, CodingKey {
            case name, url, secret, format, classes, regions, minimumSeverity = "minimum_severity", languages
        }
    }

    struct SubscriberResource: Encodable {
        var id: Int64?
        var name: String
        var url: String
        var format: String
        var classes: [ReportClass]
        var regions: [String]
        var minimumSeverity: String
        var languages: [BulletinLanguage]

        enum CodingKeys: String, CodingKey {
            case id, name, url, format, classes, regions, minimumSeverity = "minimum_severity", languages
        }

        init(_ s: Subscriber) {
            id = s.id
            name = s.name
            url = s.url
            format = s.format.rawValue
            classes = s.classes
            regions = s.regions
            minimumSeverity = s.minimumSeverity.rawValue
            languages = s.languages
        }
    }

    @Sendable func list(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let database = database
        return try JSONBody.response(try await Blocking.run { try Subscribers(writer: database.writer).list() }.map(SubscriberResource.init))
    }

    @Sendable func add(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let new = try await JSONBody.decode(NewSubscriber.self, from: request, limit: bodyLimit)
        var subscriber = Subscriber(name: new.name, url: new.url, secret: new.secret, format: new.format ?? .cap,
                                    classes: new.classes ?? [], regions: new.regions ?? [],
                                    minimumSeverity: new.minimumSeverity ?? .unknown, languages: new.languages ?? [])
        let (database, actor) = (database, try context.caller.userName)
        do {
            subscriber.id = try await Blocking.run { [subscriber] in try Subscribers(writer: database.writer).add(subscriber, actor: actor) }
        } catch let error as Subscribers.InvalidSubscriber {
            let duplicate = error.description.contains("already exists")
            throw Problem(status: duplicate ? .conflict : .badRequest, title: duplicate ? "Already exists" : "Invalid body", detail: error.description)
        }
        return try JSONBody.response(SubscriberResource(subscriber), status: .created)
    }

    @Sendable func remove(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let name = try context.parameters.require("name")
        let (database, actor) = (database, try context.caller.userName)
        guard try await Blocking.run({ try Subscribers(writer: database.writer).remove(name: name, actor: actor) }) else {
            throw Problem.notFound("no subscriber named '\(name)'")
        }
        return Response(status: .noContent)
    }
}
