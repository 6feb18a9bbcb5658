import DrugCheckModel
import Foundation
import GRDB

/// A sample spectrum as stored, read back for identification.
public struct StoredSpectrum: Sendable {
    public let id: Int64
    public let analysisID: Int64
    public let spectrum: Spectrum
}

/// What one spectrum's identification stored: the columns a report or a reviewer reads, and
/// the whole result as JSON (the store does not interpret it).
public struct SpectrumIdentificationRow: Sendable {
    public var substanceClass: String
    public var suspectedNewAnalogue: Bool
    public var level: String?
    public var substance: String?
    public var basis: String
    public var resultJSON: String
    public var libraryVersion: String
    public var rulesVersion: String

    public init(substanceClass: String, suspectedNewAnalogue: Bool, level: String?, substance: String?, basis: String,
                resultJSON: String, libraryVersion: String, rulesVersion: String) {
        self.substanceClass = substanceClass
        self.suspectedNewAnalogue = suspectedNewAnalogue
        self.level = level
        self.substance = substance
        self.basis = basis
        self.resultJSON = resultJSON
        self.libraryVersion = libraryVersion
        self.rulesVersion = rulesVersion
    }
}

/// Typed reads and writes of stored samples inside one write transaction, for the stages that
/// derive data from them (identification of stored spectra, classification). Obtained from
/// ``DrugCheckDatabase/write(_:)``, or as the ``BatchWriter`` of an import.
///
/// A transaction that changes stored samples, analyses or findings records that in the audit log
/// before it ends (``recordAudit(_:subject:actor:details:coveringBatches:)``); the batches it
/// touched are tracked for that entry. An import's ``BatchWriter`` does so in `finish`.
///
/// ```swift
/// try database.write { tx in
///     for id in try tx.sampleIDs(lab: nil, labSampleID: "DCA-47012") {
///         try tx.relinkNames(sampleID: id) { catalogue.match($0)?.id }
///     }
///     try tx.recordAudit(.reclassification, subject: "DCA-47012", actor: "cli")
/// }
/// ```
public class StoreTransaction {
    let db: Database
    /// Findings' confidence JSON by value: a file's lab findings share a handful of values.
    private var confidenceJSON: [IdentificationConfidence: String] = [:]
    private lazy var insertFinding = try? FastInsert(db, sql: Finding.insertSQL(flag: "?"))
    private lazy var insertClassification = try? FastInsert(db, sql: ClassificationUpsert.sql(flag: "?"))

    /// Findings this transaction added.
    public private(set) var findingCount = 0
    /// Import batches whose covered rows (``BatchDigest``) this transaction changed and that no
    /// audit entry has recorded yet: ``recordAudit(_:subject:actor:details:coveringBatches:)`` does.
    var touchedBatches: Set<Int64> = []
    /// Samples (and analyses) changed after they were stored: their weeks' rollups (and, in an
    /// import batch, report aggregates) are rebuilt before the transaction commits.
    private var rollupSamples: Set<Int64> = []
    private var rollupAnalyses: Set<Int64> = []

    init(db: Database) {
        self.db = db
    }

    private func touch(sample id: Int64) { rollupSamples.insert(id) }
    private func touch(analysis id: Int64) { rollupAnalyses.insert(id) }

    /// The ISO weeks of the samples this transaction changed (``touch(sample:)``).
    func rollupWeeks() throws -> Set<String> {
        var weeks: Set<String> = []
        let samples = Array(rollupSamples), analyses = Array(rollupAnalyses)
        for (ids, sql) in [(samples, "SELECT DISTINCT iso_week FROM sample WHERE iso_week IS NOT NULL AND id IN "),
                           (analyses, "SELECT DISTINCT s.iso_week FROM analysis a JOIN sample s ON s.id = a.sample_id WHERE s.iso_week IS NOT NULL AND a.id IN ")] {
            for start in stride(from: 0, to: ids.count, by: 500) {
                let chunk = ids[start..<min(ids.count, start + 500)]
                weeks.formUnion(try String.fetchAll(db, sql: sql + "(\(chunk.map { _ in "?" }.joined(separator: ",")))",
                                                    arguments: StatementArguments(Array(chunk))))
            }
        }
        return weeks
    }

