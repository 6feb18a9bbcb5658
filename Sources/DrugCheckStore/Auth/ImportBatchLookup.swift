import DrugCheckModel
import Foundation
import GRDB

extension DrugCheckDatabase {
    /// One import batch by its id, as the model's `ImportBatch` (for `GET /v1/imports/{id}`).
    ///
    /// ```swift
    /// if let batch = try db.importBatch(id: 7), batch.labCode == caller.labCode { … }
    /// ```
    public func importBatch(id: Int64) throws -> ImportBatch? {
        try pool.read { db in try BatchRecord.fetchOne(db, key: id) }.map(\.model)
    }
}
