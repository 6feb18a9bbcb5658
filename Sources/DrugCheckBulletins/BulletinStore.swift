import DrugCheckModel
import DrugCheckStore
import Foundation
import GRDB

/// Reads bulletins, their published messages and their workflow steps, from the SQLite store
/// or from any backend that answers the same queries (``StoredRowReader``): the listings, a
/// bulletin's documents and the Atom feed read the same on both.
///
/// ```swift
/// let store = BulletinStore(database: db)      // or BulletinStore(reader: postgresSession)
/// for b in try store.bulletins() { print(b.id, b.state, b.facts.headlineSubstance) }
/// ```
public struct BulletinStore: Sendable {
    public let reader: any StoredRowReader

    public init(reader: any StoredRowReader) {
        self.reader = reader
    }

    public init(database: DrugCheckDatabase) {
        self.init(reader: database)
    }

    /// All bulletins (or those in `state`), by id.
    public func bulletins(state: BulletinState? = nil) throws -> [Bulletin] {
        try BulletinRecord.read(from: reader, state.map { ("WHERE state = ? ORDER BY id", [.text($0.rawValue)]) } ?? ("ORDER BY id", []))
            .map { try $0.model() }
    }

    public func bulletin(id: Int64) throws -> Bulletin? {
        try BulletinRecord.read(from: reader, ("WHERE id = ?", [.integer(id)])).first?.model()
    }

    /// Every message published for a bulletin, oldest first.
    public func messages(bulletinID: Int64) throws -> [PublishedMessage] {
        try MessageRecord.read(from: reader, ("WHERE bulletin_id = ? ORDER BY version", [.integer(bulletinID)])).map { try $0.model() }
    }

    /// The latest published message of every bulletin that was ever published, newest first
    /// (ties by bulletin id): the entries of the Atom feed.
    public func latestMessages() throws -> [PublishedMessage] {
        try MessageRecord.read(from: reader, ("""
            m WHERE m.version = (SELECT MAX(version) FROM bulletin_message WHERE bulletin_id = m.bulletin_id)
            ORDER BY m.sent DESC, m.bulletin_id DESC
            """, [])).map { try $0.model() }
    }

    public func audit(bulletinID: Int64) throws -> [AuditEntry] {
        try AuditRecord.read(from: reader, ("WHERE bulletin_id = ? ORDER BY id", [.integer(bulletinID)])).map(\.model)
    }
}

/// A bulletin table's record read through a ``StoredRowReader``: its columns selected by name,
/// each row decoded as GRDB decodes the table's own rows.
protocol ReadableRecord: FetchableRecord {
    static var databaseTableName: String { get }
    static var readColumns: [String] { get }
}

extension ReadableRecord {
    /// The rows of the table after `clause` (`WHERE …`, `ORDER BY …`, the table's alias first if any).
    static func read(from reader: some StoredRowQueries, _ clause: (sql: String, arguments: [StoredValue])) throws -> [Self] {
        let sql = "SELECT \(readColumns.joined(separator: ", ")) FROM \(databaseTableName) \(clause.sql)"
        return try reader.rows(sql, clause.arguments).map { try Self(row: Row(columns: readColumns, values: $0)) }
    }
}

struct BulletinRecord: Codable, ReadableRecord, MutablePersistableRecord {
    static let databaseTableName = "bulletin"
    static let readColumns = ["id", "trigger_kind", "subject", "period_start", "period_end", "state", "msg_type", "version", "facts", "note",
                              "created_by", "edited_by", "approved_by", "created_at", "updated_at", "review_flag"]
    var id: Int64?
    var triggerKind: String
    var subject: String
    var periodStart: String
    var periodEnd: String
    var state: String
    var msgType: String
    var version: Int
    var facts: String
    var note: String?
    var createdBy: String
    var editedBy: String
    var approvedBy: String?
    var createdAt: Date
    var updatedAt: Date
    var reviewFlag: String?

    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    func model() throws -> Bulletin {
        Bulletin(id: id!, trigger: TriggerKind(rawValue: triggerKind) ?? .firstDetection, subject: subject,
                 state: BulletinState(rawValue: state) ?? .draft, messageType: CAPMessageType(rawValue: msgType) ?? .alert,
                 version: version, facts: try FactsColumn.decode(facts), note: note, createdBy: createdBy,
                 editedBy: editedBy, approvedBy: approvedBy, createdAt: createdAt, updatedAt: updatedAt, reviewFlag: reviewFlag)
    }

    var period: ClosedRange<CalendarDate> {
        let start = CalendarDate(iso: periodStart)!, end = CalendarDate(iso: periodEnd)!
        return start...max(start, end)
    }
}

struct MessageRecord: Codable, ReadableRecord, PersistableRecord {
    static let databaseTableName = "bulletin_message"
    static let readColumns = ["bulletin_id", "version", "identifier", "sent", "msg_type", "facts", "note", "audit_head"]
    var bulletinId: Int64
    var version: Int
    var identifier: String
    var sent: Date
    var msgType: String
    var facts: String
    var note: String?
    var auditHead: String?

    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    func model() throws -> PublishedMessage {
        PublishedMessage(bulletinID: bulletinId, version: version, identifier: identifier, sent: sent,
                         messageType: CAPMessageType(rawValue: msgType) ?? .alert, facts: try FactsColumn.decode(facts), note: note,
                         auditHead: auditHead)
    }

    static func messages(_ statements: any StoredStatements, bulletinID: Int64) throws -> [PublishedMessage] {
        try read(from: statements, ("WHERE bulletin_id = ? ORDER BY version", [.integer(bulletinID)])).map { try $0.model() }
    }
}

struct AuditRecord: Codable, ReadableRecord, PersistableRecord {
    static let databaseTableName = "bulletin_audit"
    static let readColumns = ["bulletin_id", "action", "actor", "at", "detail"]
    var bulletinId: Int64
    var action: String
    var actor: String
    var at: Date
    var detail: String?

    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var model: AuditEntry { AuditEntry(bulletinID: bulletinId, action: action, actor: actor, at: at, detail: detail) }

    /// Records a step in the bulletins' own table and mirrors it into the tamper-evident audit log.
    static func log(_ statements: any StoredStatements, _ bulletinID: Int64, _ action: String, actor: String, at: Date,
                    detail: String? = nil) throws {
        try statements.insert(AuditRecord(bulletinId: bulletinID, action: action, actor: actor, at: at, detail: detail))
        try AuditLog.append(.bulletin, subject: "bulletin:\(bulletinID)", actor: actor,
                            details: ["action": action, "detail": detail ?? ""], in: statements)
    }
}

/// Facts are stored as JSON with sorted keys, so equal facts are equal text.
enum FactsColumn {
    static func encode(_ facts: BulletinFacts) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try! encoder.encode(facts), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> BulletinFacts {
        try JSONDecoder().decode(BulletinFacts.self, from: Data(text.utf8))
    }
}
