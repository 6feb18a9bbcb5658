import DrugCheckModel
import Foundation
import GRDB

/// One sample in the verification queue: who sent it, its week, and what its results awaiting
/// verification found (catalogue ids, else the reported names; sorted, each once).
///
/// ```swift
/// let page = try db.verificationQueue(lab: nil, after: nil, limit: 101)
/// page.first   // lab "BE-DCA", sampleID "DC-2026-0412", week "2026-W47", found ["caffeine", "cocaine"]
/// ```
public struct VerificationQueueRow: Sendable, Equatable {
    public var lab: String
    public var sampleID: String
    public var week: ISOWeek?
    public var found: [String]
}

extension DrugCheckDatabase {
    /// Samples with a result waiting for verification in key order (lab, sample id), the first
    /// `limit` after `after`, read in one query: the page asks for only what it shows, no sample
    /// is decoded (decoding 500 samples with their findings took ~90 ms on the 10-million-finding
    /// benchmark database; BENCHMARKS.md, "Web pages").
    public func verificationQueue(lab: String?, after: (lab: String, sampleID: String)?, limit: Int) throws -> [VerificationQueueRow] {
        // `+a.status` keeps SQLite off the status index, which scans every waiting result per sample.
        let waiting = "+a.status = 'submitted' AND a.superseded_by IS NULL"
        let sql = """
            WITH page AS MATERIALIZED (
                SELECT s.id, s.lab_code, s.lab_sample_id, s.iso_week FROM sample s
                WHERE (?1 IS NULL OR s.lab_code = ?1)\(after == nil ? "" : " AND (s.lab_code, s.lab_sample_id) > (?2, ?3)")
                  AND EXISTS (SELECT 1 FROM analysis a WHERE a.sample_id = s.id AND \(waiting))
                ORDER BY s.lab_code, s.lab_sample_id LIMIT ?4
            ), found AS (
                SELECT p.id, COALESCE(f.substance_id, f.reported_name) AS substance
                FROM page p CROSS JOIN analysis a ON a.sample_id = p.id AND \(waiting) CROSS JOIN finding f ON f.analysis_id = a.id
                WHERE f.detected
                UNION
                SELECT p.id, COALESCE(f.substance_id, f.reported_name)
                FROM page p CROSS JOIN analysis a ON a.sample_id = p.id AND \(waiting) CROSS JOIN parked_finding f ON f.analysis_id = a.id
                WHERE f.detected
            )
            SELECT p.lab_code, p.lab_sample_id, p.iso_week, (SELECT group_concat(substance, char(31)) FROM found WHERE found.id = p.id)
            FROM page p ORDER BY p.lab_code, p.lab_sample_id
            """
        return try pool.read { db in
            try Row.fetchAll(db, sql: sql, arguments: [lab, after?.lab, after?.sampleID, limit]).map { row in
                let found: String? = row[3]
                return VerificationQueueRow(lab: row[0], sampleID: row[1], week: (row[2] as String?).flatMap(ISOWeek.init),
                                            found: Set(found?.split(separator: "\u{1F}").map(String.init) ?? []).sorted())
            }
        }
    }
}
