import DrugCheckStore
import Foundation
import PostgresNIO

/// Brings a PostgreSQL database to the current schema: PostgreSQL's own migrations, in order,
/// each applied once and recorded in `drugcheck_migration`. Several processes may start at
/// once: an advisory lock lets one migrate while the others wait, then find nothing to do.
///
/// ```swift
/// let session = try PostgresSession.connect(to: location)
/// try PostgresMigrator.migrate(session)
/// ```
public enum PostgresMigrator {
    /// Identifiers and statements, oldest first; never edit one that has shipped, add another.
    static let migrations: [(identifier: String, statements: [String])] = [
        ("v1-schema", PostgresSchema.version1),
        ("audit-append-only", auditAppendOnly),
        // As SQLite's `web-sessions-own-file`: the server keeps web sessions in a file of its own.
        ("web-sessions-own-file", ["DROP TABLE web_session"]),
        // As SQLite's `sample-filters`: the sample list's week and status filters by index.
        ("sample-filters", ["CREATE INDEX sample_lab_week ON sample(lab_code, iso_week)",
                            "CREATE INDEX analysis_status_sample ON analysis(status, sample_id) WHERE superseded_by IS NULL"]),
        // As SQLite's `sample-week-region`: a region's samples of a week by index.
        ("sample-week-region", ["DROP INDEX sample_week", "CREATE INDEX sample_week ON sample(iso_week, region, sample_type)"]),
        ("week-rollups", weekRollups),
        ("aggregate-triggers", aggregateTriggers),
        // Server instances on one database share their web sessions (SQLite keeps them in a file beside its own).
        ("web-sessions-shared", [
            "CREATE TABLE web_session (key_hash TEXT PRIMARY KEY, value BYTEA NOT NULL, expires_at TEXT)",
            "CREATE INDEX web_session_expiry ON web_session(expires_at)",
        ]),
        // SQLite's indexes end in the row id, PostgreSQL's do not: a lab's week walked in id order
        // (the sample list's page) needs the id in the index (240 ms → under 20 ms on bench60).
        ("sample-lab-week-by-id", ["DROP INDEX sample_lab_week", "CREATE INDEX sample_lab_week ON sample(lab_code, iso_week, id)"]),
    ]

    /// As SQLite's `week-rollups` (`WeekRollups`): the tables, filled from what the database holds.
    static let weekRollups: [String] = {
        let counts = "tested BIGINT NOT NULL DEFAULT 0, analysed_basis BIGINT NOT NULL DEFAULT 0, \(PostgresSchema.classCounts)"
        let margin = "iso_week TEXT NOT NULL, dimension TEXT NOT NULL, value TEXT NOT NULL"
        let key = WeekRollups.marginKey
        return [
            "CREATE TABLE report_week_margin (\(margin), \(counts), PRIMARY KEY (\(key)))",
            "CREATE TABLE report_week_margin_provisional (\(margin), \(counts), PRIMARY KEY (\(key)))",
            """
            CREATE TABLE report_week_sold_as (iso_week TEXT NOT NULL, region TEXT NOT NULL, by_id BOOLEAN NOT NULL, label TEXT NOT NULL,
                samples BIGINT NOT NULL, PRIMARY KEY (iso_week, region, by_id, label))
            """,
            """
            CREATE TABLE report_week_sold_as_found (iso_week TEXT NOT NULL, region TEXT NOT NULL, by_id BOOLEAN NOT NULL,
                label TEXT NOT NULL, substance TEXT NOT NULL, samples BIGINT NOT NULL, PRIMARY KEY (iso_week, region, by_id, label, substance))
            """,
        ] + WeekRollups.marginStatements(weeks: "IS NOT NULL")
            + WeekRollups.soldAsInserts(from: "(\(WeekRollups.soldAsRows(weeks: "IS NOT NULL", join: "JOIN", distinct: true))) AS r")
    }()

    /// The audit log is append-only here too: an update or delete is refused by the database.
    static let auditAppendOnly = [
        """
        CREATE FUNCTION drugcheck_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the audit log is append-only: % of entry % refused', TG_OP, OLD.seq;
        END
        $$
        """,
        "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry FOR EACH ROW EXECUTE FUNCTION drugcheck_audit_append_only()",
        "CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry FOR EACH ROW EXECUTE FUNCTION drugcheck_audit_append_only()",
    ]

    /// The migrations not yet applied, oldest first (all of them on a database without DrugCheck's schema).
    public static func pending(_ session: PostgresSession) throws -> [String] {
        let known = try session.query("SELECT to_regclass('drugcheck_migration') IS NOT NULL").first?.decode(Bool.self) ?? false
        let applied = known ? Set(try session.query("SELECT identifier FROM drugcheck_migration").map { try $0.decode(String.self) }) : []
        return migrations.map(\.identifier).filter { !applied.contains($0) }
    }

    /// A session on a database whose schema is current, or a plain refusal saying how to make it so.
    public static func connectToCurrentSchema(_ location: PostgresLocation) throws -> PostgresSession {
        let session = try PostgresSession.connect(to: location)
        let missing = try pending(session)
        guard missing.isEmpty else {
            session.close()
            throw PostgresTrouble.schemaNotCurrent(location.description, missing: missing)
        }
        return session
    }

    /// An arbitrary constant naming DrugCheck's migration lock among the server's advisory locks.
    static let lockKey: Int64 = 0x4472_7567_4368_6B31

    /// Applies the migrations not yet applied; returns their identifiers.
    @discardableResult
    public static func migrate(_ session: PostgresSession) throws -> [String] {
        try session.transaction {
            var lock = PostgresBindings()
            lock.append(lockKey)
            try session.query("SELECT pg_advisory_xact_lock($1)", lock)
            try session.query("CREATE TABLE IF NOT EXISTS drugcheck_migration (identifier TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            let applied = Set(try session.query("SELECT identifier FROM drugcheck_migration").map { try $0.decode(String.self) })
            var done: [String] = []
            for migration in migrations where !applied.contains(migration.identifier) {
                for statement in migration.statements { try session.query(statement) }
                var binds = PostgresBindings()
                binds.append(migration.identifier)
                binds.append(Date().formatted(.iso8601))
                try session.query("INSERT INTO drugcheck_migration (identifier, applied_at) VALUES ($1, $2)", binds)
                done.append(migration.identifier)
            }
            return done
        }
    }
}