    /// Row ids of the stored samples, all or those of one lab sample id (and lab), by lab and id.
    public func sampleIDs(lab: String? = nil, labSampleID: String? = nil) throws -> [Int64] {
        var request = SampleRecord.select(Column("id")).order(Column("lab_code"), Column("lab_sample_id"))
        if let labSampleID { request = request.filter(Column("lab_sample_id") == labSampleID) }
        if let lab { request = request.filter(Column("lab_code") == lab) }
        return try Int64.fetchAll(db, request)
    }

    /// Everything stored for a sample, as the model's value.
    public func storedSample(id: Int64) throws -> Sample {
        guard let record = try SampleRecord.fetchOne(db, key: id) else {
            throw DatabaseError(message: "sample \(id) vanished during the transaction")
        }
        return try SampleReader.sample(db, record: record)
    }

    /// The sample a lab registered (or imported) under its own id, with everything stored for it.
    public func registeredSample(labCode: String, labSampleID: String) throws -> Sample? {
        try SampleRecord.filter(Column("lab_code") == labCode && Column("lab_sample_id") == labSampleID).fetchOne(db)
            .map { try SampleReader.sample(db, record: $0) }
    }

    /// Classifies a stored sample again from everything stored for it (`classification` is the
    /// classifier's rule) and stores the result; returns it.
    @discardableResult
    public func reclassify(_ sampleID: Int64, with classification: (Sample) -> SampleClassification?) throws -> SampleClassification? {
        let sample = try storedSample(id: sampleID)
        let result = classification(sample)
        try classify(sampleID, as: result, provisional: sample.isProvisional)
        return result
    }

    /// Stores a sample's classification (replacing the one it had); nil removes it (a sample
    /// with no counted results is not counted in reports). `provisional`: some counted result
    /// awaits verification (``Sample/isProvisional``).
    public func classify(_ sampleID: Int64, as classification: SampleClassification?, provisional: Bool) throws {
        touch(sample: sampleID)
        guard let c = classification else { return try removeClassification(of: sampleID) }
        try storeClassification(sampleID, c, provisional: provisional)
    }

    /// Stores the classification of a sample the caller accounts for (a batch's new sample).
    func storeClassification(_ sampleID: Int64, _ c: SampleClassification, provisional: Bool) throws {
        guard let statement = insertClassification else { throw DatabaseError(message: "cannot prepare the classification insert") }
        try statement.run { b in
            for value in ClassificationUpsert.values(sampleID: sampleID, c, provisional: provisional) {
                switch value {
                case let .integer(n): b.integer(n)
                case let .text(text): b.text(text)
                default: b.text(nil)
                }
            }
        }
    }

    /// Removes a sample's classification (it then counts in no report until classified again).
    public func removeClassification(of sampleID: Int64) throws {
        touch(sample: sampleID)
        try db.execute(sql: "DELETE FROM sample_classification WHERE sample_id = ?", arguments: [sampleID])
    }

    /// The stored classification of a sample.
    public func classification(of sampleID: Int64) throws -> SampleClassification? {
        try ClassificationRecord.fetchOne(db, key: sampleID)?.model
    }

    /// Sets the catalogue substance of the findings the lab reported (not those DrugCheck made
    /// from spectra) and of the sold-as text, from `match` (a catalogue look-up by name).
    public func relinkNames(sampleID: Int64, match: (String) -> String?) throws {
        touch(sample: sampleID)
        let findings = try FindingRecord.filter(sql: "analysis_id IN (SELECT id FROM analysis WHERE sample_id = ?)", arguments: [sampleID])
            .fetchAll(db)
        for f in findings where (JSONColumn.decode(IdentificationConfidence.self, f.confidence)?.assessedBy ?? "lab") == "lab" {
            try db.execute(sql: "UPDATE finding SET substance_id = ? WHERE id = ?", arguments: [match(f.reportedName), f.id])
        }
        touchedBatches.formUnion(try BatchDigest.batches(ofSample: sampleID, in: db))
        let soldAs = try String.fetchOne(db, sql: "SELECT sold_as FROM sample WHERE id = ?", arguments: [sampleID])
        try db.execute(sql: "UPDATE sample SET sold_as_substance_id = ? WHERE id = ?", arguments: [soldAs.flatMap(match), sampleID])
    }

