import ArgumentParser
import DrugCheckAccess
import DrugCheckStore
import Foundation

struct TokensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "Create and revoke API tokens for the HTTP service.",
        subcommands: [CreateTokenCommand.self, RevokeTokenCommand.self]
    )
}

struct CreateTokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a user with a role and print a new bearer token for it (shown once).",
        discussion: """
            Roles: lab (upload and read its own lab's results; needs --lab), ministry (aggregated reports), \
            subscriber (published bulletins and the feed), reviewer (approve bulletins), admin (labs, users, tokens). \
            Only a hash of the token is stored: copy it now, it cannot be shown again.
            Example: drugcheck tokens create --role lab --lab BE-DC01
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "lab, ministry, subscriber, reviewer or admin.")
    var role: Role

    @Option(name: .long, help: "The lab code, for (and only for) --role lab.")
    var lab: String?

    @Option(name: .long, help: "User name (default: the role, the lab and a number).")
    var name: String?

    @Flag(name: .long, help: "Print only the token (for scripts).")
    var quiet = false

    func validate() throws {
        if role == .lab, lab == nil { throw ValidationError("--role lab needs --lab LABCODE") }
        if role != .lab, lab != nil { throw ValidationError("--lab is only for --role lab") }
    }

    func run() throws {
        let access = AccessStore(store: try database.writer())
        let base = name ?? ([role.rawValue, lab].compactMap { $0 }.joined(separator: "-"))
        var userName = base
        var n = 1
        while name == nil, try access.users().contains(where: { $0.name == userName }) {
            n += 1
            userName = "\(base)-\(n)"
        }
        let user = try access.createUser(name: userName, role: role, labCode: lab)
        let token = try access.issueToken(userID: user.id)
        if quiet {
            print(token.secret)
        } else {
            print("user \(user.id) '\(user.name)' (\(role.rawValue)\(lab.map { ", lab \($0)" } ?? "")), token \(token.info.id):")
            print(token.secret)
            print("Keep it secret: only its hash is stored, it cannot be shown again.")
        }
    }
}

struct RevokeTokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token by its number.")

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "The token number printed by 'tokens create'.")
    var id: Int64

    func run() throws {
        guard try AccessStore(store: try database.writer()).revokeToken(id: id) else {
            throw ValidationError("no live token \(id)")
        }
        print("token \(id) revoked")
    }
}

extension Role: ExpressibleByArgument {}
