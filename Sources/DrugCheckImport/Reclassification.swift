import DrugCheckClassify
import DrugCheckModel
import DrugCheckStore

/// Re-resolves names and reclassifies stored samples after the catalogue or the class rules
/// changed. Names the lab reported are matched again; identifications DrugCheck made from
/// spectra keep their substance.
///
/// ```swift
/// let count = try Reclassification(classifier: SampleClassifier(catalogue: catalogue)).run(in: database)
/// ```
public struct Reclassification: Sendable {
    public let classifier: SampleClassifier

    public init(classifier: SampleClassifier) {
        self.classifier = classifier
    }

    /// Reclassifies every stored sample (or those of one lab sample id); returns how many. The
    /// change is recorded in the audit log as `actor`'s, with the new digests of the batches whose
    /// findings were relinked.
    @discardableResult
    public func run(in database: DrugCheckDatabase, labSampleID: String? = nil, actor: String = "cli") throws -> Int {
        try database.write { tx in
            let ids = try tx.sampleIDs(labSampleID: labSampleID)
            for id in ids {
                try tx.relinkNames(sampleID: id) { classifier.catalogue.match($0)?.id }
                try tx.reclassify(id, with: classifier.classification(of:))
            }
            try tx.recordAudit(.reclassification, subject: labSampleID ?? "all samples", actor: actor,
                               details: ["samples": String(ids.count), "rules": classifier.version])
            return ids.count
        }
    }
}
