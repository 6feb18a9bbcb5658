import DrugCheckModel
import Foundation
import GRDB

/// Writes one import batch inside one transaction of a backend other than SQLite (PostgreSQL),
/// through the stages' shared statements: a new sample with its first analysis in one statement
/// (`RETURNING id`), an analysis' findings in one statement (which, like the classification, the
/// PostgreSQL session only sends: nothing waits for it), a sample given again merged as on SQLite
/// (``BatchLedger``). As on SQLite, the aggregate triggers stand aside for the batch
/// (``AggregateTrigger/deferredSetting``, for this transaction only), and ``finish(notes:)``
/// rebuilds the aggregates and week rollups of the weeks the batch touched: row by row, the
/// triggers made the server do most of an import's work.
///
/// ```swift
/// let store = StatementImportStore(writer: session, quarantineDirectory: folder)
/// let id = try store.importBatch(receipt, waitLimit: 120) { batch in
///     try batch.write(sample, line: 2, classification: classification)
///     return try batch.finish(notes: [])
/// }
/// ```
public final class StatementBatchWriter: StatementTransaction, ImportTransaction {
    private var ledger: BatchLedger

    /// Stored apart from the ledger: the inserts `merge` calls back read it while the ledger changes.
    public let batchID: Int64
    public var sampleCount: Int { ledger.sampleCount }
    public var amendedSamples: Set<String> { ledger.amendedSamples }

    init(statements: any StoredStatements, receipt: BatchReceipt) throws {
        ledger = try BatchLedger(receipt: receipt, in: statements)
        batchID = ledger.batchID
        try statements.execute("SELECT set_config('\(AggregateTrigger.deferredSetting)', 'on', true)", [])
        super.init(statements: statements, tracksRollups: false)
    }

    @discardableResult
    public func write(_ sample: Sample, line: Int?, classification: SampleClassification?) throws -> WrittenSample {
        try ledger.ensureLab(sample.labCode, in: statements)
        let attributes = sample.attributes.isEmpty ? "{}" : JSONColumn.encode(sample.attributes)
        let values = sample.insertValues(attributesJSON: attributes, batchID: batchID)
        // A new sample and its first analysis in one statement, one round trip for most samples;
        // a sample stored already inserts neither and answers NULLs (then it is merged).
        let inserted = try sample.analyses.first.map { first in
            try statements.rows("WITH s AS (\(Sample.insertSQL) RETURNING id), a AS (\(Analysis.insertForNewSampleSQL) RETURNING id) "
                                + "SELECT (SELECT id FROM s), (SELECT id FROM a)", values + first.insertValues(sampleID: 0, batchID: batchID).dropFirst())
        } ?? statements.rows(Sample.insertSQL + " RETURNING id", values)
        if case let .integer(id)? = inserted.first?.first {
            ledger.wroteNew(id: id, line: line, week: sample.weekPlacement?.week.description)
            var analysisIDs: [Int64] = []
            if let first = sample.analyses.first, case let .integer(firstID)? = inserted.first?.last {
                try insertFindings(first.findings, analysisID: firstID)
                analysisIDs.append(firstID)
            }
            analysisIDs += try sample.analyses.dropFirst().map { try insertAnalysis($0, sampleID: id) }
            if let classification { try classify(id, as: classification, provisional: sample.isProvisional) }
            return WrittenSample(id: id, analysisIDs: analysisIDs, merged: false)
        }
        let (written, touched) = try ledger.merge(sample, statements: statements, rows: StatementRows(statements: statements),
                                                  insertAnalysis: { try self.insertAnalysis($0, sampleID: $1) },
                                                  storeFinding: { _ = try self.insertFinding($0, analysisID: $1) })
        touchedBatches.formUnion(touched)
        return written
    }

    private func insertAnalysis(_ analysis: Analysis, sampleID: Int64) throws -> Int64 {
        let rows = try statements.rows(Analysis.insertSQL + " RETURNING id", analysis.insertValues(sampleID: sampleID, batchID: batchID))
        guard case let .integer(id)? = rows.first?.first else { throw StoredWriteError.noRowID("analysis") }
        try insertFindings(analysis.findings, analysisID: id)
        return id
    }

