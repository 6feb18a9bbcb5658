import DrugCheckModel
import DrugCheckStore
import Foundation

/// Bulletins resting on results that were amended after they went out or were approved: each
/// is flagged (`review_flag`, shown by `drugcheck bulletins list` and the API) so that a reviewer
/// issues an update (CAP `Update`) or cancels it. The next trigger scan re-drafts the facts of
/// an event that still holds; one that no longer holds is for the reviewer to cancel.
///
/// ```swift
/// let flagged = try AmendedEvidence(database: db).flag(samples: ["BE-DCA/DCA-47012"], actor: "cli:an")
/// ```
public struct AmendedEvidence: Sendable {
    /// The SQLite store, or a PostgreSQL session.
    public let writer: any StoredRowWriter

    public init(writer: any StoredRowWriter) {
        self.writer = writer
    }

    public init(database: DrugCheckDatabase) {
        self.init(writer: database)
    }

    /// Flags the published or approved bulletins whose evidence includes these samples (`LAB/ID`);
    /// returns their ids.
    @discardableResult
    public func flag(samples references: [String], actor: String, at now: Date = Date()) throws -> [Int64] {
        guard !references.isEmpty else { return [] }
        return try writer.writeTransaction { db in
            var amended: [Int64: String] = [:]
            for reference in Set(references) {
                guard let slash = reference.firstIndex(of: "/") else { continue }
                let ids = try SampleRows.ids(lab: String(reference[..<slash]), sampleID: String(reference[reference.index(after: slash)...]), in: db)
                for id in ids { amended[id] = reference }
            }
            var flagged: [Int64] = []
            let open = [BulletinState.published.rawValue, BulletinState.approved.rawValue]
            for var record in try BulletinRecord.read(from: db, ("WHERE state IN (?, ?) ORDER BY id", open.map { .text($0) })) {
                let hit = try FactsColumn.decode(record.facts).sampleIDs.compactMap { amended[$0] }
                guard !hit.isEmpty else { continue }
                let reason = "evidence amended after \(record.state == BulletinState.published.rawValue ? "publication" : "approval"): "
                    + "\(hit.sorted().joined(separator: ", ")); issue an update or cancel"
                record.reviewFlag = reason
                try db.update(record, id: record.id!)
                try AuditRecord.log(db, record.id!, "evidence_amended", actor: actor, at: now, detail: reason)
                flagged.append(record.id!)
            }
            return flagged
        }
    }
}
