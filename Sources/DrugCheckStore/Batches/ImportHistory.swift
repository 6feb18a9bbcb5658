import DrugCheckModel
import Foundation
import GRDB

/// One file received, as the import history shows it: the batch, who sent it and, for a
/// rejected file, where its bytes are kept (so its offending lines can be shown).
public struct ImportHistoryEntry: Sendable {
    public var id: Int64
    public var batch: ImportBatch
    public var importedBy: String?
    public var keptAt: String?
}

extension StoredRowQueries {
    /// One import batch by its id, as the model's `ImportBatch` (for `GET /v1/imports/{id}`).
    ///
    /// ```swift
    /// if let batch = try db.importBatch(id: 7), batch.labCode == caller.labCode { … }
    /// ```
    public func importBatch(id: Int64) throws -> ImportBatch? {
        try fetchRows("SELECT * FROM import_batch WHERE id = ?", [.integer(id)]).first.map { try BatchRecord(row: $0).model }
    }

    /// The newest files received first, of one lab (or of all labs when `labCode` is nil).
    ///
    /// ```swift
    /// for entry in try db.importHistory(labCode: "BE-DCA", limit: 50) where entry.batch.outcome == .rejected { … }
    /// ```
    public func importHistory(labCode: String?, limit: Int = 100) throws -> [ImportHistoryEntry] {
        let rows = try fetchRows("""
            SELECT *, imported_by AS importer FROM import_batch WHERE (?1 = '' OR lab_code = ?1) ORDER BY id DESC LIMIT ?2
            """, [.text(labCode ?? ""), .integer(Int64(limit))])
        return try rows.map { row in
            let record = try BatchRecord(row: row)
            return ImportHistoryEntry(id: record.id!, batch: record.model, importedBy: row["importer"], keptAt: record.quarantinePath)
        }
    }
}
