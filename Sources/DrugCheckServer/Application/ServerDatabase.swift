import DrugCheckAccess
import DrugCheckPostgres
import DrugCheckStore
import Foundation

/// The database the server runs on, on either backend, as its routes use it: the stages' reads
/// and write transactions, where imports store their batches, the report's reads, what tells
/// the caches of new data, and the web sessions.
///
/// ```swift
/// let database = try ServerDatabase(sqlite: DrugCheckDatabase(path: "drugcheck.sqlite"))
/// let database = try ServerDatabase(postgres: PostgresLocation(parsing: "postgres://drugcheck@db:5432/drugcheck"))
/// let app = try DrugCheckApp(configuration: config, database: database)
/// ```
public struct ServerDatabase: Sendable {
    public var writer: any StoredRowWriter
    public var imports: any ImportStore
    public var reports: any ReportDataSource
    public var changes: any ChangeProbe
    public var sessions: WebSessionStore

    /// The SQLite file: one process writes at a time, sessions in a file beside it.
    public init(sqlite database: DrugCheckDatabase) throws {
        writer = database
        imports = database
        reports = ReportAggregateReader(database: database)
        changes = try DatabaseChangeProbe(database: database)
        sessions = try WebSessionStore(database: database)
    }

    /// A PostgreSQL database that several server instances may share: a pool of sessions for the
    /// requests, a listening session for changes, rejected uploads kept in `quarantine`.
    public init(postgres location: PostgresLocation, quarantine: URL) throws {
        let pool = try PostgresSessionPool(location: location)
        writer = pool
        imports = StatementImportStore(writer: pool, quarantineDirectory: quarantine)
        reports = PostgresReportReader(sessions: pool)
        changes = try PostgresChangeProbe(location: location)
        sessions = WebSessionStore(statements: pool, place: location.description)
    }
}
