import DrugCheckModel
import Foundation
import GRDB

/// What an import batch has written so far, and the steps both batch writers take alike in plain
/// SQL (SQLite runs it through its `Database`, PostgreSQL through its session): opening and
/// completing the `import_batch` row, a sample given again (merged into the stored one), the
/// analyses a corrected re-export or an amendment supersedes. Only the insertion of new rows
/// differs by backend (SQLite's is the import's hot path, ``FastInsert``).
struct BatchLedger {
    let batchID: Int64
    let receipt: BatchReceipt
    private var labs: Set<String> = []
    /// ISO weeks of the samples the batch wrote.
    private(set) var weeks: Set<String> = []
    /// Weeks of samples of earlier batches this batch changed (their rollups are rebuilt, not added to).
    private(set) var changedWeeks: Set<String> = []
    /// Weeks of the samples the batch merged (given before, by this file or an earlier one), before
    /// and after: their report aggregates are rebuilt, not added to (``AggregateDeltas``).
    private(set) var mergedWeeks: Set<String> = []
    private var firstLines: [Int64: Int32] = [:]
    private(set) var sampleCount = 0
    private(set) var amendedSamples: Set<String> = []

    /// Inserts the batch's row. It is marked imported only by ``finish(notes:findingCount:in:audit:)``:
    /// until then the same bytes may be refused for another lab while the lab's own import of them stands.
    init(receipt: BatchReceipt, in statements: any StoredStatements) throws {
        let rows = try statements.rows("""
            INSERT INTO import_batch (lab_code, file_name, sha256, format, received_at, outcome, imported_by, reason)
            VALUES (NULL, ?, ?, ?, ?, 'rejected', ?, ?) RETURNING id
            """, [.text(receipt.fileName), .text(receipt.sha256), .text(receipt.format.rawValue), .time(Date()),
                  .of(receipt.importedBy), .of(receipt.amendmentReason)])
        guard case let .integer(id)? = rows.first?.first else { throw StoredWriteError.noRowID("import_batch") }
        batchID = id
        self.receipt = receipt
    }

    /// The lab's row, once per batch.
    mutating func ensureLab(_ code: String, in statements: any StoredStatements) throws {
        guard labs.insert(code).inserted else { return }
        try Self.storeLab(code, in: statements)
    }

    /// A lab named by its code alone, unless it is stored already.
    static func storeLab(_ code: String, in statements: any StoredStatements) throws {
        try statements.execute("INSERT INTO lab (code, name, country) VALUES (?, ?, ?) ON CONFLICT (code) DO NOTHING",
                               [.text(code), .text(code), .text(Lab.country(ofCode: code))])
    }

    /// A sample new to the database, stored by this batch.
    mutating func wroteNew(id: Int64, line: Int?, week: String?) {
        sampleCount += 1
        if let line {
            // Bounded, so memory does not grow with the file: a sample repeated far apart is
            // reported as "earlier in the file" instead of by line.
            if firstLines.count >= 200_000 { firstLines.removeAll(keepingCapacity: true) }
            firstLines[id] = Int32(clamping: line)
        }
        if let week { weeks.insert(week) }
    }

