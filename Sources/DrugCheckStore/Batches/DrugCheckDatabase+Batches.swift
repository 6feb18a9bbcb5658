import DrugCheckModel
import Foundation
import GRDB

/// The database stayed locked by other writers for longer than the caller was willing to wait.
public struct DatabaseBusy: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var waitedSeconds: Int

    public init(path: String, waitedSeconds: Int) {
        self.path = path
        self.waitedSeconds = waitedSeconds
    }

    public var description: String {
        "the database \(path) stayed locked by other writers for \(waitedSeconds) s: nothing was written; try again later"
    }
}

extension DrugCheckDatabase {
    /// Writes one import batch in one transaction: everything `body` writes through the
    /// ``BatchWriter`` commits together when it returns, or not at all when it throws.
    ///
    /// Another process holding the write lock is waited for, retrying with backoff for up to
    /// `waitLimit` seconds; then ``DatabaseBusy`` is thrown. `body` may run more than once and must
    /// start over each time (open its input again).
    public func importBatch<T>(_ receipt: BatchReceipt, waitLimit: TimeInterval = 120,
                               _ body: (BatchWriter) throws -> T) throws -> T {
        try retryingWhileBusy(waitLimit: waitLimit) {
            try pool.write { db in
                let batch = try BatchWriter(db: db, receipt: receipt)
                let result = try body(batch)
                guard batch.touchedBatches.isEmpty else { throw UnauditedChange(batches: batch.touchedBatches.sorted()) }
                return result
            }
        }
    }

    /// The imported batch with these bytes, when there is one.
    public func importedBatch(sha256: String) throws -> (id: Int64, batch: ImportBatch)? {
        try guardingFile {
            try pool.read { db in try BatchRecord.filter(Column("sha256") == sha256 && Column("outcome") == "imported").fetchOne(db) }
        }.map { ($0.id!, $0.model) }
    }

    /// Records a rejected file with its problems and where its bytes are kept; returns the batch id.
    public func recordRejection(_ receipt: BatchReceipt, labCode: String?, problems: [ImportProblem],
                                keptAt: String?, waitLimit: TimeInterval = 120) throws -> Int64 {
        try retryingWhileBusy(waitLimit: waitLimit) {
            try pool.write { db in try RejectedFile.record(receipt, labCode: labCode, problems: problems, keptAt: keptAt, in: db) }
        }
    }

    /// Runs `work`, again after a growing pause (with jitter, so waiting writers do not collide
    /// again) while SQLite answers busy or locked, for up to `waitLimit` seconds.
    func retryingWhileBusy<T>(waitLimit: TimeInterval, _ work: () throws -> T) throws -> T {
        let start = Date()
        var pause = 0.05
        while true {
            do {
                return try guardingFile(work)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
                let waited = Date().timeIntervalSince(start)
                guard waited + pause < waitLimit else { throw DatabaseBusy(path: path, waitedSeconds: Int(waited.rounded())) }
                Thread.sleep(forTimeInterval: pause * Double.random(in: 0.5...1.5))
                pause = min(pause * 2, 2)
            }
        }
    }
}

extension BatchRecord {
    var model: ImportBatch {
        ImportBatch(labCode: labCode, fileName: fileName, sha256: sha256, format: ImportFormat(rawValue: format) ?? .unknown,
                    receivedAt: receivedAt, outcome: ImportOutcome(rawValue: outcome) ?? .rejected,
                    sampleCount: sampleCount, findingCount: findingCount,
                    errors: JSONColumn.decode([ImportProblem].self, errors) ?? [],
                    notes: JSONColumn.decode([String].self, notes) ?? [])
    }
}
