import DrugCheckModel
import Foundation
import GRDB

/// One stored version of an analysis run: the result as imported, the file it came from, and
/// its place among the run's versions (``AnalysisVersions``).
public struct AnalysisVersion: Encodable, Sendable {
    public var analysisID: Int64
    /// The run's first version (this one's id when it is the first).
    public var runID: Int64
    /// The version that replaced this one.
    public var supersededBy: Int64?
    /// Whether reports count this version now.
    public var counted: Bool
    public var analysis: Analysis
    public var batchID: Int64
    public var file: String
    public var importedBy: String?
    public var receivedAt: Date
    /// Why it was amended (`drugcheck samples amend --reason`); nil for a corrected re-export or a first import.
    public var reason: String?

    enum CodingKeys: String, CodingKey {
        case analysisID = "analysis_id", runID = "run_id", supersededBy = "superseded_by", counted, analysis
        case batchID = "batch_id", file, importedBy = "imported_by", receivedAt = "received_at", reason
    }
}

extension StoredRowReader {
    /// Every stored version of every result of a sample, oldest first; nil when no such sample.
    ///
    /// ```swift
    /// for v in try database.analysisVersions(lab: "BE-DCA", sampleID: "DCA-47012") ?? [] {
    ///     print(v.analysisID, v.file, v.supersededBy ?? "current")
    /// }
    /// ```
    public func analysisVersions(lab: String, sampleID: String) throws -> [AnalysisVersion]? {
        if let database = self as? DrugCheckDatabase {
            return try database.pool.read { db in try AnalysisVersion.history(lab: lab, sampleID: sampleID, in: db) }
        }
        return try AnalysisVersion.history(lab: lab, sampleID: sampleID, in: ReaderRows(reader: self))
    }
}

extension AnalysisVersion {
    static func history(lab: String, sampleID: String, in source: some RowSource) throws -> [AnalysisVersion]? {
        guard let sample: Int64 = try source.fetchRows("SELECT id FROM sample WHERE lab_code = ? AND lab_sample_id = ?",
                                                       [lab.databaseValue, sampleID.databaseValue]).first?["id"] else {
            return nil
        }
        let rows = try source.fetchRows("""
            SELECT a.id AS analysis_id, COALESCE(a.run_id, a.id) AS run_id, a.superseded_by AS superseded_by, a.counted AS counted,
                   a.batch_id AS batch_id, b.file_name AS file_name, b.imported_by AS imported_by, b.received_at AS received_at,
                   b.reason AS reason
            FROM analysis a JOIN import_batch b ON b.id = a.batch_id WHERE a.sample_id = ? ORDER BY a.id
            """, [sample.databaseValue])
        let records = try source.fetchAll(AnalysisRecord.self, "SELECT * FROM analysis WHERE sample_id = ?", [sample.databaseValue])
        let byID = Dictionary(uniqueKeysWithValues: records.map { ($0.id!, $0) })
        let findings = try SampleReader.findings(source, ofAnalyses: records.map(\.id!))
        return rows.compactMap { row -> AnalysisVersion? in
            let id: Int64 = row["analysis_id"]
            guard let record = byID[id] else { return nil }
            return AnalysisVersion(analysisID: id, runID: row["run_id"], supersededBy: row["superseded_by"], counted: row["counted"],
                                   analysis: SampleReader.analysis(record, findings: findings[id] ?? []),
                                   batchID: row["batch_id"], file: row["file_name"], importedBy: row["imported_by"],
                                   receivedAt: row["received_at"], reason: row["reason"])
        }
    }
}
