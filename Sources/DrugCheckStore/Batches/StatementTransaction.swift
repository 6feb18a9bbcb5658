import DrugCheckModel
import Foundation
import GRDB

/// Typed reads and writes of stored samples inside one write transaction, whatever the backend:
/// the second person's verification and the identification of stored spectra.
/// ``StoreTransaction`` on SQLite, ``StatementTransaction`` on another backend (PostgreSQL);
/// ``StatementTransaction/write(on:_:)`` hands out the right one.
public protocol SampleTransaction: AnyObject {
    /// Row ids of the stored samples, all or those of one lab sample id (and lab), by lab and id.
    func sampleIDs(lab: String?, labSampleID: String?) throws -> [Int64]
    /// The sample's results that wait for verification.
    func pendingResults(ofSample sampleID: Int64) throws -> [PendingResult]
    /// Records a decision about one result (its batch's digest is recorded by the next audit entry).
    func decide(analysisID: Int64, _ v: Verification) throws
    /// Decides again which version of each of the sample's runs counts.
    func refreshVersions(ofSample sampleID: Int64) throws
    /// Classifies a stored sample again from everything stored for it and stores the result.
    @discardableResult
    func reclassify(_ sampleID: Int64, with classification: (Sample) -> SampleClassification?) throws -> SampleClassification?
    /// Appends an audit entry carrying the digest of every batch the transaction changed so far.
    @discardableResult
    func recordAudit(_ kind: AuditKind, subject: String, actor: String, details: (any Encodable & Sendable)?,
                     coveringBatches: Set<Int64>) throws -> AuditLogEntry
    /// Lab and lab sample id of every sample with a result waiting for verification (of one lab).
    func samplesWithPendingResults(lab: String?, limit: Int?) throws -> [(lab: String, sampleID: String)]

    // Identification of stored spectra (`drugcheck classify`).
    /// Everything stored for a sample, as the model's value.
    func storedSample(id: Int64) throws -> Sample
    /// The stored classification of a sample.
    func classification(of sampleID: Int64) throws -> SampleClassification?
    /// The sample's stored spectra that have peaks, in storage order.
    func spectra(ofSample sampleID: Int64) throws -> [StoredSpectrum]
    /// The identifications stored for these spectra: library version, rules version and result JSON.
    func identifications(ofSpectra ids: [Int64]) throws -> [Int64: (libraryVersion: String, rulesVersion: String, resultJSON: String)]
    /// Removes the identifications of a sample's spectra and the findings DrugCheck made from them.
    func removeIdentifications(ofSample sampleID: Int64) throws
    /// Adds a finding to a stored analysis; returns its row id.
    @discardableResult
    func addFinding(_ f: Finding, analysisID: Int64) throws -> Int64
    /// Stores a spectrum's identification, linked to the finding it supports (if any).
    func recordIdentification(spectrumID: Int64, _ row: SpectrumIdentificationRow, findingID: Int64?) throws
}

extension StoreTransaction: SampleTransaction {}

/// The verification steps in SQL any backend runs as written, for a backend other than SQLite:
/// the same statements as ``StoreTransaction``'s where they are plain SQL (which version of a run
/// counts, parking findings, the classification upsert with its booleans typed), the audit
/// entry's batch digests read through ``BatchDigest/parts``, and the week rollups of the samples
/// it changed rebuilt before it commits.
///
/// ```swift
/// let outcome = try StatementTransaction.write(on: postgresSession) { tx in
///     let ids = try tx.sampleIDs(lab: "BE-DCA", labSampleID: "DCA-36001")
///     …
/// }
/// ```
public class StatementTransaction: SampleTransaction {
    let statements: any StoredStatements
    var touchedBatches: Set<Int64> = []
    private var touchedSamples: Set<Int64> = []
    /// Whether the samples changed are tracked for their weeks' rollups; an import batch does
    /// not: it rebuilds the weeks it wrote.
    private let tracksRollups: Bool
    /// Findings this transaction added.
    public private(set) var findingCount = 0

    init(statements: any StoredStatements, tracksRollups: Bool = true) {
        self.statements = statements
        self.tracksRollups = tracksRollups
    }

    /// Runs `body` in one write transaction of `writer`: on the SQLite store its own
    /// (``DrugCheckDatabase/write(waitLimit:_:)``), elsewhere this one. A body that changed results
    /// without an audit entry rolls back with ``UnauditedChange``.
    public static func write<T>(on writer: any StoredRowWriter, _ body: (any SampleTransaction) throws -> T) throws -> T {
        if let database = writer as? DrugCheckDatabase { return try database.write { try body($0) } }
        return try writer.writeTransaction { statements in
            let tx = StatementTransaction(statements: statements)
            let result = try body(tx)
            guard tx.touchedBatches.isEmpty else { throw UnauditedChange(batches: tx.touchedBatches.sorted()) }
            try tx.rebuildRollups(weeks: [])
            return result
        }
    }

