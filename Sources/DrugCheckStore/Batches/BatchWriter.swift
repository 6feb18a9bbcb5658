import DrugCheckModel
import Foundation
import GRDB

/// The file a batch comes from, as the `import_batch` row records it.
public struct BatchReceipt: Sendable {
    public var fileName: String
    public var sha256: String
    public var format: ImportFormat
    /// Who imported it (a token's user, `cli:USER`): a second person verifies its results.
    public var importedBy: String?
    /// Why, when the file amends stored results (`drugcheck samples amend --reason`): its results
    /// then supersede every current result of the same technique, not only the same run.
    public var amendmentReason: String?

    /// The importer as the audit log names it.
    public var auditActor: String { importedBy ?? "cli" }

    public init(fileName: String, sha256: String, format: ImportFormat, importedBy: String? = nil, amendmentReason: String? = nil) {
        self.fileName = fileName
        self.sha256 = sha256
        self.format = format
        self.importedBy = importedBy
        self.amendmentReason = amendmentReason
    }
}

/// A sample as the batch stored it.
public struct WrittenSample: Sendable {
    /// The sample's row id.
    public var id: Int64
    /// Row ids of the sample's analyses as given, in order (for attaching spectra).
    public var analysisIDs: [Int64]
    /// The sample was already stored (by an earlier file, or earlier in this file): its
    /// classification must be computed from everything stored for it (``BatchWriter/storedSample(id:)``).
    public var merged: Bool
}

/// Another import of the same bytes committed while this one ran: this one rolls back.
public struct SameBytesImported: Error, Sendable {}

/// A sample given twice in one file with different values for its own fields.
public struct SampleDisagreement: Error, Sendable {
    public var field: String
    public var stored: String
    public var given: String
    /// Line of the sample's first row in the file, when the batch was told it.
    public var firstLine: Int?
}

/// Writes one import batch inside one transaction: samples, analyses, findings, classifications,
/// spectra and chromatograms, with prepared statements reused for every row. The report
/// aggregates receive each new sample's counts (``AggregateDeltas``); the weeks of samples the
/// batch changed after storing them are rebuilt once, when it finishes.
///
/// A sample already stored for the lab receives the new analyses; an analysis of an earlier file
/// that is the same run (``Analysis/sameRun(as:)``) gets the new one as its next version (a
/// corrected re-export; with an amendment reason, every current result of the same technique),
/// so re-sending a fixed file never duplicates findings and the earlier version is kept
/// (``AnalysisVersions``). Later files complete the sample fields earlier files left empty and
/// never erase a value.
///
/// ```swift
/// let id = try database.importBatch(BatchReceipt(fileName: "w47.csv", sha256: sha, format: .findingsCSV)) { batch in
///     let written = try batch.write(sample, line: 2, classification: classifier.classify(sample))
///     return try batch.finish(notes: [])
/// }
/// ```
public final class BatchWriter: StoreTransaction, ImportTransaction {
    private var ledger: BatchLedger
    private var attributesText: [[String: String]: String] = [:]
    /// The aggregate triggers this batch dropped until `finish` (``BatchAggregates``).
    private let pausedTriggers: [String]
    private let insertSample: FastInsert
    private let insertAnalysisStatement: FastInsert
    /// The new samples' share of the report aggregates, not yet added to the stored rows.
    private var aggregates = AggregateDeltas()

    /// Stored apart from the ledger: the inserts `merge` calls back read it while the ledger changes.
    public let batchID: Int64
    /// Distinct samples the batch wrote (a sample whose rows come apart in the file counts once).
    public var sampleCount: Int { ledger.sampleCount }
    /// Samples whose earlier results this batch superseded, as `LAB/ID`.
    public var amendedSamples: Set<String> { ledger.amendedSamples }

    init(db: Database, receipt: BatchReceipt) throws {
        ledger = try BatchLedger(receipt: receipt, in: db)
        batchID = ledger.batchID
        // A large batch touches index pages all over the sample and finding indexes: with
        // SQLite's default 2 MB page cache most of its time went to re-reading them (perf).
        try db.execute(sql: "PRAGMA cache_size = -49152")
        pausedTriggers = try BatchAggregates.pause(db)
        insertSample = try FastInsert(db, sql: Sample.insertSQL)
        insertAnalysisStatement = try FastInsert(db, sql: Analysis.insertSQL)
        super.init(db: db)
    }

