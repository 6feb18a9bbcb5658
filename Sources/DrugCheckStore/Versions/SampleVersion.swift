import DrugCheckModel
import Foundation

/// What one file brought to a sample: the first import, a corrected re-export of the same runs,
/// or an amendment; with each result's fate and what changed from the results it replaced.
/// Shown by `drugcheck samples show --history` and the sample's web page.
///
/// ```swift
/// for version in SampleVersion.grouped(try db.analysisVersions(lab: "BE-DCA", sampleID: "DCA-1") ?? []) {
///     print(version.version, version.file, version.results.flatMap(\.changes))
/// }
/// ```
public struct SampleVersion: Encodable, Sendable {
    public struct Result: Encodable, Sendable {
        public var analysis: AnalysisVersion
        /// The results this one replaced.
        public var supersedes: [Int64]
        /// What changed from them (`FindingChange` descriptions).
        public var changes: [String]
    }

    public var version: Int
    public var batchID: Int64
    public var file: String
    public var importedBy: String?
    public var receivedAt: Date
    public var reason: String?
    public var results: [Result]

    enum CodingKeys: String, CodingKey {
        case version, batchID = "batch_id", file, importedBy = "imported_by", receivedAt = "received_at", reason, results
    }

    /// Versions in the order their files arrived, numbered from 1.
    public static func grouped(_ all: [AnalysisVersion]) -> [SampleVersion] {
        let batches = all.map(\.batchID).reduce(into: [Int64]()) { if !$0.contains($1) { $0.append($1) } }
        return batches.enumerated().map { n, batch in
            let own = all.filter { $0.batchID == batch }
            let results = own.map { v in
                let replaced = all.filter { $0.supersededBy == v.analysisID }
                return Result(analysis: v, supersedes: replaced.map(\.analysisID),
                              changes: replaced.isEmpty ? [] : FindingChange.changes(from: replaced.map(\.analysis), to: [v.analysis]).map(\.description))
            }
            return SampleVersion(version: n + 1, batchID: batch, file: own[0].file, importedBy: own[0].importedBy,
                                 receivedAt: own[0].receivedAt, reason: own[0].reason, results: results)
        }
    }
}
