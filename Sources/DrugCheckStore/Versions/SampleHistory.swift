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

extension DrugCheckDatabase {
    /// Every stored version of every result of a sample, oldest first; nil when no such sample.
    ///
    /// ```swift
    /// for v in try database.analysisVersions(lab: "BE-DCA", sampleID: "DCA-47012") ?? [] {
    ///     print(v.analysisID, v.file, v.supersededBy ?? "current")
    /// }
    /// ```
    public func analysisVersions(lab: String, sampleID: String) throws -> [AnalysisVersion]? {
        try pool.read { db in
            guard let sample = try SampleRecord.filter(Column("lab_code") == lab && Column("lab_sample_id") == sampleID).fetchOne(db) else {
                return nil
            }
            let rows = try Row.fetchAll(db, sql: """
                SELECT a.id, COALESCE(a.run_id, a.id), a.superseded_by, a.counted, a.batch_id, b.file_name, b.imported_by, b.received_at, b.reason
                FROM analysis a JOIN import_batch b ON b.id = a.batch_id WHERE a.sample_id = ? ORDER BY a.id
                """, arguments: [sample.id!])
            let records = try AnalysisRecord.filter(Column("sample_id") == sample.id!).fetchAll(db)
            let byID = Dictionary(uniqueKeysWithValues: records.map { ($0.id!, $0) })
            let findings = try SampleReader.findings(db, ofAnalyses: records.map(\.id!))
            return rows.compactMap { row -> AnalysisVersion? in
                let id: Int64 = row[0]
                guard let record = byID[id] else { return nil }
                return AnalysisVersion(analysisID: id, runID: row[1], supersededBy: row[2], counted: row[3],
                                       analysis: SampleReader.analysis(record, findings: findings[id] ?? []),
                                       batchID: row[4], file: row[5], importedBy: row[6], receivedAt: row[7], reason: row[8])
            }
        }
    }
}
