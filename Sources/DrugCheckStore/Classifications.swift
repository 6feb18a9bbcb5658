import DrugCheckClassify
import DrugCheckModel
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
            let records = try request.fetchAll(db)
            for record in records {
                // Names the lab reported are matched again against the current catalogue;
                // identifications DrugCheck made from spectra keep their substance.
                let findings = try FindingRecord.filter(sql: "analysis_id IN (SELECT id FROM analysis WHERE sample_id = ?)", arguments: [record.id])
                    .fetchAll(db)
                for f in findings where (JSONColumn.decode(IdentificationConfidence.self, f.confidence)?.assessedBy ?? "lab") == "lab" {
                    try db.execute(sql: "UPDATE finding SET substance_id = ? WHERE id = ?",
                                   arguments: [classifier.catalogue.match(f.reportedName)?.id, f.id])
                }
                let soldAs = record.soldAs.flatMap { classifier.catalogue.match($0)?.id }
                try db.execute(sql: "UPDATE sample SET sold_as_substance_id = ? WHERE id = ?", arguments: [soldAs, record.id])
            }
            try refresh(db, sampleIDs: records.compactMap(\.id))
            return records.count
        }
    }
}