    /// Stores a sample with its analyses and findings. `classification` is stored for a sample
    /// new to the database (nil for one registered without results); for a merged one, classify ``StoreTransaction/storedSample(id:)`` and
    /// call ``StoreTransaction/reclassify(_:with:)``. Throws ``SampleDisagreement`` when an earlier part of this file gave
    /// the sample other values for its own fields.
    @discardableResult
    public func write(_ sample: Sample, line: Int?, classification: SampleClassification?) throws -> WrittenSample {
        try ledger.ensureLab(sample.labCode, in: db)
        let placement = sample.weekPlacement
        let week = placement?.week.description
        let d = sample.description
        // The columns of ``Sample/insertSQL``, bound without building values (the hot path).
        try insertSample.run { b in
            b.text(sample.labCode); b.text(sample.labSampleID); b.text(sample.type.rawValue); b.text(sample.source.rawValue)
            b.text(sample.soldAs); b.text(sample.soldAsSubstanceID); b.text(d.brand); b.text(d.flavour); b.text(d.colour)
            b.text(d.logo); b.text(d.text); b.text(sample.collectedOn?.description); b.text(sample.region); b.text(sample.seizureContext)
            b.text(attributesJSON(sample.attributes)); b.text(week)
            b.text(placement?.basis.rawValue); b.integer(batchID)
        }
        if db.changesCount == 1 {
            let id = db.lastInsertedRowID
            ledger.wroteNew(id: id, line: line, week: week)
            let analysisIDs = try sample.analyses.map { try insertAnalysis($0, sampleID: id) }
            let provisional = sample.isProvisional
            if let classification { try storeClassification(id, classification, provisional: provisional) }
            aggregates.add(sample, classified: classification, provisional: provisional)
            if aggregates.isFull { try aggregates.flush(db) }
            return WrittenSample(id: id, analysisIDs: analysisIDs, merged: false)
        }
        let (written, touched) = try ledger.merge(sample, statements: db, rows: db, insertAnalysis: { try insertAnalysis($0, sampleID: $1) },
                                                  storeFinding: { try storeFinding($0, analysisID: $1) })
        touchedBatches.formUnion(touched)
        return written
    }

    private func insertAnalysis(_ analysis: Analysis, sampleID: Int64) throws -> Int64 {
        try insertAnalysisStatement.run { b in
            b.integer(sampleID); b.integer(batchID); b.text(analysis.technique.rawValue); b.text(analysis.instrument)
            b.text(analysis.method); b.text(analysis.analysedOn?.description)
            let v = analysis.verification
            b.text(analysis.status.rawValue); b.text(v?.verifiedBy); b.text(v?.rule); b.text(v?.at.map { $0.formatted(.iso8601) }); b.text(v?.reason)
        }
        let id = db.lastInsertedRowID
        for finding in analysis.findings { try storeFinding(finding, analysisID: id) }
        return id
    }

    /// A file's samples share a handful of attribute sets (the region as written): JSONEncoder
    /// per sample was a twentieth of the writing thread's time.
    private func attributesJSON(_ attributes: [String: String]) -> String {
        if attributes.isEmpty { return "{}" }
        if let known = attributesText[attributes] { return known }
        let text = JSONColumn.encode(attributes)
        if attributesText.count < 1000 { attributesText[attributes] = text }
        return text
    }

    @discardableResult
    public func attach(_ s: Spectrum, analysisID: Int64) throws -> Int64 {
        try db.cachedStatement(sql: Spectrum.insertSQL).execute(arguments: StatementArguments(s.insertValues(analysisID: analysisID).map(\.databaseValue)))
        return db.lastInsertedRowID
    }

    public func attach(_ c: Chromatogram, analysisID: Int64) throws {
        try db.cachedStatement(sql: Chromatogram.insertSQL).execute(arguments: StatementArguments(c.insertValues(analysisID: analysisID).map(\.databaseValue)))
    }

    /// Brings the report aggregates of the touched weeks up to date, completes the batch row and
    /// appends its `import` audit entry, with the digest of what the batch stored (and of the
    /// earlier batches whose rows it changed); returns the batch id. Call it last: the transaction
    /// commits when the closure given to ``DrugCheckDatabase/importBatch(_:waitLimit:_:)`` returns.
    public func finish(notes: [String]) throws -> Int64 {
        try aggregates.flush(db)
        // Weeks where the batch changed stored samples: their counts are rebuilt, not added to.
        let rebuilt = ledger.mergedWeeks.union(try rollupWeeks())
        try BatchAggregates.recompute(db, weeks: rebuilt)
        try BatchAggregates.resume(db, pausedTriggers)
        try WeekRollups.update(db, weeks: ledger.weeks, rebuiltWeeks: rebuilt)
        try db.execute(sql: "PRAGMA cache_size = -2000")
        return try ledger.finish(notes: notes, findingCount: findingCount, in: db, audit: self)
    }
}

/// The particulars of an `amendment` audit entry.
struct AmendmentAuditDetails: Encodable, Sendable {
    /// The reason of a file that was not sent as an amendment but re-sent results of stored runs.
    static let correctedFile = "corrected re-export of the same runs"
    var file: String
    var samples: [String]
    var reason: String
}

/// The particulars of an `import` or `rejection` audit entry.
struct ImportAuditDetails: Encodable, Sendable {
    var file: String
    var sha256: String
    var format: String
    var samples: Int?
    var findings: Int?
    var problems: Int?
}
