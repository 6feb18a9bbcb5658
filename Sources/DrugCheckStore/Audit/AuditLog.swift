import Foundation
import GRDB

/// The head of the audit log: its latest entry's sequence number and entry hash. Printed in
/// reports, bulletins and backup manifests, so that whoever holds one can later check that the
/// log it came from was not rewritten (`drugcheck audit verify` must find this entry unchanged).
public struct AuditHead: Codable, Sendable, Equatable, CustomStringConvertible {
    public var sequence: Int64
    public var sha256: String

    public init(sequence: Int64, sha256: String) {
        self.sequence = sequence
        self.sha256 = sha256
    }

    /// `#42 3f5a…` form, for footers.
    public var description: String { "#\(sequence) \(sha256)" }
}

/// The tamper-evident audit log: one append-only table (`audit_entry`, guarded by triggers)
/// whose entries form a hash chain. Every change to the evidence appends an entry in the same
/// transaction as the change: imports and rejections (by the store itself), verification,
/// amendments, reclassification, bulletin steps, user, token and subscriber changes.
///
/// An entry that stores or alters import batches carries each such batch's digest
/// (``digest(ofBatch:in:)``): an amendment passes every batch it touched in `coveringBatches`
/// (or writes through a ``StoreTransaction``, which tracks them) so that ``verify()`` compares
/// the stored rows with that latest digest.
///
/// ```swift
/// try db.pool.write { d in
///     // … change the rows of batch 12 …
///     try AuditLog.append(.amendment, subject: "BE-DCA/DCA-47012", actor: "ana", details: ["reason": "typo"],
///                         coveringBatches: [12], in: d)
/// }
/// let report = try AuditLog(database: db).verify()   // report.isIntact, .chainProblem, .batchProblems
/// ```
public struct AuditLog: Sendable {
    /// Where the log is read: the SQLite store, or another backend holding a copy.
    public let reader: any StoredRowReader

    public init(database: DrugCheckDatabase) {
        reader = database
    }

    public init(reader: any StoredRowReader) {
        self.reader = reader
    }

    /// Appends an entry inside the caller's write transaction; `details` must encode as a JSON
    /// object. The digest of every batch in `coveringBatches` is computed now, from the rows as
    /// this transaction sees them.
    @discardableResult
    public static func append(_ kind: AuditKind, subject: String, actor: String, details: (any Encodable & Sendable)? = nil,
                       coveringBatches: Set<Int64> = [], in db: Database) throws -> AuditLogEntry {
        var digests: [String: String] = [:]
        for batch in coveringBatches { digests[String(batch)] = try BatchDigest.compute(batchID: batch, in: db) }
        return try append(kind, subject: subject, actor: actor, details: details, batchDigests: digests, in: db as any StoredStatements)
    }

    /// Appends an entry that stores or alters no import batch inside a write transaction on any
    /// backend (``StoredRowWriter``): bulletin steps, subscriber changes.
    @discardableResult
    public static func append(_ kind: AuditKind, subject: String, actor: String, details: (any Encodable & Sendable)? = nil,
                              in statements: any StoredStatements) throws -> AuditLogEntry {
        try append(kind, subject: subject, actor: actor, details: details, batchDigests: [:], in: statements)
    }