    public func sampleIDs(lab: String?, labSampleID: String?) throws -> [Int64] {
        let conditions = [labSampleID.map { _ in "lab_sample_id = ?" }, lab.map { _ in "lab_code = ?" }].compactMap { $0 }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return try integers("SELECT id FROM sample\(filter) ORDER BY lab_code, lab_sample_id", [labSampleID, lab].compactMap { $0.map { .text($0) } })
    }

    public func pendingResults(ofSample sampleID: Int64) throws -> [PendingResult] {
        try statements.fetchRows(PendingResult.sql, [.integer(sampleID)]).map {
            PendingResult(analysisID: $0["id"], technique: $0["technique"], importedBy: $0["imported_by"])
        }
    }

    public func decide(analysisID: Int64, _ v: Verification) throws {
        try touch(analysis: analysisID)
        if let batch = try BatchDigest.batch(ofAnalysis: analysisID, in: statements) { touchedBatches.insert(batch) }
        try statements.execute(Verification.updateSQL, Verification.arguments(v, analysisID: analysisID))
    }

    public func refreshVersions(ofSample sampleID: Int64) throws {
        touch(sample: sampleID)
        try AnalysisVersions.refresh(sampleID: sampleID, in: statements)
    }

    public func storedSample(id sampleID: Int64) throws -> Sample {
        let rows = StatementRows(statements: statements)
        guard let record = try rows.fetchAll(SampleRecord.self, "SELECT * FROM sample WHERE id = ?", [sampleID.databaseValue]).first else {
            throw StoredWriteError.vanished(sample: sampleID)
        }
        return try SampleReader.sample(rows, record: record)
    }

    public func classification(of sampleID: Int64) throws -> SampleClassification? {
        try StatementRows(statements: statements)
            .fetchAll(ClassificationRecord.self, "SELECT * FROM sample_classification WHERE sample_id = ?", [sampleID.databaseValue])
            .first?.model
    }

    public func spectra(ofSample sampleID: Int64) throws -> [StoredSpectrum] {
        try statements.storedSpectra(ofSample: sampleID)
    }

    public func identifications(ofSpectra ids: [Int64]) throws -> [Int64: (libraryVersion: String, rulesVersion: String, resultJSON: String)] {
        try statements.spectrumIdentifications(ofSpectra: ids)
    }

    public func removeIdentifications(ofSample sampleID: Int64) throws {
        touch(sample: sampleID)
        let sql = SpectrumIdentificationRow.removalSQL
        let removed = try statements.rows(sql.findings + " RETURNING id", [.integer(sampleID)]).count
            + statements.rows(sql.parked + " RETURNING id", [.integer(sampleID)]).count
        if removed > 0 { touchedBatches.formUnion(try BatchDigest.batches(ofSample: sampleID, in: statements)) }
        try statements.execute(sql.identifications, [.integer(sampleID)])
    }

    public func addFinding(_ f: Finding, analysisID: Int64) throws -> Int64 {
        try touch(analysis: analysisID)
        if let batch = try BatchDigest.batch(ofAnalysis: analysisID, in: statements) { touchedBatches.insert(batch) }
        return try insertFinding(f, analysisID: analysisID)
    }

    /// Inserts an analysis' findings in one statement per 500; the caller accounts for the batch
    /// they belong to.
    func insertFindings(_ findings: [Finding], analysisID: Int64) throws {
        for start in stride(from: 0, to: findings.count, by: 500) {
            let chunk = findings[start..<min(findings.count, start + 500)]
            try statements.execute(Finding.insertSQL(flag: "(? <> 0)", rows: chunk.count), chunk.flatMap {
                $0.insertValues(analysisID: analysisID, confidenceJSON: $0.confidence.map(JSONColumn.encode))
            })
            findingCount += chunk.count
        }
    }

    /// Inserts a finding row; the caller accounts for the batch it belongs to.
    func insertFinding(_ f: Finding, analysisID: Int64) throws -> Int64 {
        let rows = try statements.rows(Finding.insertSQL(flag: "(? <> 0)") + " RETURNING id",
                                       f.insertValues(analysisID: analysisID, confidenceJSON: f.confidence.map(JSONColumn.encode)))
        guard case let .integer(id)? = rows.first?.first else { throw StoredWriteError.noRowID("finding") }
        findingCount += 1
        return id
    }

