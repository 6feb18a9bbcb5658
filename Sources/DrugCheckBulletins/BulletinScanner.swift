import DrugCheckClassify
import DrugCheckModel
import DrugCheckReports
import DrugCheckStore
import Foundation

/// Evaluates the five triggers over the stored samples and creates or updates bulletins. Call it
/// after every import; it is idempotent: the same data gives no new bulletin and no update.
///
/// An event that already has a bulletin (same subject, overlapping period within the event gap)
/// updates that bulletin: a draft is edited in place, an approved one goes back to draft, and a
/// published one gets a new version that goes out as CAP `Update` once approved again.
///
/// The same scan runs on SQLite and on PostgreSQL: samples and bulletins through the backend's
/// ``StoredRowWriter``, the signal series through its ``ReportDataSource``.
///
/// ```swift
/// let result = try BulletinScanner(database: db).scan(actor: "import")
/// print("\(result.created.count) new, \(result.updated.count) updated bulletins")
/// ```
public struct BulletinScanner: Sendable {
    public let writer: any StoredRowWriter
    public let reports: any ReportDataSource
    public let configuration: BulletinConfiguration
    public let catalogue: SubstanceCatalogue

    public init(writer: any StoredRowWriter, reports: any ReportDataSource, configuration: BulletinConfiguration = .init(),
                catalogue: SubstanceCatalogue = .bundled) {
        self.writer = writer
        self.reports = reports
        self.configuration = configuration
        self.catalogue = catalogue
    }

    public init(database: DrugCheckDatabase, configuration: BulletinConfiguration = .init(), catalogue: SubstanceCatalogue = .bundled) {
        self.init(writer: database, reports: ReportAggregateReader(database: database), configuration: configuration, catalogue: catalogue)
    }

    /// What a scan did, by bulletin id (ascending).
    public struct Result: Sendable, Equatable {
        public var created: [Int64] = []
        public var updated: [Int64] = []
        public var published: [Int64] = []
        public var unchanged: [Int64] = []
    }

    @discardableResult
    public func scan(actor: String = "drugcheck-scan", at now: Date = Date()) throws -> Result {
        guard let window = try window() else { return Result() }
        let samples = try EvidenceSample.load(from: writer, catalogue: catalogue, since: window.lowerBound)
        let seenBefore = try SampleTimeline(reader: writer).substancesDetected(before: window.lowerBound.isoWeek)
        var events = DetectionTriggers(configuration: configuration, seenBefore: seenBefore).events(samples)
        events += try SignalTrigger(configuration: configuration.signal, reports: reports).events(samples)
        // Events that ended before the window proper were the subject of earlier scans.
        let start = window.lowerBound.daysSinceEpoch + margin
        events = events.filter { $0.periodEnd.daysSinceEpoch >= start }
        let workflow = BulletinWorkflow(writer: writer, configuration: configuration)
        return try writer.writeTransaction { db in
            var result = Result()
            for event in events {
                try apply(event, db, workflow: workflow, actor: actor, now: now, result: &result)
            }
            return result
        }
    }

    private func apply(_ event: TriggerEvent, _ db: any StoredStatements, workflow: BulletinWorkflow, actor: String, now: Date,
                       result: inout Result) throws {
        let facts = BulletinFacts(event)
        let factsText = FactsColumn.encode(facts)
        let immediate = configuration.publishesImmediately(event.trigger)
        guard var record = try existing(for: event, db) else {
            var created = BulletinRecord(
                id: nil, triggerKind: event.trigger.rawValue, subject: event.subject, periodStart: event.periodStart.description,
                periodEnd: event.periodEnd.description, state: BulletinState.draft.rawValue, msgType: CAPMessageType.alert.rawValue,
                version: 1, facts: factsText, note: nil, createdBy: actor, editedBy: actor, approvedBy: nil,
                createdAt: now, updatedAt: now)
            created.id = try db.insertReturningID(created)
            try AuditRecord.log(db, created.id!, "created", actor: actor, at: now, detail: "trigger \(event.trigger.number): \(event.subject)")
            result.created.append(created.id!)
            if immediate { try publishImmediately(db, &created, workflow, now, &result) }
            return
        }
        let id = record.id!
        guard record.state != BulletinState.cancelled.rawValue, record.facts != factsText else {
            result.unchanged.append(id)
            return
        }
        let period = record.period
        record.periodStart = min(period.lowerBound, event.periodStart).description
        record.periodEnd = max(period.upperBound, event.periodEnd).description
        record.facts = factsText
        record.editedBy = actor
        record.updatedAt = now
        record.approvedBy = nil
        if record.state == BulletinState.published.rawValue {
            record.version += 1
            record.msgType = CAPMessageType.update.rawValue
        }
        record.state = BulletinState.draft.rawValue
        try db.update(record, id: id)
        try AuditRecord.log(db, id, "updated", actor: actor, at: now,
                            detail: "trigger \(event.trigger.number): \(facts.sampleCount) samples; version \(record.version)")
        result.updated.append(id)
        if immediate { try publishImmediately(db, &record, workflow, now, &result) }
    }

    /// Episodes of triggers 2, 3 and 5 chain detections up to this many days apart: samples this
    /// far before the window are loaded too, so an episode that reaches into it is seen whole.
    private var margin: Int { max(configuration.eventGapDays, configuration.cluster.windowDays) }

    /// The days whose samples a scan reads: `scanWindowDays` (plus the margin) up to the newest
    /// sample's week; nil when there are no samples.
    private func window() throws -> ClosedRange<CalendarDate>? {
        guard let newest = try SampleTimeline(reader: writer).latestWeek()?.sunday else { return nil }
        // From a Monday: `substancesDetected(before:)` counts whole weeks.
        return newest.adding(days: -(configuration.scanWindowDays + margin)).isoWeek.monday...newest
    }

    /// Triggers 1–2 configured for immediate publication skip the four-eyes review; the audit says so.
    private func publishImmediately(_ db: any StoredStatements, _ record: inout BulletinRecord, _ workflow: BulletinWorkflow, _ now: Date,
                                    _ result: inout Result) throws {
        try workflow.publish(db, &record, by: "drugcheck-scan", at: now, detail: "immediate publication (trigger configured so)")
        result.published.append(record.id!)
    }

    /// The bulletin of the same event: first detection has one per substance ever; other
    /// triggers match on subject and a period within the event gap.
    private func existing(for event: TriggerEvent, _ db: any StoredStatements) throws -> BulletinRecord? {
        let candidates = try BulletinRecord.read(from: db, ("WHERE subject = ? ORDER BY id", [.text(event.subject)]))
        if event.trigger == .firstDetection { return candidates.first }
        let gap = event.trigger == .cluster ? configuration.cluster.windowDays : configuration.eventGapDays
        return candidates.first { record in
            let period = record.period
            return event.periodStart.daysSinceEpoch <= period.upperBound.daysSinceEpoch + gap
                && event.periodEnd.daysSinceEpoch >= period.lowerBound.daysSinceEpoch - gap
        }
    }
}