    /// An entry with the given digests of the batches it covers (keyed by batch id as text).
    static func append(_ kind: AuditKind, subject: String, actor: String, details: (any Encodable & Sendable)?,
                       batchDigests: [String: String], in statements: any StoredStatements) throws -> AuditLogEntry {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let detailsText = try details.map { String(decoding: try encoder.encode($0), as: UTF8.self) } ?? "{}"
        let head = try Self.head(in: statements)
        let row: Row = [
            "seq": (head?.sequence ?? 0) + 1, "recorded_at": AuditLogEntry.timestamp(Date()), "actor": actor, "kind": kind.rawValue,
            "subject": subject, "details": detailsText, "batch_digests": JSONColumn.encode(batchDigests),
        ]
        let content = AuditLogEntry.contentHash(of: row)
        let previous = head?.sha256 ?? AuditLogEntry.genesis
        let entryHash = CanonicalHasher.link(previous: previous, content: content)
        let stored = ["seq", "recorded_at", "actor", "kind", "subject", "details", "batch_digests"].map { StoredValue(row[$0] as DatabaseValue) }
        try statements.execute("INSERT INTO audit_entry (\(AuditLogEntry.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               stored + [.text(content), .text(previous), .text(entryHash)])
        return AuditLogEntry(row: try statements.fetchRows("SELECT \(AuditLogEntry.columns) FROM audit_entry WHERE seq = ?", [stored[0]])[0])
    }

    /// The digest of what is stored for a batch now (see ``BatchDigest``), for an entry's
    /// `coveringBatches` or a comparison.
    public static func digest(ofBatch batchID: Int64, in db: Database) throws -> String {
        try BatchDigest.compute(batchID: batchID, in: db)
    }

    static let headSQL = "SELECT seq, entry_sha256 FROM audit_entry ORDER BY seq DESC LIMIT 1"

    /// The latest entry's sequence number and hash; nil while the log is empty.
    public func head() throws -> AuditHead? {
        guard let values = try reader.rows(Self.headSQL, []).first, case let .integer(sequence) = values[0],
              case let .text(hash) = values[1] else { return nil }
        return AuditHead(sequence: sequence, sha256: hash)
    }

    /// The head as a transaction sees it.
    public static func head(in statements: any StoredStatements) throws -> AuditHead? {
        try statements.fetchRows(headSQL, []).first.map { AuditHead(sequence: $0["seq"], sha256: $0["entry_sha256"]) }
    }

    /// The number of entries.
    public func count() throws -> Int {
        guard case let .integer(count)? = try reader.rows("SELECT count(*) FROM audit_entry", []).first?.first else { return 0 }
        return Int(count)
    }

    /// Entries in sequence order: those recorded at or after `since`, about `subject`, and
    /// when `sample` (lab code, lab sample id) is given, those about the sample itself and
    /// those that stored or altered a batch holding its rows.
    public func entries(since: Date? = nil, subject: String? = nil, sample: (lab: String, id: String)? = nil) throws -> [AuditLogEntry] {
        var conditions: [String] = []
        var arguments: [StoredValue] = []
        if let since {
            conditions.append("recorded_at >= ?")
            arguments.append(.text(AuditLogEntry.timestamp(since)))
        }
        if let subject {
            conditions.append("subject = ?")
            arguments.append(.text(subject))
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        var entries = try reader.rows("SELECT \(AuditLogEntry.columns) FROM audit_entry \(filter) ORDER BY seq", arguments)
            .map { AuditLogEntry(row: Row(columns: AuditLogEntry.columnNames, values: $0)) }
        if let sample {
            let batches = try reader.rows("""
                SELECT first_batch_id FROM sample WHERE lab_code = ? AND lab_sample_id = ?
                UNION SELECT a.batch_id FROM analysis a JOIN sample s ON s.id = a.sample_id WHERE s.lab_code = ? AND s.lab_sample_id = ?
                """, [.text(sample.lab), .text(sample.id), .text(sample.lab), .text(sample.id)]).compactMap { values -> Int64? in
                if case let .integer(batch)? = values.first { batch } else { nil }
            }
            entries = entries.filter { e in
                e.subject == "\(sample.lab)/\(sample.id)" || batches.contains { e.batchDigests[$0] != nil || e.subject == "batch:\($0)" }
            }
        }
        return entries
    }

    /// Recomputes the hash chain and the digest of every imported batch (see ``AuditVerifier``):
    /// on the SQLite store through its own reads, on another backend through the reader.
    public func verify() throws -> AuditReport {
        if let database = reader as? DrugCheckDatabase {
            return try database.pool.read { db in try AuditVerifier.verify(db) }
        }
        return try AuditVerifier.verify(reader)
    }
}