    public func recordIdentification(spectrumID: Int64, _ row: SpectrumIdentificationRow, findingID: Int64?) throws {
        try statements.execute(SpectrumIdentificationRow.insertSQL(flag: "(? <> 0)"), row.values(spectrumID: spectrumID, findingID: findingID))
    }

    public func reclassify(_ sampleID: Int64, with classification: (Sample) -> SampleClassification?) throws -> SampleClassification? {
        let sample = try storedSample(id: sampleID)
        let result = classification(sample)
        try classify(sampleID, as: result, provisional: sample.isProvisional)
        return result
    }

    /// Stores a sample's classification (replacing the one it had); nil removes it.
    func classify(_ sampleID: Int64, as classification: SampleClassification?, provisional: Bool) throws {
        touch(sample: sampleID)
        guard let classification else {
            return try statements.execute("DELETE FROM sample_classification WHERE sample_id = ?", [.integer(sampleID)])
        }
        try statements.execute(ClassificationUpsert.sql(flag: "(? <> 0)"),
                               ClassificationUpsert.values(sampleID: sampleID, classification, provisional: provisional))
    }

    public func recordAudit(_ kind: AuditKind, subject: String, actor: String, details: (any Encodable & Sendable)?,
                            coveringBatches: Set<Int64>) throws -> AuditLogEntry {
        var digests: [String: String] = [:]
        for batch in touchedBatches.union(coveringBatches) {
            digests[String(batch)] = try BatchDigest.compute(batchID: batch, from: statements)
        }
        touchedBatches = []
        return try AuditLog.append(kind, subject: subject, actor: actor, details: details, batchDigests: digests, in: statements)
    }

    public func samplesWithPendingResults(lab: String?, limit: Int?) throws -> [(lab: String, sampleID: String)] {
        let (labFilter, labArguments): (String, [StoredValue]) = lab.map { ("s.lab_code = ? AND ", [.text($0)]) } ?? ("", [])
        return try statements.fetchRows("""
            SELECT s.lab_code, s.lab_sample_id FROM sample s
            WHERE \(labFilter)EXISTS (SELECT 1 FROM analysis a WHERE a.sample_id = s.id AND a.status = 'submitted' AND a.superseded_by IS NULL)
            ORDER BY s.lab_code, s.lab_sample_id\(limit.map { " LIMIT \($0)" } ?? "")
            """, labArguments).map { ($0["lab_code"], $0["lab_sample_id"]) }
    }

    private func touch(sample id: Int64) { if tracksRollups { touchedSamples.insert(id) } }

    private func touch(analysis id: Int64) throws {
        if tracksRollups { touchedSamples.formUnion(try integers("SELECT sample_id FROM analysis WHERE id = ?", [.integer(id)])) }
    }

    /// Rebuilds the week rollups of `weeks` and of the samples changed, before the transaction commits.
    func rebuildRollups(weeks given: Set<String>) throws {
        var weeks = given
        let ids = touchedSamples.sorted()
        touchedSamples = []
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = ids[start..<min(ids.count, start + 500)]
            weeks.formUnion(try statements.rows("SELECT DISTINCT iso_week FROM sample WHERE iso_week IS NOT NULL AND id IN ("
                                                + chunk.map { _ in "?" }.joined(separator: ", ") + ")", chunk.map { .integer($0) })
                .compactMap { values -> String? in if case let .text(week)? = values.first { week } else { nil } })
        }
        guard let list = Self.inList(weeks) else { return }
        for statement in WeekRollups.postgresRebuild(weeks: list) { try statements.execute(statement, []) }
    }

    /// `IN (…)` of ISO weeks written out (each checked to be one), nil for none.
    static func inList(_ weeks: Set<String>) -> String? {
        let checked = weeks.compactMap { ISOWeek($0)?.description }.sorted()
        return checked.isEmpty ? nil : "IN (" + checked.map { "'\($0)'" }.joined(separator: ", ") + ")"
    }

    private func integers(_ sql: String, _ arguments: [StoredValue]) throws -> [Int64] {
        try statements.rows(sql, arguments).compactMap { if case let .integer(n)? = $0.first { n } else { nil } }
    }
}

/// The rows of a write transaction's ``StoredStatements``, for the sample readers.
struct StatementRows: RowSource {
    let statements: any StoredStatements

    func fetchRows(_ sql: String, _ arguments: [DatabaseValue]) throws -> [Row] {
        try statements.fetchRows(sql, arguments.map(StoredValue.init))
    }

    func fetchAll<Record: FetchableRecord>(_ type: Record.Type, _ sql: String, _ arguments: [DatabaseValue]) throws -> [Record] {
        try fetchRows(sql, arguments).map(Record.init(row:))
    }
}
