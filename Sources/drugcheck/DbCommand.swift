import ArgumentParser
import DrugCheckPostgres
import DrugCheckReports
import DrugCheckStore
import Foundation

struct DbCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Run DrugCheck on a PostgreSQL server database: create its schema, copy an SQLite database into it.",
        subcommands: [DbMigrateCommand.self, DbCopyCommand.self]
    )
}

struct DbMigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or update DrugCheck's tables in a PostgreSQL database.",
        discussion: "Example: drugcheck db migrate --db postgres://drugcheck@db.example.org:5432/drugcheck"
    )

    @Option(name: .long, help: "The PostgreSQL database: postgres://USER@HOST:PORT/DB (default: $DRUGCHECK_DB).")
    var db: String?

    func run() throws {
        let given = DrugCheckDatabase.resolvePath(db)
        guard PostgresLocation.isURL(given) else { throw ValidationError("--db must be a postgres:// URL (an SQLite file migrates when it is opened).") }
        let session = try PostgresSession.connect(to: try PostgresLocation(parsing: given))
        defer { session.close() }
        let applied = try PostgresMigrator.migrate(session)
        print(applied.isEmpty ? "\(session.location): schema up to date" : "\(session.location): applied \(applied.joined(separator: ", "))")
    }
}

struct DbCopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy an SQLite database into a new, empty PostgreSQL database, and check the copy.",
        discussion: """
            Reads the SQLite file in one snapshot (imports and the server may go on) and writes every table in one \
            PostgreSQL transaction, then reads each table back and compares its rows and SHA-256 with the source's \
            before committing: the target holds the whole database or nothing. The audit chain is copied entry \
            for entry, so the audit head is the same on both. The target must be empty (createdb NAME).
            Example: drugcheck db copy --from drugcheck.sqlite --to postgres://drugcheck@db.example.org/drugcheck
            """
    )

    @Option(name: .long, help: "The SQLite database file to copy.")
    var from: String

    @Option(name: .long, help: "The PostgreSQL database: postgres://USER@HOST:PORT/DB.")
    var to: String

    @Flag(name: .long, help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        guard FileManager.default.fileExists(atPath: from) else { throw ValidationError("no SQLite database at \(from)") }
        guard PostgresLocation.isURL(to) else { throw ValidationError("--to must be a postgres:// URL, as in postgres://drugcheck@localhost:5432/drugcheck") }
    }

    func run() throws {
        let source = try DrugCheckDatabase(path: from)
        let target = try PostgresSession.connect(to: try PostgresLocation(parsing: to))
        defer { target.close() }
        let result = try DatabaseCopy.run(from: source, to: target)
        if json {
            let tables = result.tables.map { ["table": $0.name, "rows": $0.rows, "sha256": $0.sha256] as [String: Any] }
            let object: [String: Any] = ["to": target.location.description, "tables": tables,
                                         "audit_head": result.auditHead.map { ["seq": $0.sequence, "sha256": $0.sha256] as [String: Any] } ?? NSNull()]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(TextTable(header: ["table", "rows", "sha256 (same in SQLite and PostgreSQL)"],
                            rows: result.tables.map { [$0.name, String($0.rows), $0.sha256] }).rendered, terminator: "")
            print("copied \(result.tables.reduce(0) { $0 + $1.rows }) rows in \(result.tables.count) tables to \(target.location); "
                  + "audit head \(result.auditHead?.description ?? "none")")
        }
    }
}
