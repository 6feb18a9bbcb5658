import ArgumentParser
import Foundation

/// `drugcheck`: import lab results, classify them and report on synthetic opioids.
@main
struct DrugCheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drugcheck",
        abstract: "Import drug-checking and forensic lab results, classify them, and report on synthetic opioids.",
        discussion: """
            The database is an SQLite file: --db PATH, else $DRUGCHECK_DB, else ./drugcheck.sqlite. \
            A PostgreSQL database (--db postgres://USER@HOST:PORT/DB) works with every command (the benchmarks \
            take --postgres); `db copy` fills one from a SQLite file.
            Exit codes: 0 success, 1 a file was rejected or a check failed, 2 usage error.
            """,
        subcommands: [
            DemoCommand.self,
            ImportCommand.self,
            WatchCommand.self,
            VerifyCommand.self,
            ProfilesCommand.self,
            SamplesCommand.self,
            ReportCommand.self,
            BenchCommand.self,
            SignalsCommand.self,
            IdentifyCommand.self,
            ClassifyCommand.self,
            LibraryCommand.self,
            ServeCommand.self,
            TokensCommand.self,
            UsersCommand.self,
            BulletinsCommand.self,
            SubscribersCommand.self,
            AuditCommand.self,
            BackupCommand.self,
            RestoreCommand.self,
            DbCommand.self,
        ]
    )

    /// Like the default entry point, but usage errors exit with status 2 (as documented) instead of 64.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            // A full disk, a read-only or damaged file: said plainly, never as a raw SQLite message.
            if let trouble = DatabaseTrouble.of(error, path: DatabaseOptions.resolvedPath) {
                exit(withError: trouble)
            }
            exit(withError: error)
        }
    }
}

/// One database as an import and what follows it use it: where batches are stored, the writer of
/// the bulletin review and the reports' reads, on the same connection.
struct ImportBackend {
    var imports: any ImportStore
    var writer: any StoredRowWriter
    var reports: any ReportDataSource
}

/// `--db`, shared by every command that uses the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite database file (default: $DRUGCHECK_DB, else ./drugcheck.sqlite).")
    var db: String?

    var path: String { DrugCheckDatabase.resolvePath(db) }

    /// The PostgreSQL database `--db` or `$DRUGCHECK_DB` names, if it names one.
    func postgres() throws -> PostgresLocation? {
        PostgresLocation.isURL(path) ? try PostgresLocation(parsing: path) : nil
    }

    /// The database the command works on, as far as the command line and environment say.
    static var resolvedPath: String {
        let arguments = CommandLine.arguments
        let given = arguments.firstIndex(of: "--db").flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
            ?? arguments.first { $0.hasPrefix("--db=") }.map { String($0.dropFirst(5)) }
        return DrugCheckDatabase.resolvePath(given)
    }

    func open() throws -> DrugCheckDatabase {
        try Self.open(path)
    }

    /// What a read-only command reads: the PostgreSQL database `--db` names, else the SQLite file.
    func reader() throws -> any StoredRowReader {
        if let location = try postgres() { return try PostgresMigrator.connectToCurrentSchema(location) }
        return try open()
    }

    /// What a command that writes only through the stages' shared statements (the bulletin
    /// review, subscribers) writes to: the PostgreSQL database `--db` names, else the SQLite file.
    func writer() throws -> any StoredRowWriter {
        if let location = try postgres() { return try PostgresMigrator.connectToCurrentSchema(location) }
        return try open()
    }

    /// The database with its report aggregates, for a command that both writes and reads reports
    /// (the trigger scan): one PostgreSQL session, or the SQLite file.
    func backend() throws -> (writer: any StoredRowWriter, reports: any ReportDataSource) {
        if let location = try postgres() {
            let session = try PostgresMigrator.connectToCurrentSchema(location)
            return (session, PostgresReportReader(session: session))
        }
        let database = try open()
        return (database, ReportAggregateReader(database: database))
    }

    /// Where an import stores its batches, with the reports its bulletin scan reads: the SQLite
    /// file (rejected files kept beside it), or the PostgreSQL database `--db` names, whose
    /// rejected files are kept in `$DRUGCHECK_QUARANTINE`, else `./drugcheck-quarantine`.
    func importBackend() throws -> ImportBackend {
        guard let location = try postgres() else {
            let database = try open()
            return ImportBackend(imports: database, writer: database, reports: ReportAggregateReader(database: database))
        }
        let session = try PostgresMigrator.connectToCurrentSchema(location)
        return ImportBackend(imports: StatementImportStore(writer: session, quarantineDirectory: Self.postgresQuarantine),
                             writer: session, reports: PostgresReportReader(session: session))
    }

    /// Where files rejected on PostgreSQL are kept: `$DRUGCHECK_QUARANTINE`, else `./drugcheck-quarantine`
    /// (a server database has no folder beside it).
    static var postgresQuarantine: URL {
        URL(fileURLWithPath: ProcessInfo.processInfo.environment["DRUGCHECK_QUARANTINE"] ?? "drugcheck-quarantine", isDirectory: true)
    }

    /// The SQLite database at `path`; a PostgreSQL URL is refused in plain words (exit 2).
    static func open(_ path: String) throws -> DrugCheckDatabase {
        try requireSQLite(path)
        return try DrugCheckDatabase(path: path)
    }

    /// Refuses a PostgreSQL URL in plain words (exit 2) for a command that works on a SQLite file.
    static func requireSQLite(_ path: String) throws {
        if PostgresLocation.isURL(path) {
            throw ValidationError("""
                This command runs on the SQLite database only, not on PostgreSQL (\((try? PostgresLocation(parsing: path))?.description ?? path)). \
                Give --db a SQLite file.
                """)
        }
    }
}

import DrugCheckPostgres
import DrugCheckStore
