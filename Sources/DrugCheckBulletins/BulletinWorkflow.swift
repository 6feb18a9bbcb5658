import DrugCheckModel
import DrugCheckStore
import Foundation
import GRDB

/// Why a review step was refused.
public enum BulletinWorkflowError: Error, Equatable, CustomStringConvertible {
    case notFound(Int64)
    case invalidTransition(id: Int64, from: BulletinState, action: String)
    /// The approver created or last edited the bulletin.
    case fourEyes(id: Int64, user: String)
    case noUser
    /// Some evidence sample has results still awaiting verification.
    case provisionalEvidence(id: Int64, samples: Int)

    public var description: String {
        switch self {
        case .notFound(let id): "no bulletin \(id)"
        case let .invalidTransition(id, from, action): "bulletin \(id) is \(from.rawValue); it cannot be \(action)"
        case let .fourEyes(id, user):
            "bulletin \(id) was created or last edited by \(user); another person must approve it (four-eyes rule)"
        case .noUser: "say who you are: --user NAME or DRUGCHECK_USER"
        case let .provisionalEvidence(id, samples):
            "bulletin \(id) rests on \(samples) sample\(samples == 1 ? "" : "s") with results awaiting verification; "
                + "verify them first (drugcheck verify), or configure the trigger to publish immediately"
        }
    }
}

/// The review of bulletins: `draft → approved → published`, and `cancelled`. Approval needs a
/// different person than the one who created or last edited the bulletin; every step is written
/// to the audit log with who and when. Publishing records the CAP message and queues one
/// delivery per matching subscriber, in the same transaction. The same steps run on SQLite and
/// on PostgreSQL (any ``StoredRowWriter``).
///
/// ```swift
/// let workflow = BulletinWorkflow(database: db)   // or BulletinWorkflow(writer: postgresSession)
/// try workflow.approve(7, by: "an")      // created by "scanner"
/// try workflow.publish(7, by: "an")
/// ```
public struct BulletinWorkflow: Sendable {
    public let writer: any StoredRowWriter
    public let configuration: BulletinConfiguration

    public init(writer: any StoredRowWriter, configuration: BulletinConfiguration = .init()) {
        self.writer = writer
        self.configuration = configuration
    }

    public init(database: DrugCheckDatabase, configuration: BulletinConfiguration = .init()) {
        self.init(writer: database, configuration: configuration)
    }

    public func approve(_ id: Int64, by user: String, at now: Date = Date()) throws {
        try writer.writeTransaction { db in
            var record = try Self.record(db, id, user)
            guard record.state == BulletinState.draft.rawValue else {
                throw BulletinWorkflowError.invalidTransition(id: id, from: BulletinState(rawValue: record.state)!, action: "approved")
            }
            guard user != record.createdBy, user != record.editedBy else { throw BulletinWorkflowError.fourEyes(id: id, user: user) }
            record.state = BulletinState.approved.rawValue
            record.approvedBy = user
            record.updatedAt = now
            try db.update(record, id: id)
            try AuditRecord.log(db, id, "approved", actor: user, at: now, detail: "version \(record.version)")
        }
    }

    public func publish(_ id: Int64, by user: String, at now: Date = Date()) throws {
        try writer.writeTransaction { db in
            var record = try Self.record(db, id, user)
            guard record.state == BulletinState.approved.rawValue else {
                throw BulletinWorkflowError.invalidTransition(id: id, from: BulletinState(rawValue: record.state)!, action: "published")
            }
            // Drafts may rest on provisional results (early warning must be fast); publishing waits
            // for their verification, unless the trigger publishes immediately (not this path).
            let provisional = try SampleRows.provisionalCount(among: FactsColumn.decode(record.facts).sampleIDs, in: db)
            guard provisional == 0 else { throw BulletinWorkflowError.provisionalEvidence(id: id, samples: provisional) }
            // Verified since it was drafted: the message no longer says "provisional".
            var facts = try FactsColumn.decode(record.facts)
            if facts.provisionalSamples != nil {
                facts.provisionalSamples = nil
                record.facts = FactsColumn.encode(facts)
            }
            try publish(db, &record, by: user, at: now, detail: "approved by \(record.approvedBy ?? "?")")
        }
    }