    /// The sample's stored spectra that have peaks, in storage order.
    public func spectra(ofSample sampleID: Int64) throws -> [StoredSpectrum] {
        try Row.fetchAll(db, sql: StoredSpectrum.sql, arguments: [sampleID]).map(StoredSpectrum.init(row:))
    }

    /// The identifications stored for these spectra: library version, rules version and result JSON.
    public func identifications(ofSpectra ids: [Int64]) throws -> [Int64: (libraryVersion: String, rulesVersion: String, resultJSON: String)] {
        guard !ids.isEmpty else { return [:] }
        let rows = try Row.fetchAll(db, sql: SpectrumIdentificationRow.storedSQL(count: ids.count), arguments: StatementArguments(ids))
        return Dictionary(uniqueKeysWithValues: rows.map { row in
            (row["spectrum_id"] as Int64, (row["library_version"] as String, row["rules_version"] as String, row["result"] as String))
        })
    }

    /// Removes the identifications of a sample's spectra and the findings DrugCheck made from them
    /// (the lab's own findings stay).
    public func removeIdentifications(ofSample sampleID: Int64) throws {
        touch(sample: sampleID)
        let sql = SpectrumIdentificationRow.removalSQL
        try db.execute(sql: sql.findings, arguments: [sampleID])
        var removed = db.changesCount
        try db.execute(sql: sql.parked, arguments: [sampleID])
        removed += db.changesCount
        if removed > 0 { touchedBatches.formUnion(try BatchDigest.batches(ofSample: sampleID, in: db)) }
        try db.execute(sql: sql.identifications, arguments: [sampleID])
    }

    /// Decides again which version of each of the sample's runs counts (``AnalysisVersions``):
    /// after its results were verified, rejected or amended, or findings were added to a version
    /// that does not count.
    public func refreshVersions(ofSample sampleID: Int64) throws {
        touch(sample: sampleID)
        try AnalysisVersions.refresh(sampleID: sampleID, in: db)
    }

    /// Adds a finding to a stored analysis; returns its row id.
    @discardableResult
    public func addFinding(_ f: Finding, analysisID: Int64) throws -> Int64 {
        touch(analysis: analysisID)
        if let batch = try BatchDigest.batch(ofAnalysis: analysisID, in: db) { touchedBatches.insert(batch) }
        return try storeFinding(f, analysisID: analysisID)
    }

    /// Inserts a finding row; the caller accounts for the batch it belongs to.
    @discardableResult
    func storeFinding(_ f: Finding, analysisID: Int64) throws -> Int64 {
        guard let statement = insertFinding else { throw DatabaseError(message: "cannot prepare the finding insert") }
        let confidence = f.confidence.map(json)
        try statement.run { b in
            b.integer(analysisID); b.text(f.reportedName); b.text(f.substanceID); b.bool(f.detected); b.double(f.concentration?.value)
            b.text(f.concentration?.unit.rawValue); b.double(f.retentionTimeMinutes); b.double(f.mz); b.double(f.matchScore)
            b.text(confidence)
        }
        findingCount += 1
        return db.lastInsertedRowID
    }

    private func json(_ confidence: IdentificationConfidence) -> String {
        if let known = confidenceJSON[confidence] { return known }
        let text = JSONColumn.encode(confidence)
        if confidenceJSON.count < 1000 { confidenceJSON[confidence] = text }
        return text
    }

    /// Stores a spectrum's identification, linked to the finding it supports (if any).
    public func recordIdentification(spectrumID: Int64, _ row: SpectrumIdentificationRow, findingID: Int64?) throws {
        try db.execute(SpectrumIdentificationRow.insertSQL(flag: "?"), row.values(spectrumID: spectrumID, findingID: findingID))
    }
}

extension StoreTransaction {
    /// Appends an audit entry in this transaction carrying the digest of every batch the
    /// transaction changed so far (and of `coveringBatches`); see ``AuditLog``.
    @discardableResult
    public func recordAudit(_ kind: AuditKind, subject: String, actor: String, details: (any Encodable & Sendable)? = nil,
                            coveringBatches: Set<Int64> = []) throws -> AuditLogEntry {
        let entry = try AuditLog.append(kind, subject: subject, actor: actor, details: details,
                                        coveringBatches: touchedBatches.union(coveringBatches), in: db)
        touchedBatches = []
        return entry
    }
}

