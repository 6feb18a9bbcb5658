import DrugCheckAccess
import DrugCheckBulletins
import DrugCheckImport
import DrugCheckModel
import DrugCheckStore
import Foundation
import Hummingbird

/// The administrator's page (`/admin`): users (add with a password, disable), labs, API tokens
/// (issue, shown once; revoke), webhook subscribers (remove) and the drop folder's state. Every
/// change goes through the same store calls as the CLI and the API, so it is audited the same way.
struct AdminPages {
    let access: AccessStore
    let database: ServerDatabase
    let dropFolder: String?
    let renderer: PageRenderer

    func register(in routes: RouteCatalogue) {
        routes.page(.get, "/admin", roles: [.admin], handler: show)
        routes.page(.post, "/admin/users", roles: [.admin], handler: addUser)
        routes.page(.post, "/admin/users/{name}/disable", roles: [.admin], handler: disableUser)
        routes.page(.post, "/admin/users/{name}/tokens", roles: [.admin], handler: issueToken)
        routes.page(.post, "/admin/tokens/{id}/revoke", roles: [.admin], handler: revokeToken)
        routes.page(.post, "/admin/labs", roles: [.admin], handler: addLab)
        routes.page(.post, "/admin/subscribers/{name}/remove", roles: [.admin], handler: removeSubscriber)
    }

    @Sendable func show(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        try await page(request, context, notice: request.uri.queryParameters["done"].map(String.init), problem: nil, secret: nil, status: .ok)
    }

    private func page(_ request: Request, _ context: DrugCheckRequestContext, notice: String?, problem: String?, secret: String?,
                      status: HTTPResponse.Status) async throws -> Response {
        let (access, database, dropFolder) = (access, database, dropFolder)
        let state = try await Blocking.run { () -> AdminState in
            let accounts = try access.accounts()
            return AdminState(accounts: accounts, tokens: try accounts.flatMap { try access.tokens(userID: $0.user.id).map { ($0, $0.userID) } },
                              labs: try access.labs(), subscribers: try Subscribers(writer: database.writer).list(),
                              drop: try dropFolder.map { try DropFolderState(path: $0, database: database) })
        }
        let names = Dictionary(uniqueKeysWithValues: state.accounts.map { ($0.user.id, $0.user.name) })
        return try renderer.page("admin", title: "nav_admin", data: [
            "notice": notice ?? "", "problem": problem ?? "", "secret": secret ?? "",
            "users": state.accounts.map { a -> [String: Any] in
                ["name": a.user.name, "role": a.user.role.rawValue, "lab": a.user.labCode ?? "", "disabled": a.isDisabled,
                 "login": a.passwordHash == nil ? "token" : a.totpSecret == nil ? "password" : "password + TOTP",
                 "path": SamplePages.escape(a.user.name)]
            },
            "roles": Role.allCases.map(\.rawValue),
            "tokens": state.tokens.map { token, user -> [String: Any] in
                ["id": token.id, "user": names[user] ?? String(user), "created": PageFormat.dateTime(token.createdAt),
                 "revoked": token.revokedAt.map(PageFormat.dateTime) ?? ""]
            },
            "labs": state.labs.map { ["code": $0.code, "name": $0.name, "country": $0.country] },
            "subscribers": state.subscribers.map { s -> [String: Any] in
                ["name": s.name, "url": s.url, "format": s.format.rawValue, "owner": s.owner ?? "", "path": SamplePages.escape(s.name),
                 "filters": SubscriberPages.describe(s)]
            },
            "drop": state.drop.map { d -> [String: Any] in
                ["path": d.path, "waiting": d.waiting, "processed": d.processed, "rejected": d.rejected, "recent_rejected": d.recentRejected]
            } ?? [:],
            "no_drop": state.drop == nil,
        ], request: request, context: context, status: status)
    }

