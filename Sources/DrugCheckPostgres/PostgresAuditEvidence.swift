import DrugCheckStore
import PostgresNIO

/// The audit log and the results it covers as PostgreSQL holds them: `drugcheck audit verify`
/// on a server database recomputes the chain and every batch's digest from PostgreSQL's own
/// rows, with the store's queries, and reports what SQLite would report of the same rows.
///
/// ```swift
/// let report = try AuditVerifier.verify(PostgresAuditEvidence(session: try PostgresSession.connect(to: location)))
/// print(report.isIntact, report.head?.description ?? "empty")
/// ```
public struct PostgresAuditEvidence: AuditEvidence {
    public let session: PostgresSession

    public init(session: PostgresSession) {
        self.session = session
    }

    public func rows(_ sql: String, argument: Int64?) throws -> [[StoredValue]] {
        var binds = PostgresBindings()
        for _ in sql.filter({ $0 == "?" }) { binds.append(argument) }
        return try session.query(sql.numberedPlaceholders(), binds).map { try $0.map(StoredValue.init) }
    }
}