    /// A sample stored before: checks it against this file's earlier rows, completes its fields
    /// and adds the analyses (`insertAnalysis` and `storeFinding` are the writer's own inserts).
    /// Returns what it wrote and the earlier batches whose rows it changed.
    mutating func merge(_ sample: Sample, statements: any StoredStatements, rows: some RowSource,
                        insertAnalysis: (Analysis, Int64) throws -> Int64,
                        storeFinding: (Finding, Int64) throws -> Void) throws -> (written: WrittenSample, touched: Set<Int64>) {
        guard var record = try rows.fetchAll(SampleRecord.self, "SELECT * FROM sample WHERE lab_code = ? AND lab_sample_id = ?",
                                             [sample.labCode.databaseValue, sample.labSampleID.databaseValue]).first,
              let id = record.id else {
            throw DatabaseError(message: "sample \(sample.labCode)/\(sample.labSampleID) vanished during the import")
        }
        if record.firstBatchId == batchID, let first = try? SampleReader.sample(rows, record: record),
           let disagreement = first.disagreements(with: sample).first {
            throw SampleDisagreement(field: disagreement.field, stored: disagreement.mine, given: disagreement.theirs,
                                     firstLine: firstLines[id].map(Int.init))
        }
        let earlier = record.firstBatchId != batchID
        var touched: Set<Int64> = earlier ? [record.firstBatchId] : []
        if earlier, try statements.rows("SELECT 1 FROM analysis WHERE sample_id = ? AND batch_id = ? LIMIT 1",
                                        [.integer(id), .integer(batchID)]).isEmpty { sampleCount += 1 }
        if let week = record.isoWeek { weeks.insert(week); mergedWeeks.insert(week); if earlier { changedWeeks.insert(week) } }
        record.fillGaps(from: sample)
        var analysisIDs: [Int64] = []
        for analysis in sample.analyses {
            let run = Self.sameRun(analysis, sampleID: id)
            if case let .integer(existing)? = try statements.rows("SELECT id FROM analysis WHERE \(run.sql) AND batch_id = ? ORDER BY id LIMIT 1",
                                                                  run.arguments + [.integer(batchID)]).first?.first {
                for finding in analysis.findings { try storeFinding(finding, existing) }
                analysisIDs.append(existing)
                continue
            }
            let replaced = receipt.amendmentReason == nil ? run
                : (sql: "sample_id = ? AND technique = ?", arguments: [.integer(id), .text(analysis.technique.rawValue)])
            let superseded = try statements.rows("""
                SELECT id, batch_id FROM analysis WHERE \(replaced.sql) AND batch_id <> ? AND superseded_by IS NULL
                """, replaced.arguments + [.integer(batchID)]).compactMap { values -> (id: Int64, batch: Int64)? in
                if case let .integer(id) = values[0], case let .integer(batch) = values[1] { (id, batch) } else { nil }
            }
            let newID = try insertAnalysis(analysis, id)
            try AnalysisVersions.supersede(superseded.map(\.id), by: newID, in: statements)
            touched.formUnion(superseded.map(\.batch))
            if !superseded.isEmpty { amendedSamples.insert("\(record.labCode)/\(record.labSampleId)") }
            analysisIDs.append(newID)
        }
        try AnalysisVersions.refresh(sampleID: id, in: statements)
        let runDates = try statements.rows("SELECT analysed_on FROM analysis WHERE sample_id = ? AND counted AND analysed_on IS NOT NULL",
                                           [.integer(id)]).compactMap { values -> CalendarDate? in
            if case let .text(day)? = values.first { CalendarDate(iso: day) } else { nil }
        }
        let placement = Sample(labCode: record.labCode, labSampleID: record.labSampleId, type: .other,
                               collectedOn: record.collectedOn.flatMap(CalendarDate.init(iso:)),
                               analyses: runDates.map { Analysis(technique: .other, analysedOn: $0) }).weekPlacement
        record.isoWeek = placement?.week.description
        record.weekBasis = placement?.basis.rawValue
        try statements.update(record, id: id)
        if let week = record.isoWeek { weeks.insert(week); mergedWeeks.insert(week); if earlier { changedWeeks.insert(week) } }
        return (WrittenSample(id: id, analysisIDs: analysisIDs, merged: true), touched)
    }

    /// The analyses of a sample that are the same run as `analysis` (``Analysis/sameRun(as:)`` in SQL).
    private static func sameRun(_ analysis: Analysis, sampleID: Int64) -> (sql: String, arguments: [StoredValue]) {
        ("sample_id = ? AND technique = ? AND instrument IS NOT DISTINCT FROM ? AND method IS NOT DISTINCT FROM ? AND analysed_on IS NOT DISTINCT FROM ?",
         [.integer(sampleID), .text(analysis.technique.rawValue), .of(analysis.instrument), .of(analysis.method), .of(analysis.analysedOn?.description)])
    }

    /// Marks the batch imported and appends its `import` audit entry (and an `amendment` entry
    /// when it superseded stored results) through `audit`, the writer's own ``SampleTransaction/recordAudit(_:subject:actor:details:coveringBatches:)``.
    /// Throws ``SameBytesImported`` when another import of the same bytes committed meanwhile.
    func finish(notes: [String], findingCount: Int, in statements: any StoredStatements, audit: any SampleTransaction) throws -> Int64 {
        guard try statements.rows("SELECT 1 FROM import_batch WHERE sha256 = ? AND outcome = 'imported'", [.text(receipt.sha256)]).isEmpty else {
            throw SameBytesImported()
        }
        try statements.execute("""
            UPDATE import_batch SET outcome = 'imported', lab_code = ?, sample_count = ?, finding_count = ?, notes = ? WHERE id = ?
            """, [.of(labs.count == 1 ? labs.first : nil), .integer(Int64(sampleCount)), .integer(Int64(findingCount)),
                  .text(JSONColumn.encode(notes)), .integer(batchID)])
        try audit.recordAudit(.import, subject: "batch:\(batchID)", actor: receipt.auditActor, details: ImportAuditDetails(
            file: receipt.fileName, sha256: receipt.sha256, format: receipt.format.rawValue, samples: sampleCount, findings: findingCount),
            coveringBatches: [batchID])
        if !amendedSamples.isEmpty {
            try audit.recordAudit(.amendment, subject: "batch:\(batchID)", actor: receipt.auditActor, details: AmendmentAuditDetails(
                file: receipt.fileName, samples: amendedSamples.sorted(), reason: receipt.amendmentReason ?? AmendmentAuditDetails.correctedFile),
                coveringBatches: [])
        }
        return batchID
    }
}