    /// Runs a change as the caller; a refusal (bad name, duplicate…) is shown on the page, nothing changed.
    private func change(_ request: Request, _ context: DrugCheckRequestContext, done: String,
                        _ work: @escaping @Sendable (String) throws -> String?) async throws -> Response {
        let actor = "web:" + (try context.caller.userName)
        do {
            if let secret = try await Blocking.run({ try work(actor) }) {
                return try await page(request, context, notice: done, problem: nil, secret: secret, status: .ok)
            }
        } catch let refused as AccessStoreError {
            return try await page(request, context, notice: nil, problem: refused.description, secret: nil, status: .unprocessableContent)
        } catch let refused as Passwords.Refused {
            return try await page(request, context, notice: nil, problem: refused.description, secret: nil, status: .unprocessableContent)
        }
        return PageRenderer.redirect(to: "/admin?done=\(SamplePages.escape(done))")
    }

    @Sendable func addUser(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let form = context.form ?? WebForm()
        let name = (form["username"] ?? "").trimmingCharacters(in: .whitespaces)
        guard let role = Role(rawValue: form["role"] ?? "") else { throw WebPageError.badRequest("role: expected one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))") }
        let lab = (form["lab"] ?? "").trimmingCharacters(in: .whitespaces)
        let password = form["password"] ?? ""
        let access = access
        return try await change(request, context, done: "user \(name) added") { actor in
            let hash = try Passwords.hash(password)
            let user = try access.createUser(name: name, role: role, labCode: lab.isEmpty ? nil : lab, actor: actor)
            try access.setPasswordHash(hash, userName: user.name, actor: actor)
            return nil
        }
    }

    @Sendable func disableUser(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let name = try context.parameters.require("name")
        let access = access
        return try await change(request, context, done: "user \(name) disabled") { actor in try access.disable(userName: name, actor: actor); return nil }
    }

    @Sendable func issueToken(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let name = try context.parameters.require("name")
        let access = access
        return try await change(request, context, done: "token issued for \(name)") { actor in
            guard let account = try access.account(named: name) else { throw AccessStoreError.unknownUserName(name) }
            return try access.issueToken(userID: account.user.id, actor: actor).secret
        }
    }

    @Sendable func revokeToken(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        guard let id = Int64(try context.parameters.require("id")) else { throw WebPageError.notFound("token") }
        let access = access
        return try await change(request, context, done: "token \(id) revoked") { actor in _ = try access.revokeToken(id: id, actor: actor); return nil }
    }

    @Sendable func addLab(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let form = context.form ?? WebForm()
        let code = (form["code"] ?? "").trimmingCharacters(in: .whitespaces)
        let lab = Lab(code: code, name: (form["name"] ?? "").isEmpty ? code : form["name"]!, country: (form["country"] ?? "").uppercased())
        let access = access
        return try await change(request, context, done: "lab \(code) added") { actor in try access.createLab(lab, actor: actor); return nil }
    }

    @Sendable func removeSubscriber(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let name = try context.parameters.require("name")
        let database = database
        return try await change(request, context, done: "subscriber \(name) removed") { actor in
            _ = try Subscribers(writer: database.writer).remove(name: name, actor: actor)
            return nil
        }
    }
}

/// What the admin page lists.
struct AdminState: Sendable {
    var accounts: [WebAccount]
    var tokens: [(TokenInfo, Int64)]
    var labs: [Lab]
    var subscribers: [Subscriber]
    var drop: DropFolderState?
}

/// The drop folder as the admin page shows it: files waiting (as the watcher sees them), and
/// how many went to `processed/` and `rejected/`.
struct DropFolderState: Sendable {
    var path: String
    var waiting: Int
    var processed: Int
    var rejected: Int
    var recentRejected: [String]

    init(path: String, database: ServerDatabase) throws {
        self.path = path
        let root = URL(fileURLWithPath: path)
        waiting = try DropFolder(root: root, pipeline: .standard(store: database.imports, observers: []), labCode: nil).arrivals().count
        func files(_ folder: String) -> [String] {
            let enumerator = FileManager.default.enumerator(at: root.appendingPathComponent(folder), includingPropertiesForKeys: [.isRegularFileKey])
            return (enumerator?.allObjects as? [URL] ?? []).filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
                .map(\.lastPathComponent).filter { !$0.hasSuffix(".errors.txt") }
        }
        processed = files(DropFolder.processedFolder).count
        let rejectedFiles = files(DropFolder.rejectedFolder).sorted()
        rejected = rejectedFiles.count
        recentRejected = Array(rejectedFiles.suffix(10))
    }
}
