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

extension StoredRowQueries {
    /// Samples with a result waiting for verification in key order (lab, sample id), the first
    /// `limit` after `after`, read in one query: the page asks for only what it shows, no sample
    /// is decoded (decoding 500 samples with their findings took ~90 ms on the 10-million-finding
    /// benchmark database; BENCHMARKS.md, "Web pages").
    public func verificationQueue(lab: String?, after: (lab: String, sampleID: String)?, limit: Int) throws -> [VerificationQueueRow] {
        // `+a.status` keeps SQLite off the status index, which scans every waiting result per sample.
        let waiting = (isSQLite ? "+" : "") + "a.status = 'submitted' AND a.superseded_by IS NULL"
        let (join, concat) = isSQLite ? ("CROSS JOIN", "group_concat(substance, char(31))") : ("JOIN", "string_agg(substance, chr(31))")
        let sql = """
            WITH page AS MATERIALIZED (
                SELECT s.id, s.lab_code, s.lab_sample_id, s.iso_week FROM sample s
                WHERE (?1 = '' OR s.lab_code = ?1)\(after == nil ? "" : " AND (s.lab_code, s.lab_sample_id) > (?2, ?3)")
                  AND EXISTS (SELECT 1 FROM analysis a WHERE a.sample_id = s.id AND \(waiting))
                ORDER BY s.lab_code, s.lab_sample_id LIMIT ?\(after == nil ? 2 : 4)
            ), found AS (
                SELECT p.id, COALESCE(f.substance_id, f.reported_name) AS substance
                FROM page p \(join) analysis a ON a.sample_id = p.id AND \(waiting) \(join) finding f ON f.analysis_id = a.id
                WHERE f.detected
                UNION
                SELECT p.id, COALESCE(f.substance_id, f.reported_name)
                FROM page p \(join) analysis a ON a.sample_id = p.id AND \(waiting) \(join) parked_finding f ON f.analysis_id = a.id
                WHERE f.detected
            )
            SELECT p.lab_code, p.lab_sample_id, p.iso_week, (SELECT \(concat) FROM found WHERE found.id = p.id) AS found
            FROM page p ORDER BY p.lab_code, p.lab_sample_id
            """
        let page: [StoredValue] = after.map { [.text($0.lab), .text($0.sampleID)] } ?? []
        return try fetchRows(sql, [.text(lab ?? "")] + page + [.integer(Int64(limit))]).map { row in
            let found: String? = row["found"]
            return VerificationQueueRow(lab: row["lab_code"], sampleID: row["lab_sample_id"], week: (row["iso_week"] as String?).flatMap(ISOWeek.init),
                                        found: Set(found?.split(separator: "\u{1F}").map(String.init) ?? []).sorted())
        }
    }
}