    @discardableResult
    public func attach(_ s: Spectrum, analysisID: Int64) throws -> Int64 {
        let rows = try statements.rows(Spectrum.insertSQL + " RETURNING id", s.insertValues(analysisID: analysisID))
        guard case let .integer(id)? = rows.first?.first else { throw StoredWriteError.noRowID("spectrum") }
        return id
    }

    public func attach(_ c: Chromatogram, analysisID: Int64) throws {
        try statements.execute(Chromatogram.insertSQL, c.insertValues(analysisID: analysisID))
    }

    public func registeredSample(labCode: String, labSampleID: String) throws -> Sample? {
        guard let id = try sampleIDs(lab: labCode, labSampleID: labSampleID).first else { return nil }
        return try storedSample(id: id)
    }

    /// Rebuilds the aggregates and week rollups of the weeks the batch touched, completes the
    /// batch row and appends its audit entries; returns the batch id. Call it last.
    public func finish(notes: [String]) throws -> Int64 {
        if let weeks = Self.inList(ledger.weeks) {
            for statement in BatchAggregates.rebuild(weeks: weeks, postgres: true) { try statements.execute(statement, []) }
        }
        try statements.execute("SELECT set_config('\(AggregateTrigger.deferredSetting)', 'off', true)", [])
        try rebuildRollups(weeks: ledger.weeks.union(ledger.changedWeeks))
        return try ledger.finish(notes: notes, findingCount: findingCount, in: statements, audit: self)
    }
}

/// Import batches stored through any backend's write transactions (``StoredRowWriter``): what
/// `drugcheck import --db postgres://…` imports into. Rejected files are kept in
/// `quarantineDirectory` (a PostgreSQL database has no folder beside it).
public struct StatementImportStore: ImportStore {
    public let writer: any StoredRowWriter
    public let quarantineDirectory: URL

    public init(writer: any StoredRowWriter, quarantineDirectory: URL) {
        self.writer = writer
        self.quarantineDirectory = quarantineDirectory
    }

    public func importedBatch(sha256: String) throws -> (id: Int64, batch: ImportBatch)? {
        try writer.fetchRows("SELECT * FROM import_batch WHERE sha256 = ? AND outcome = 'imported'", [.text(sha256)])
            .first.map { row in let record = try BatchRecord(row: row); return (record.id!, record.model) }
    }

    /// One transaction, taken after the writers before it (the backend's write lock), waiting
    /// for its turn at most `waitLimit` seconds (then ``DatabaseBusy``).
    public func importBatch<T>(_ receipt: BatchReceipt, waitLimit: TimeInterval, _ body: (any ImportTransaction) throws -> T) throws -> T {
        try writer.writeTransaction(waitingAtMost: waitLimit) { statements in
            let batch = try StatementBatchWriter(statements: statements, receipt: receipt)
            let result = try body(batch)
            guard batch.touchedBatches.isEmpty else { throw UnauditedChange(batches: batch.touchedBatches.sorted()) }
            return result
        }
    }

    public func recordRejection(_ receipt: BatchReceipt, labCode: String?, problems: [ImportProblem], keptAt: String?,
                                waitLimit: TimeInterval) throws -> Int64 {
        try writer.writeTransaction(waitingAtMost: waitLimit) {
            try RejectedFile.record(receipt, labCode: labCode, problems: problems, keptAt: keptAt, in: $0)
        }
    }

    public var spectralLibraries: SpectralLibraryStore { SpectralLibraryStore(store: writer) }
}

/// A rejected file's batch row and `rejection` audit entry, on either backend.
enum RejectedFile {
    static func record(_ receipt: BatchReceipt, labCode: String?, problems: [ImportProblem], keptAt: String?,
                       in statements: any StoredStatements) throws -> Int64 {
        if let labCode { try BatchLedger.storeLab(labCode, in: statements) }
        let id = try statements.insertReturningID(BatchRecord(
            id: nil, labCode: labCode, fileName: receipt.fileName, sha256: receipt.sha256, format: receipt.format.rawValue,
            receivedAt: Date(), outcome: "rejected", sampleCount: 0, findingCount: 0, errors: JSONColumn.encode(problems), notes: "[]",
            quarantinePath: keptAt))
        try AuditLog.append(.rejection, subject: "batch:\(id)", actor: receipt.auditActor, details: ImportAuditDetails(
            file: receipt.fileName, sha256: receipt.sha256, format: receipt.format.rawValue, problems: problems.count), in: statements)
        return id
    }
}