/// A write changed stored results but recorded no audit entry for them: a DrugCheck bug.
public struct UnauditedChange: Error, CustomStringConvertible, Sendable {
    public var batches: [Int64]
    public var description: String {
        "internal error: stored results of batches \(batches.map(String.init).joined(separator: ", ")) were changed without an audit entry; nothing was written"
    }
}

extension DrugCheckDatabase {
    /// Runs `body` in one write transaction (waiting for other writers as ``importBatch(_:waitLimit:_:)`` does).
    /// A body that changes stored samples, analyses or findings must call
    /// ``StoreTransaction/recordAudit(_:subject:actor:details:coveringBatches:)``; otherwise the
    /// transaction rolls back with ``UnauditedChange``.
    public func write<T>(waitLimit: TimeInterval = 120, _ body: (StoreTransaction) throws -> T) throws -> T {
        try retryingWhileBusy(waitLimit: waitLimit) {
            try pool.write { db in
                let tx = StoreTransaction(db: db)
                let result = try body(tx)
                guard tx.touchedBatches.isEmpty else { throw UnauditedChange(batches: tx.touchedBatches.sorted()) }
                try WeekRollups.recompute(db, weeks: try tx.rollupWeeks())
                return result
            }
        }
    }
}

/// A result waiting for verification: the analysis and who imported it.
public struct PendingResult: Sendable {
    public var analysisID: Int64
    public var technique: String
    public var importedBy: String?

    static let sql = """
        SELECT a.id, a.technique, b.imported_by FROM analysis a JOIN import_batch b ON b.id = a.batch_id
        WHERE a.sample_id = ? AND a.status = 'submitted' AND a.superseded_by IS NULL ORDER BY a.id
        """
}

extension Verification {
    static let updateSQL = """
        UPDATE analysis SET status = ?, verified_by = ?, verification_rule = ?, verified_at = ?, rejection_reason = ? WHERE id = ?
        """

    static func arguments(_ v: Verification, analysisID: Int64) -> [StoredValue] {
        [.text(v.status.rawValue), .of(v.verifiedBy), .of(v.rule), .of(v.at.map { $0.formatted(.iso8601) }), .of(v.reason),
         .integer(analysisID)]
    }
}

extension SampleTransaction {
    /// ``recordAudit(_:subject:actor:details:coveringBatches:)`` covering only the batches changed.
    @discardableResult
    public func recordAudit(_ kind: AuditKind, subject: String, actor: String, details: (any Encodable & Sendable)? = nil) throws -> AuditLogEntry {
        try recordAudit(kind, subject: subject, actor: actor, details: details, coveringBatches: [])
    }
}

extension StoreTransaction {
    /// The sample's results that wait for verification.
    public func pendingResults(ofSample sampleID: Int64) throws -> [PendingResult] {
        try Row.fetchAll(db, sql: PendingResult.sql, arguments: [sampleID]).map {
            PendingResult(analysisID: $0[0], technique: $0[1], importedBy: $0[2])
        }
    }

    /// Lab and lab sample id of every sample with a result waiting for verification (of one lab).
    public func samplesWithPendingResults(lab: String?, limit: Int? = nil) throws -> [(lab: String, sampleID: String)] {
        // Samples in key order, each probed through its own analyses (`+` keeps SQLite off the
        // status index, which would scan every waiting result per sample): a page stops early.
        try Row.fetchAll(db, sql: """
            SELECT s.lab_code, s.lab_sample_id FROM sample s
            WHERE (?1 IS NULL OR s.lab_code = ?1)
              AND EXISTS (SELECT 1 FROM analysis a WHERE a.sample_id = s.id AND +a.status = 'submitted' AND a.superseded_by IS NULL)
            ORDER BY s.lab_code, s.lab_sample_id LIMIT ?2
            """, arguments: [lab, limit ?? -1]).map { ($0[0], $0[1]) }
    }

    /// Records a decision about one result (its batch's digest is recorded by the next audit entry).
    public func decide(analysisID: Int64, _ v: Verification) throws {
        touch(analysis: analysisID)
        if let batch = try BatchDigest.batch(ofAnalysis: analysisID, in: db) { touchedBatches.insert(batch) }
        try db.execute(Verification.updateSQL, Verification.arguments(v, analysisID: analysisID))
    }
}
