import DrugCheckModel
import Foundation
import GRDB

/// A stored sample with its database identity, ISO week and derived classification.
public struct StoredSample: Codable, Sendable {
    public var sample: Sample
    public var week: ISOWeek?
    /// `collected` or `analysed`: which date placed the sample in its week.
    public var weekBasis: String?
    public var classification: SampleClassification?
}

/// The JSON document of one stored sample, shared by `drugcheck samples --format json` and
/// `GET /v1/samples`: lab, lab sample id, ISO week and its basis, the sample with analyses and
/// findings, and the classification.
public struct SampleDocument: Encodable, Sendable {
    public var lab: String
    public var sampleID: String
    public var week: String?
    public var weekBasis: String?
    public var sample: Sample
    public var classification: SampleClassification?

    public init(_ s: StoredSample) {
        lab = s.sample.labCode
        sampleID = s.sample.labSampleID
        week = s.week?.description
        weekBasis = s.weekBasis
        sample = s.sample
        classification = s.classification
    }

    enum CodingKeys: String, CodingKey {
        case lab, sampleID = "sample_id", week, weekBasis = "week_basis", sample, classification
    }
}

/// Reads samples back as model values, many at once: four queries for a page of samples
/// (analyses, findings, classifications of all of them), not four per sample.
enum SampleReader {
    static func sample(_ db: some RowSource, record r: SampleRecord) throws -> Sample {
        try samples(db, records: [r])[0]
    }

    static func samples(_ db: some RowSource, records: [SampleRecord]) throws -> [Sample] {
        guard !records.isEmpty else { return [] }
        // The counted version of each run, and rejected results (shown, never counted).
        let analyses = try db.fetchAll(AnalysisRecord.self, """
            SELECT * FROM analysis WHERE sample_id IN (\(records.map { String($0.id!) }.joined(separator: ",")))
              AND (counted OR (status = 'rejected' AND superseded_by IS NULL)) ORDER BY id
            """, [])
        let analysesBySample = Dictionary(grouping: analyses, by: \.sampleId)
        let findingsByAnalysis = try findings(db, ofAnalyses: analyses.map(\.id!))
        return records.map { r in
            Sample(
                labCode: r.labCode, labSampleID: r.labSampleId, type: SampleType(rawValue: r.sampleType) ?? .other,
                source: SampleSource(rawValue: r.source) ?? .other, soldAs: r.soldAs, soldAsSubstanceID: r.soldAsSubstanceId,
                description: ProductDescription(brand: r.brand, flavour: r.flavour, colour: r.colour, logo: r.logo, text: r.description),
                collectedOn: r.collectedOn.flatMap(CalendarDate.init(iso:)), region: r.region, seizureContext: r.seizureContext,
                attributes: JSONColumn.decode([String: String].self, r.attributes) ?? [:],
                analyses: (analysesBySample[r.id!] ?? []).map { analysis($0, findings: findingsByAnalysis[$0.id!] ?? []) })
        }
    }

    static func analysis(_ a: AnalysisRecord, findings: [FindingRecord]) -> Analysis {
        Analysis(technique: Technique(rawValue: a.technique) ?? .other, instrument: a.instrument, method: a.method,
                 analysedOn: a.analysedOn.flatMap(CalendarDate.init(iso:)), findings: findings.map(finding), verification: a.verification)
    }

    /// The findings of analyses, counted (`finding`) or parked (``AnalysisVersions``), by analysis.
    static func findings(_ db: some RowSource, ofAnalyses ids: [Int64]) throws -> [Int64: [FindingRecord]] {
        guard !ids.isEmpty else { return [:] }
        let list = ids.map(String.init).joined(separator: ",")
        let columns = AnalysisVersions.findingColumns
        let rows = try db.fetchAll(FindingRecord.self, """
            SELECT \(columns) FROM finding WHERE analysis_id IN (\(list))
            UNION ALL SELECT \(columns) FROM parked_finding WHERE analysis_id IN (\(list)) ORDER BY id
            """, [])
        return Dictionary(grouping: rows, by: \.analysisId)
    }

    static func finding(_ f: FindingRecord) -> Finding {
        Finding(reportedName: f.reportedName, substanceID: f.substanceId, detected: f.detected,
                concentration: f.concentration.flatMap { c in f.unit.flatMap(ConcentrationUnit.init(rawValue:)).map { Concentration(value: c, unit: $0) } },
                retentionTimeMinutes: f.rtMin, mz: f.mz, matchScore: f.matchScore,
                confidence: JSONColumn.decode(IdentificationConfidence.self, f.confidence))
    }

    static func stored(_ db: some RowSource, record r: SampleRecord) throws -> StoredSample {
        try stored(db, records: [r])[0]
    }

    /// In chunks of 500: short `IN` lists, and under SQLite's limit on bound parameters however
    /// many samples a query returns.
    static func stored(_ db: some RowSource, records: [SampleRecord]) throws -> [StoredSample] {
        var result: [StoredSample] = []
        result.reserveCapacity(records.count)
        for start in stride(from: 0, to: records.count, by: 500) {
            result += try storedChunk(db, records: Array(records[start..<min(start + 500, records.count)]))
        }
        return result
    }

    private static func storedChunk(_ db: some RowSource, records: [SampleRecord]) throws -> [StoredSample] {
        let samples = try samples(db, records: records)
        let classifications = Dictionary(uniqueKeysWithValues: try db.fetchAll(ClassificationRecord.self, """
            SELECT * FROM sample_classification WHERE sample_id IN (\(records.map { String($0.id!) }.joined(separator: ",")))
            """, []).map { ($0.sampleId, $0) })
        return zip(records, samples).map { r, sample in
            StoredSample(sample: sample, week: r.isoWeek.flatMap(ISOWeek.init), weekBasis: r.weekBasis, classification: classifications[r.id!]?.model)
        }
    }
}
