import DrugCheckModel
import Foundation
import GRDB

/// Writes one submission's samples inside the caller's transaction.
///
/// A sample already known for the lab receives the new analyses; an analysis with the same
/// technique, instrument, method and date as a stored one replaces it (a corrected re-export),
/// so re-sending a fixed file never duplicates findings.
struct SampleWriter {
    let db: Database
    let batchID: Int64

    /// Stores the sample and returns its row id.
    func write(_ sample: Sample) throws -> Int64 {
        var record = try SampleRecord.filter(Column("lab_code") == sample.labCode && Column("lab_sample_id") == sample.labSampleID)
            .fetchOne(db) ?? SampleRecord(sample, batchID: batchID)
        record.fillGaps(from: sample)
        try record.save(db)
        let sampleID = record.id!
        for analysis in sample.analyses {
            try replaceMatchingAnalysis(analysis, sampleID: sampleID)
            var a = AnalysisRecord(id: nil, sampleId: sampleID, batchId: batchID, technique: analysis.technique.rawValue,
                                   instrument: analysis.instrument, method: analysis.method,
                                   analysedOn: analysis.analysedOn?.description)
            try a.insert(db)
            for f in analysis.findings {
                var finding = FindingRecord(
                    id: nil, analysisId: a.id!, reportedName: f.reportedName, substanceId: f.substanceID, detected: f.detected,
                    concentration: f.concentration?.value, unit: f.concentration?.unit.rawValue, rtMin: f.retentionTimeMinutes,
                    mz: f.mz, matchScore: f.matchScore, confidence: f.confidence.map(JSONColumn.encode))
                try finding.insert(db)
            }
        }
        try record.updateWeek(db)
        return sampleID
    }

    private func replaceMatchingAnalysis(_ analysis: Analysis, sampleID: Int64) throws {
        try db.execute(sql: """
            DELETE FROM analysis WHERE sample_id = ? AND technique = ? AND instrument IS ? AND method IS ? AND analysed_on IS ?
            """, arguments: [sampleID, analysis.technique.rawValue, analysis.instrument, analysis.method, analysis.analysedOn?.description])
    }
}

extension SampleRecord {
    init(_ s: Sample, batchID: Int64) {
        self.init(id: nil, labCode: s.labCode, labSampleId: s.labSampleID, sampleType: s.type.rawValue, source: s.source.rawValue,
                  soldAs: nil, soldAsSubstanceId: nil, brand: nil, flavour: nil, colour: nil, logo: nil, description: nil,
                  collectedOn: nil, region: nil, seizureContext: nil, attributes: "{}", isoWeek: nil, weekBasis: nil,
                  firstBatchId: batchID)
    }

    /// Later files complete what earlier files left empty; they never erase a value.
    mutating func fillGaps(from s: Sample) {
        soldAs = soldAs ?? s.soldAs
        soldAsSubstanceId = soldAsSubstanceId ?? s.soldAsSubstanceID
        brand = brand ?? s.description.brand
        flavour = flavour ?? s.description.flavour
        colour = colour ?? s.description.colour
        logo = logo ?? s.description.logo
        description = description ?? s.description.text
        collectedOn = collectedOn ?? s.collectedOn?.description
        region = region ?? s.region
        seizureContext = seizureContext ?? s.seizureContext
        var merged = JSONColumn.decode([String: String].self, attributes) ?? [:]
        merged.merge(s.attributes) { old, _ in old }
        attributes = JSONColumn.encode(merged)
    }

    /// The week comes from the collection date, else from the earliest analysis date.
    mutating func updateWeek(_ db: Database) throws {
        if let collected = collectedOn.flatMap(CalendarDate.init(iso:)) {
            isoWeek = collected.isoWeek.description
            weekBasis = "collected"
        } else if let first = try String.fetchOne(db, sql: "SELECT MIN(analysed_on) FROM analysis WHERE sample_id = ?", arguments: [id]),
                  let date = CalendarDate(iso: first) {
            isoWeek = date.isoWeek.description
            weekBasis = "analysed"
        }
        try update(db, columns: ["iso_week", "week_basis"])
    }
}
