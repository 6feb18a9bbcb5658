import DrugCheckAccess
import DrugCheckModel
import DrugCheckStore
import Foundation
import Hummingbird

/// `/v1/admin/…`: labs, API users and their bearer tokens. Admin only. A token's secret is in
/// the 201 answer that issues it and nowhere else.
struct AdminController {
    let access: AccessStore
    let bodyLimit: Int

    func register(in routes: RouteCatalogue) {
        routes.add(.get, "/v1/admin/labs", roles: [.admin], handler: listLabs)
        routes.add(.post, "/v1/admin/labs", roles: [.admin], handler: createLab)
        routes.add(.get, "/v1/admin/users", roles: [.admin], handler: listUsers)
        routes.add(.post, "/v1/admin/users", roles: [.admin], handler: createUser)
        routes.add(.get, "/v1/admin/users/{id}/tokens", roles: [.admin], handler: listTokens)
        routes.add(.post, "/v1/admin/users/{id}/tokens", roles: [.admin], handler: issueToken)
        routes.add(.delete, "/v1/admin/tokens/{id}", roles: [.admin], handler: revokeToken)
    }

    struct NewUser: Decodable {
        var name: String
        var role: Role
        var lab: String?
    }

    struct UserResource: Encodable {
        var id: Int64
        var name: String
        var role: Role
        var lab: String?
        var createdAt: Date

        enum CodingKeys: String, CodingKey { case id, name, role, lab, createdAt = "created_at" }

        init(_ u: APIUser) {
            id = u.id
            name = u.name
            role = u.role
            lab = u.labCode
            createdAt = u.createdAt
        }
    }

    struct TokenResource: Encodable {
        var id: Int64
        var userID: Int64
        var createdAt: Date
        var revokedAt: Date?
        var token: String?

        enum CodingKeys: String, CodingKey { case id, userID = "user_id", createdAt = "created_at", revokedAt = "revoked_at", token }

        init(_ t: TokenInfo, secret: String? = nil) {
            id = t.id
            userID = t.userID
            createdAt = t.createdAt
            revokedAt = t.revokedAt
            token = secret
        }
    }

    /// Refusals of the access store are the caller's to fix: 409 for duplicates, else 400.
    static func problem(_ error: AccessStoreError) -> Problem {
        switch error {
        case .duplicateLab, .duplicateUser: return Problem(status: .conflict, title: "Already exists", detail: error.description)
        case .unknownUser: return Problem.notFound(error.description)
        default: return Problem(status: .badRequest, title: "Invalid body", detail: error.description)
        }
    }

    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        do {
            return try await Blocking.run(work)
        } catch let error as AccessStoreError {
            throw Self.problem(error)
        }
    }

    @Sendable func listLabs(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let access = access
        return try JSONBody.response(try await run { try access.labs() })
    }

    @Sendable func createLab(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let lab = try await JSONBody.decode(Lab.self, from: request, limit: bodyLimit)
        let (access, actor) = (access, try context.caller.userName)
        try await run { try access.createLab(lab, actor: actor) }
        return try JSONBody.response(lab, status: .created, headers: [.location: "/v1/admin/labs"])
    }

    @Sendable func listUsers(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let access = access
        return try JSONBody.response(try await run { try access.users() }.map(UserResource.init))
    }

    @Sendable func createUser(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let new = try await JSONBody.decode(NewUser.self, from: request, limit: bodyLimit)
        let (access, actor) = (access, try context.caller.userName)
        let user = try await run { try access.createUser(name: new.name, role: new.role, labCode: new.lab, actor: actor) }
        return try JSONBody.response(UserResource(user), status: .created)
    }

    @Sendable func listTokens(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let access = access
        guard try await run({ try access.user(id: id) }) != nil else { throw Self.problem(.unknownUser(id)) }
        return try JSONBody.response(try await run { try access.tokens(userID: id) }.map { TokenResource($0) })
    }

    @Sendable func issueToken(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let (access, actor) = (access, try context.caller.userName)
        let issued = try await run { try access.issueToken(userID: id, actor: actor) }
        return try JSONBody.response(TokenResource(issued.info, secret: issued.secret), status: .created,
                                     headers: [.cacheControl: "no-store"])
    }

    @Sendable func revokeToken(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let (access, actor) = (access, try context.caller.userName)
        guard try await run({ try access.revokeToken(id: id, actor: actor) }) else { throw Problem.notFound("no live token \(id)") }
        return Response(status: .noContent)
    }
}
