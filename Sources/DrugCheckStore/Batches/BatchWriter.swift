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
/// aggregates are brought up to date once, for the ISO weeks the batch touched, when it finishes.
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
public final class BatchWriter: StoreTransaction {
    public let batchID: Int64
    private let receipt: BatchReceipt
    private var labs: Set<String> = []
    private var weeks: Set<String> = []
    /// Weeks of samples of earlier batches this batch changed (their rollups are rebuilt, not added to).
    private var changedWeeks: Set<String> = []
    private var firstLines: [Int64: Int32] = [:]
    private var attributesText: [[String: String]: String] = [:]
    /// The aggregate triggers this batch dropped until `finish` (``BatchAggregates``).
    private let pausedTriggers: [String]
    private let insertSample: FastInsert
    private let insertAnalysisStatement: FastInsert
    /// Distinct samples the batch wrote (a sample whose rows come apart in the file counts once).
    public private(set) var sampleCount = 0
    /// Samples whose earlier results this batch superseded, as `LAB/ID`.
    public private(set) var amendedSamples: Set<String> = []

    init(db: Database, receipt: BatchReceipt) throws {
        // Marked imported only by `finish`: until then the same bytes may be refused for another
        // lab while the lab's own import of them stands.
        try db.execute(sql: """
            INSERT INTO import_batch (lab_code, file_name, sha256, format, received_at, outcome, imported_by, reason)
            VALUES (NULL, ?, ?, ?, ?, 'rejected', ?, ?)
            """, arguments: [receipt.fileName, receipt.sha256, receipt.format.rawValue, Date(), receipt.importedBy, receipt.amendmentReason])
        batchID = db.lastInsertedRowID
        self.receipt = receipt
        // A large batch touches index pages all over the sample and finding indexes: with
        // SQLite's default 2 MB page cache most of its time went to re-reading them (perf).
        try db.execute(sql: "PRAGMA cache_size = -49152")
        pausedTriggers = try BatchAggregates.pause(db)
        insertSample = try FastInsert(db, sql: """
            INSERT INTO sample (lab_code, lab_sample_id, sample_type, source, sold_as, sold_as_substance_id, brand, flavour, colour,
                                logo, description, collected_on, region, seizure_context, attributes, iso_week, week_basis, first_batch_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (lab_code, lab_sample_id) DO NOTHING
            """)
        insertAnalysisStatement = try FastInsert(db, sql: """
            INSERT INTO analysis (sample_id, batch_id, technique, instrument, method, analysed_on,
                                  status, verified_by, verification_rule, verified_at, rejection_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        super.init(db: db, tracksRollups: false)
    }

    /// Stores a sample with its analyses and findings. `classification` is stored for a sample
    /// new to the database (nil for one registered without results); for a merged one, classify ``StoreTransaction/storedSample(id:)`` and
    /// call ``StoreTransaction/reclassify(_:with:)``. Throws ``SampleDisagreement`` when an earlier part of this file gave
    /// the sample other values for its own fields.
    @discardableResult
    public func write(_ sample: Sample, line: Int? = nil, classification: SampleClassification?) throws -> WrittenSample {
        try ensureLab(sample.labCode)
        let placement = sample.weekPlacement
        let week = placement?.week.description
        let d = sample.description
        try insertSample.run { b in
            b.text(sample.labCode); b.text(sample.labSampleID); b.text(sample.type.rawValue); b.text(sample.source.rawValue)
            b.text(sample.soldAs); b.text(sample.soldAsSubstanceID); b.text(d.brand); b.text(d.flavour); b.text(d.colour)
            b.text(d.logo); b.text(d.text); b.text(sample.collectedOn?.description); b.text(sample.region); b.text(sample.seizureContext)
            b.text(attributesJSON(sample.attributes)); b.text(week)
            b.text(placement?.basis.rawValue); b.integer(batchID)
        }
        if db.changesCount == 1 {
            sampleCount += 1
            let id = db.lastInsertedRowID
            if let line {
                // Bounded, so memory does not grow with the file: a sample repeated far apart is
                // reported as "earlier in the file" instead of by line.
                if firstLines.count >= 200_000 { firstLines.removeAll(keepingCapacity: true) }
                firstLines[id] = Int32(clamping: line)
            }
            if let week { weeks.insert(week) }
            let analysisIDs = try sample.analyses.map { try insertAnalysis($0, sampleID: id) }
            if let classification { try classify(id, as: classification, provisional: sample.isProvisional) }
            return WrittenSample(id: id, analysisIDs: analysisIDs, merged: false)
        }
        return try merge(sample)
    }

    /// A sample stored before: check it against this file's earlier rows, complete its fields and
    /// add the analyses.
    private func merge(_ sample: Sample) throws -> WrittenSample {
        guard var record = try SampleRecord.filter(Column("lab_code") == sample.labCode && Column("lab_sample_id") == sample.labSampleID)
            .fetchOne(db), let id = record.id else {
            throw DatabaseError(message: "sample \(sample.labCode)/\(sample.labSampleID) vanished during the import")
        }
        if record.firstBatchId == batchID, let first = try? SampleReader.sample(db, record: record),
           let disagreement = first.disagreements(with: sample).first {
            throw SampleDisagreement(field: disagreement.field, stored: disagreement.mine, given: disagreement.theirs,
                                     firstLine: firstLines[id].map(Int.init))
        }
        let earlier = record.firstBatchId != batchID
        if earlier, try !Self.hasRun(db, sampleID: id, batchID: batchID) { sampleCount += 1 }
        if let week = record.isoWeek { weeks.insert(week); if earlier { changedWeeks.insert(week) } }
        if earlier { touchedBatches.insert(record.firstBatchId) }
        record.fillGaps(from: sample)
        var analysisIDs: [Int64] = []
        for analysis in sample.analyses {
            let run = Self.sameRun(analysis, sampleID: id, batchID: batchID)
            if let existing = try Int64.fetchOne(db, sql: "SELECT id FROM analysis WHERE \(run.sql) AND batch_id = ? ORDER BY id LIMIT 1",
                                                 arguments: run.arguments) {
                for finding in analysis.findings { try storeFinding(finding, analysisID: existing) }
                analysisIDs.append(existing)
            } else {
                let replaced: (sql: String, arguments: StatementArguments) = receipt.amendmentReason == nil ? run
                    : (sql: "sample_id = ? AND technique = ?", arguments: [id, analysis.technique.rawValue, batchID])
                let earlier = try Row.fetchAll(db, sql: """
                    SELECT id, batch_id FROM analysis WHERE \(replaced.sql) AND batch_id <> ? AND superseded_by IS NULL
                    """, arguments: replaced.arguments)
                let newID = try insertAnalysis(analysis, sampleID: id)
                try AnalysisVersions.supersede(earlier.map { $0[0] }, by: newID, in: db)
                touchedBatches.formUnion(earlier.map { $0[1] })
                if !earlier.isEmpty { amendedSamples.insert("\(record.labCode)/\(record.labSampleId)") }
                analysisIDs.append(newID)
            }
        }
        try refreshVersions(ofSample: id)
        let runDates = try String.fetchAll(db, sql: "SELECT analysed_on FROM analysis WHERE sample_id = ? AND counted AND analysed_on IS NOT NULL",
                                           arguments: [id]).compactMap(CalendarDate.init(iso:))
        let placement = Sample(labCode: record.labCode, labSampleID: record.labSampleId, type: .other,
                               collectedOn: record.collectedOn.flatMap(CalendarDate.init(iso:)),
                               analyses: runDates.map { Analysis(technique: .other, analysedOn: $0) }).weekPlacement
        record.isoWeek = placement?.week.description
        record.weekBasis = placement?.basis.rawValue
        try record.update(db)
        if let week = record.isoWeek { weeks.insert(week); if earlier { changedWeeks.insert(week) } }
        return WrittenSample(id: id, analysisIDs: analysisIDs, merged: true)
    }

    /// The analyses of a sample that are the same run as `analysis` (``Analysis/sameRun(as:)``
    /// in SQL), with the batch id as the last argument for the caller's `batch_id` condition.
    private static func sameRun(_ analysis: Analysis, sampleID: Int64, batchID: Int64) -> (sql: String, arguments: StatementArguments) {
        ("sample_id = ? AND technique = ? AND instrument IS ? AND method IS ? AND analysed_on IS ?",
         [sampleID, analysis.technique.rawValue, analysis.instrument, analysis.method, analysis.analysedOn?.description, batchID])
    }

    /// Whether the sample already has an analysis of this batch (it was counted).
    private static func hasRun(_ db: Database, sampleID: Int64, batchID: Int64) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM analysis WHERE sample_id = ? AND batch_id = ?)",
                          arguments: [sampleID, batchID]) ?? false
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

    private func ensureLab(_ code: String) throws {
        guard !labs.contains(code) else { return }
        labs.insert(code)
        try LabRecord(code: code, name: code, country: Lab.country(ofCode: code)).insert(db, onConflict: .ignore)
    }

    /// Stores a spectrum with the analysis it was measured in; returns its row id.
    public func attach(_ s: Spectrum, analysisID: Int64) throws -> Int64 {
        try db.cachedStatement(sql: """
            INSERT INTO spectrum (analysis_id, native_id, name, ms_level, rt_seconds, precursor_mz, precursor_charge, polarity,
                                  peak_count, mz, intensity, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [analysisID, s.id, s.name, s.msLevel, s.retentionTimeSeconds, s.precursorMZ, s.precursorCharge,
                                     s.polarity?.rawValue, s.peakCount, PeakBlob.float64LE(s.mz), PeakBlob.float32LE(s.intensity),
                                     JSONColumn.encode(s.metadata)])
        return db.lastInsertedRowID
    }

    /// Stores a chromatogram with the analysis it was recorded in.
    public func attach(_ c: Chromatogram, analysisID: Int64) throws {
        try db.cachedStatement(sql: """
            INSERT INTO chromatogram (analysis_id, native_id, type, point_count, rt_seconds, intensity) VALUES (?, ?, ?, ?, ?, ?)
            """).execute(arguments: [analysisID, c.id, c.type, c.pointCount, PeakBlob.float64LE(c.timesSeconds), PeakBlob.float32LE(c.intensity)])
    }

    /// Brings the report aggregates of the touched weeks up to date, completes the batch row and
    /// appends its `import` audit entry, with the digest of what the batch stored (and of the
    /// earlier batches whose rows it changed); returns the batch id. Call it last: the transaction
    /// commits when the closure given to ``DrugCheckDatabase/importBatch(_:waitLimit:_:)`` returns.
    public func finish(notes: [String]) throws -> Int64 {
        try BatchAggregates.recompute(db, weeks: weeks)
        try BatchAggregates.resume(db, pausedTriggers)
        try WeekRollups.update(db, batchID: batchID, weeks: weeks, changedWeeks: changedWeeks)
        try db.execute(sql: "PRAGMA cache_size = -2000")
        do {
            try db.execute(sql: """
                UPDATE import_batch SET outcome = 'imported', lab_code = ?, sample_count = ?, finding_count = ?, notes = ? WHERE id = ?
                """, arguments: [labs.count == 1 ? labs.first : nil, sampleCount, findingCount, JSONColumn.encode(notes), batchID])
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw SameBytesImported()
        }
        touchedBatches.insert(batchID)
        try recordAudit(.import, subject: "batch:\(batchID)", actor: receipt.auditActor, details: ImportAuditDetails(
            file: receipt.fileName, sha256: receipt.sha256, format: receipt.format.rawValue, samples: sampleCount, findings: findingCount))
        if !amendedSamples.isEmpty {
            try recordAudit(.amendment, subject: "batch:\(batchID)", actor: receipt.auditActor, details: AmendmentAuditDetails(
                file: receipt.fileName, samples: amendedSamples.sorted(), reason: receipt.amendmentReason ?? AmendmentAuditDetails.correctedFile))
        }
        return batchID
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
