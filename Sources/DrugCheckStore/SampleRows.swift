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
    public static func ids(lab: String, sampleID: String, in statements: any StoredStatements) throws -> [Int64] {
        try statements.rows("SELECT id FROM sample WHERE lab_code = ? AND lab_sample_id = ?", [.text(lab), .text(sampleID)])
            .compactMap { if case let .integer(id)? = $0.first { id } else { nil } }
    }

    /// How many of these samples still have results awaiting verification (provisional), in a
    /// transaction on either backend.
    public static func provisionalCount(among ids: [Int64], in statements: any StoredStatements) throws -> Int {
        guard !ids.isEmpty else { return 0 }
        var count: Int64 = 0
        // Chunks keep each statement within SQLite's and PostgreSQL's parameter limits.
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = ids[start..<min(start + 500, ids.count)]
            let sql = "SELECT COUNT(*) FROM sample_classification WHERE provisional AND sample_id IN ("
                + Array(repeating: "?", count: chunk.count).joined(separator: ", ") + ")"
            if case let .integer(n)? = try statements.rows(sql, chunk.map { .integer($0) }).first?.first { count += n }
        }
        return Int(count)
    }
}
