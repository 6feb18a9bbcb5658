import DrugCheckClassify
import Foundation
import GRDB

/// Recomputes and stores the derived classification of samples. Runs inside the import
/// transaction, and again over all samples when the catalogue or the rules change.
public struct Classifications: Sendable {
    public let classifier: SampleClassifier

    public init(classifier: SampleClassifier) {
        self.classifier = classifier
    }

    func refresh(_ db: Database, sampleIDs: [Int64]) throws {
        for id in sampleIDs {
            guard let record = try SampleRecord.fetchOne(db, key: id) else { continue }
            let sample = classifier.resolveNames(in: try SampleReader.sample(db, record: record))
            try ClassificationRecord(sampleId: id, classifier.classify(sample)).save(db)
        }
    }

    /// Re-resolves names and reclassifies every stored sample (or those of one lab sample id).
    /// Returns how many samples were classified.
    @discardableResult
    public func reclassify(in database: DrugCheckDatabase, labSampleID: String? = nil) throws -> Int {
        try database.pool.write { db in
            var request = SampleRecord.all()
            if let labSampleID { request = request.filter(Column("lab_sample_id") == labSampleID) }
            let ids = try request.fetchAll(db).compactMap(\.id)
            for id in ids {
                try db.execute(sql: """
                    UPDATE finding SET substance_id = NULL WHERE analysis_id IN (SELECT id FROM analysis WHERE sample_id = ?)
                    AND (confidence IS NULL OR json_extract(confidence, '$.assessedBy') = 'lab')
                    """, arguments: [id])
                let record = try SampleRecord.fetchOne(db, key: id)!
                let sample = classifier.resolveNames(in: try SampleReader.sample(db, record: record))
                for finding in try FindingRecord.filter(sql: "analysis_id IN (SELECT id FROM analysis WHERE sample_id = ?)", arguments: [id]).fetchAll(db) {
                    let match = classifier.catalogue.match(finding.reportedName)?.id
                    try db.execute(sql: "UPDATE finding SET substance_id = COALESCE(substance_id, ?) WHERE id = ?", arguments: [match, finding.id])
                }
                try db.execute(sql: "UPDATE sample SET sold_as_substance_id = ? WHERE id = ?", arguments: [sample.soldAsSubstanceID, id])
                try ClassificationRecord(sampleId: id, classifier.classify(sample)).save(db)
            }
            return ids.count
        }
    }
}