    /// Withdraws a bulletin. When it had been published, a CAP `Cancel` (or `Error` when it was
    /// issued in error) goes out referencing every earlier message.
    public func cancel(_ id: Int64, by user: String, note: String, error: Bool = false, at now: Date = Date()) throws {
        try writer.writeTransaction { db in
            var record = try Self.record(db, id, user)
            guard record.state != BulletinState.cancelled.rawValue else {
                throw BulletinWorkflowError.invalidTransition(id: id, from: .cancelled, action: "cancelled")
            }
            let wasPublished = try !db.rows("SELECT 1 FROM bulletin_message WHERE bulletin_id = ? LIMIT 1", [.integer(id)]).isEmpty
            record.note = note
            record.state = BulletinState.cancelled.rawValue
            record.reviewFlag = nil
            record.updatedAt = now
            record.editedBy = user
            let type: CAPMessageType = error ? .error : .cancel
            if wasPublished {
                record.version += 1
                record.msgType = type.rawValue
                try db.update(record, id: id)
                try recordMessage(db, record, at: now)
            } else {
                try db.update(record, id: id)
            }
            try AuditRecord.log(db, id, error ? "declared_error" : "cancelled", actor: user, at: now, detail: note)
        }
    }

    /// Marks `record` published, stores its CAP message and queues the deliveries.
    func publish(_ db: any StoredStatements, _ record: inout BulletinRecord, by user: String, at now: Date, detail: String) throws {
        record.state = BulletinState.published.rawValue
        record.updatedAt = now
        record.reviewFlag = nil
        try db.update(record, id: record.id!)
        try recordMessage(db, record, at: now)
        try AuditRecord.log(db, record.id!, "published", actor: user, at: now, detail: "\(detail); version \(record.version)")
    }

    private func recordMessage(_ db: any StoredStatements, _ record: BulletinRecord, at now: Date) throws {
        let message = MessageRecord(bulletinId: record.id!, version: record.version,
                                    identifier: CAPIdentifier.make(bulletinID: record.id!, version: record.version),
                                    sent: CAPTime.truncated(now), msgType: record.msgType, facts: record.facts, note: record.note,
                                    auditHead: try AuditLog.head(in: db).map { "\($0.sequence):\($0.sha256)" })
        try db.insert(message)
        let history = try MessageRecord.messages(db, bulletinID: record.id!)
        try Outbox.enqueue(db, message: try message.model(), history: history, configuration: configuration, at: now)
    }

    static func record(_ db: any StoredStatements, _ id: Int64, _ user: String) throws -> BulletinRecord {
        guard !user.trimmingCharacters(in: .whitespaces).isEmpty else { throw BulletinWorkflowError.noUser }
        guard let record = try BulletinRecord.read(from: db, ("WHERE id = ?", [.integer(id)])).first else {
            throw BulletinWorkflowError.notFound(id)
        }
        return record
    }
}

/// CAP identifiers and times.
public enum CAPIdentifier {
    /// Unique per sender: one identifier per published version of a bulletin.
    public static func make(bulletinID: Int64, version: Int) -> String { "drugcheck-bulletin-\(bulletinID)-v\(version)" }
}

/// CAP 1.2 times: whole seconds with an explicit offset (`2026-09-14T08:30:00+00:00`; `Z` is not allowed).
public enum CAPTime {
    public static func string(_ date: Date) -> String {
        let day = CalendarDate.today(now: date)
        let seconds = Int(date.timeIntervalSince1970.rounded(.down)) - day.daysSinceEpoch * 86_400
        return "\(day)T" + String(format: "%02ld:%02ld:%02ld+00:00", seconds / 3600, seconds / 60 % 60, seconds % 60)
    }

    static func truncated(_ date: Date) -> Date { Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)) }
}
