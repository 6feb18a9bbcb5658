import ArgumentParser
import DrugCheckAccess
import DrugCheckServer
import DrugCheckStore
import Foundation

struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Manage the people who log in to the web app (and API users).",
        discussion: """
            Example: printf '%s\\n' "$PASSWORD" | drugcheck users add ana --role lab --lab BE-DCA --password-stdin
            Then open http://127.0.0.1:8080/ after 'drugcheck serve' and log in as ana.
            """,
        subcommands: [AddUserCommand.self, ListUsersCommand.self, DisableUserCommand.self, ResetPasswordCommand.self]
    )
}

/// Reads one line (the password) from standard input, without its line ending.
private func passwordFromStandardInput() throws -> String {
    guard let line = readLine(strippingNewline: true), !line.isEmpty else {
        throw ValidationError("no password on standard input (pipe it in: printf '%s\\n' \"$PASSWORD\" | drugcheck users …)")
    }
    return line
}

struct AddUserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a user who logs in with a password (and optionally a TOTP second factor).",
        discussion: """
            Roles: lab (needs --lab), verifier, ministry, reviewer, subscriber, admin. The password \
            (at least \(Passwords.minimumLength) characters) is read from standard input and stored only as a bcrypt hash.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "The user name to log in with.")
    var name: String

    @Option(name: .long, help: "lab, verifier, ministry, reviewer, subscriber or admin.")
    var role: Role

    @Option(name: .long, help: "The lab code, for (and only for) --role lab.")
    var lab: String?

    @Flag(name: .long, help: "Read the password from standard input (required: passwords never go on the command line).")
    var passwordStdin = false

    @Flag(name: .long, help: "Also set up a TOTP second factor and print its otpauth:// link for an authenticator app.")
    var totp = false

    func validate() throws {
        if role == .lab, lab == nil { throw ValidationError("--role lab needs --lab LABCODE") }
        if role != .lab, lab != nil { throw ValidationError("--lab is only for --role lab") }
        if !passwordStdin { throw ValidationError("give the password on standard input with --password-stdin") }
    }

    func run() throws {
        let hash = try Passwords.hash(try passwordFromStandardInput())
        let access = AccessStore(store: try database.writer())
        let user = try access.createUser(name: name, role: role, labCode: lab)
        try access.setPasswordHash(hash, userName: user.name)
        print("user '\(user.name)' added (\(role.rawValue)\(lab.map { ", lab \($0)" } ?? "")); log in at /login")
        if totp {
            let secret = SecondFactor.newSecret()
            try access.setTOTPSecret(secret, userName: user.name)
            print("second factor: add this link to an authenticator app (shown once):")
            print(SecondFactor.setupURL(secret: secret, user: user.name))
        }
    }
}

struct ListUsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List users, their roles and whether they can log in.")

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let accounts = try AccessStore(store: try database.writer()).accounts()
        for account in accounts {
            let login = account.isDisabled ? "disabled" : account.passwordHash == nil ? "token only" : account.totpSecret == nil ? "password" : "password + TOTP"
            print("\(account.user.name)\t\(account.user.role.rawValue)\t\(account.user.labCode ?? "-")\t\(login)")
        }
        if accounts.isEmpty { print("no users yet: drugcheck users add NAME --role ROLE --password-stdin") }
    }
}

struct DisableUserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable", abstract: "Disable a user: its sessions and tokens stop working at once (kept for the audit trail).")

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "The user name.")
    var name: String

    func run() throws {
        try AccessStore(store: try database.writer()).disable(userName: name)
        print("user '\(name)' disabled")
    }
}

struct ResetPasswordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset-password", abstract: "Set a new password for a user (read from standard input).")

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "The user name.")
    var name: String

    @Flag(name: .long, help: "Read the new password from standard input (required).")
    var passwordStdin = false

    func validate() throws {
        if !passwordStdin { throw ValidationError("give the new password on standard input with --password-stdin") }
    }

    func run() throws {
        let hash = try Passwords.hash(try passwordFromStandardInput())
        try AccessStore(store: try database.writer()).setPasswordHash(hash, userName: name)
        print("password of '\(name)' changed")
    }
}
