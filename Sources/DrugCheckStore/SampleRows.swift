import Foundation
import GRDB

/// Reads of stored samples for a stage working inside its own transaction on its own tables
/// (bulletins flag and publish in one write), so that it runs no SQL against the store's tables.
///
/// ```swift
/// try database.writer.write { db in
///     let ids = try SampleRows.ids(lab: "BE-DCA", sampleID: "DCA-47012", in: db)
///     let waiting = try SampleRows.provisionalCount(among: ids, in: db)
/// }
/// ```
public enum SampleRows {
    /// The row ids of a lab's sample (none when unknown).
    public static func ids(lab: String, sampleID: String, in db: Database) throws -> [Int64] {
        try Int64.fetchAll(db, sql: "SELECT id FROM sample WHERE lab_code = ? AND lab_sample_id = ?", arguments: [lab, sampleID])
    }

    /// How many of these samples still have results awaiting verification (provisional).
    public static func provisionalCount(among ids: [Int64], in db: Database) throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM sample_classification WHERE provisional AND sample_id IN (SELECT value FROM json_each(?))
            """, arguments: [String(decoding: try JSONEncoder().encode(ids), as: UTF8.self)]) ?? 0
    }
}
