import Foundation
import GRDB

/// What an audit entry records.
public enum AuditKind: String, Codable, Sendable, CaseIterable {
    /// A batch was imported; the entry carries the batch's digest (and those of earlier batches it changed).
    case `import`
    /// A file was rejected; nothing but its batch row was stored.
    case rejection
    /// A result was verified (or rejected) by a second person or an automatic rule.
    case verification
    /// Results were amended; the entry carries the new digest of every batch the amendment touched.
    case amendment
    /// Stored samples were reclassified or their spectra identified again.
    case reclassification
    /// A bulletin workflow step (drafted, approved, published, cancelled).
    case bulletin
    /// A bearer token was issued or revoked.
    case token
    /// An API user was created.
    case user
    /// A webhook subscriber was added, changed or removed.
    case subscriber
    /// A lab was registered.
    case lab
    /// The digests of batches stored before the audit log existed, recorded when it was created.
    case baseline
}

/// One entry of the audit log, as stored.
///
/// ```swift
/// for entry in try AuditLog(database: db).entries(subject: "BE-DCA/DCA-47012") {
///     print(entry.sequence, entry.kind.rawValue, entry.actor, entry.details)
/// }
/// ```
public struct AuditLogEntry: Sendable, Equatable {
    /// 1, 2, 3, … in the order the entries were appended.
    public var sequence: Int64
    /// When the entry was appended, in UTC (ISO 8601 with milliseconds, as stored).
    public var recordedAt: String
    /// The user or token name that made the change, or `cli`.
    public var actor: String
    /// The kind as stored; ``kind`` is nil for a text DrugCheck does not know.
    public var kindText: String
    /// What the change is about: `batch:12`, `BE-DCA/DCA-47012`, `bulletin:…`, `token:3`, `user:ana`, `subscriber:2`.
    public var subject: String
    /// A JSON object with the change's particulars (sorted keys, no spaces).
    public var details: String
    /// The digest of each import batch this change stored or altered, by batch id.
    public var batchDigests: [Int64: String]
    public var contentSHA256: String
    public var previousSHA256: String
    public var entrySHA256: String

    public var kind: AuditKind? { AuditKind(rawValue: kindText) }
}

extension AuditLogEntry {
    /// The `previous_sha256` of the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    static let columnNames = ["seq", "recorded_at", "actor", "kind", "subject", "details", "batch_digests", "content_sha256",
                              "previous_sha256", "entry_sha256"]
    static let columns = columnNames.joined(separator: ", ")

    /// An entry read with ``columns``. `batch_digests` that are not a JSON object of hex digests
    /// read as none (verification then reports the content hash as not matching).
    init(row: Row) {
        let digests = JSONColumn.decode([String: String].self, row["batch_digests"]) ?? [:]
        self.init(sequence: row["seq"], recordedAt: Self.text(row, "recorded_at"), actor: Self.text(row, "actor"),
                  kindText: Self.text(row, "kind"), subject: Self.text(row, "subject"), details: Self.text(row, "details"),
                  batchDigests: Dictionary(uniqueKeysWithValues: digests.compactMap { k, v in Int64(k).map { ($0, v) } }),
                  contentSHA256: Self.text(row, "content_sha256"), previousSHA256: Self.text(row, "previous_sha256"),
                  entrySHA256: Self.text(row, "entry_sha256"))
    }

    /// A column as text whatever a tamperer stored in it.
    private static func text(_ row: Row, _ column: String) -> String {
        let value: DatabaseValue = row[column]
        return String.fromDatabaseValue(value) ?? value.description
    }

    /// SHA-256 of the canonical serialisation of the entry's fields (everything but its hashes),
    /// computed from the values as stored in `row`.
    static func contentHash(of row: Row) -> String {
        var hasher = CanonicalHasher()
        hasher.row("entry", ["seq", "recorded_at", "actor", "kind", "subject", "details", "batch_digests"].map { row[$0] })
        return hasher.finalize()
    }

    /// The stored form of a time: UTC, ISO 8601 with milliseconds.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!))
    }
}
