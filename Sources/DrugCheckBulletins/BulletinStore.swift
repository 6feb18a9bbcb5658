import DrugCheckModel
import DrugCheckStore
import Foundation
import GRDB

/// Reads bulletins, their published messages and the audit log from the database.
///
/// ```swift
/// let store = BulletinStore(database: db)
/// for b in try store.bulletins() { print(b.id, b.state, b.facts.headlineSubstance) }
/// ```
public struct BulletinStore: Sendable {
    public let database: DrugCheckDatabase

    public init(database: DrugCheckDatabase) {
        self.database = database
    }

    /// All bulletins (or those in `state`), by id.
    public func bulletins(state: BulletinState? = nil) throws -> [Bulletin] {
        try database.writer.read { db in
            var request = BulletinRecord.all().order(Column("id"))
            if let state { request = request.filter(Column("state") == state.rawValue) }
            return try request.fetchAll(db).map { try $0.model() }
        }
    }

    public func bulletin(id: Int64) throws -> Bulletin? {
        try database.writer.read { db in try BulletinRecord.fetchOne(db, key: id)?.model() }
    }

    /// Every message published for a bulletin, oldest first.
    public func messages(bulletinID: Int64) throws -> [PublishedMessage] {
        try database.writer.read { db in try MessageRecord.messages(db, bulletinID: bulletinID) }
    }

    /// The latest published message of every bulletin that was ever published, newest first
    /// (ties by bulletin id): the entries of the Atom feed.
    public func latestMessages() throws -> [PublishedMessage] {
        try database.writer.read { db in
            try MessageRecord.fetchAll(db, sql: """
                SELECT m.* FROM bulletin_message m
                WHERE m.version = (SELECT MAX(version) FROM bulletin_message WHERE bulletin_id = m.bulletin_id)
                ORDER BY m.sent DESC, m.bulletin_id DESC
                """).map { try $0.model() }
        }
    }

    public func audit(bulletinID: Int64) throws -> [AuditEntry] {
        try database.writer.read { db in
            try AuditRecord.filter(Column("bulletin_id") == bulletinID).order(Column("id")).fetchAll(db).map(\.model)
        }
    }
}

struct BulletinRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "bulletin"
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

struct MessageRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "bulletin_message"
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

    static func messages(_ db: Database, bulletinID: Int64) throws -> [PublishedMessage] {
        try filter(Column("bulletin_id") == bulletinID).order(Column("version")).fetchAll(db).map { try $0.model() }
    }
}

struct AuditRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "bulletin_audit"
    var bulletinId: Int64
    var action: String
    var actor: String
    var at: Date
    var detail: String?

    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var model: AuditEntry { AuditEntry(bulletinID: bulletinId, action: action, actor: actor, at: at, detail: detail) }

    /// Records a step in the bulletins' own table and mirrors it into the tamper-evident audit log.
    static func log(_ db: Database, _ bulletinID: Int64, _ action: String, actor: String, at: Date, detail: String? = nil) throws {
        try AuditRecord(bulletinId: bulletinID, action: action, actor: actor, at: at, detail: detail).insert(db)
        try AuditLog.append(.bulletin, subject: "bulletin:\(bulletinID)", actor: actor,
                            details: ["action": action, "detail": detail ?? ""], in: db)
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
