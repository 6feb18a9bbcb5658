import DrugCheckClassify
import DrugCheckModel
import DrugCheckStore
import Foundation

/// Which stored samples `drugcheck classify` looks at.
public enum SampleSelection: Sendable, Hashable {
    case all
    /// A lab sample id, optionally with its lab code (`BE-NICC/NICC-2026-0478`).
    case sample(lab: String?, id: String)
}

/// What classifying one sample's stored spectra did.
public struct SpectraClassificationResult: Codable, Sendable {
    public enum Status: String, Codable, Sendable {
        /// Spectra identified for the first time.
        case classified
        /// Identified again because the library or rules version changed (or spectra were added).
        case reclassified
        /// Every spectrum already identified with the current library and rules versions.
        case unchanged
        /// The sample has no stored spectrum with peaks; its classification rests on the lab's findings.
        case noSpectra = "no_spectra"
    }

    public var lab: String
    public var sampleID: String
    public var status: Status
    public var libraryVersion: String
    public var rulesVersion: String
    /// One identification per stored spectrum, each with the versions that produced it.
    public var spectra: [SpectrumIdentification]
    public var classification: SampleClassification?

    enum CodingKeys: String, CodingKey {
        case lab, status, spectra, classification
        case sampleID = "sample_id"
        case libraryVersion = "library_version"
        case rulesVersion = "rules_version"
    }
}

/// Runs the spectral identifier on the spectra stored with samples (mzML, results XML) and stores
/// what it finds: one identification per spectrum (hits, evidence, level, library and rules
/// versions) and one DrugCheck finding per substance or suspected class an analysis's spectra
/// show, graded `assessedBy: drugcheck`. The sample classification is then refreshed. Findings the
/// lab reported keep the lab's stated identification. An import runs the same identification on
/// the spectra that arrive with a file, inside the import's transaction.
///
/// A sample is identified again when its spectra were identified with another library or rules
/// version (a library was imported, the rules changed); otherwise it is left as it is.
///
/// ```swift
/// let classifier = StoredSpectraClassifier(identifier: identifier, classifier: SampleClassifier(catalogue: catalogue))
/// let results = try classifier.classify(.all, in: database)
/// ```
public struct StoredSpectraClassifier: Sendable {
    public let identifier: SpectrumIdentifier
    public let classifier: SampleClassifier

    public init(identifier: SpectrumIdentifier, classifier: SampleClassifier) {
        self.identifier = identifier
        self.classifier = classifier
    }

    public var libraryVersion: String { "\(identifier.library.name) \(identifier.library.version)" }
    public var rulesVersion: String { identifier.rules.version }

    /// Identifies the selected samples' spectra; the samples identified again are recorded in
    /// the audit log as `actor`'s, with the new digests of the batches whose findings changed.
    public func classify(_ selection: SampleSelection, in store: any StoredRowWriter, actor: String = "cli") throws -> [SpectraClassificationResult] {
        try StatementTransaction.write(on: store) { tx in
            let ids: [Int64]
            let subject: String
            switch selection {
            case .all: (ids, subject) = (try tx.sampleIDs(lab: nil, labSampleID: nil), "all samples")
            case let .sample(lab, id): (ids, subject) = (try tx.sampleIDs(lab: lab, labSampleID: id), lab.map { "\($0)/\(id)" } ?? id)
            }
            let results = try ids.map { try classify(sampleID: $0, in: tx) }
            let changed = results.filter { $0.status == .classified || $0.status == .reclassified }
            if !changed.isEmpty {
                try tx.recordAudit(.reclassification, subject: subject, actor: actor, details: [
                    "samples": String(changed.count),
                    "library": libraryVersion, "rules": rulesVersion,
                ])
            }
            return results
        }
    }

    /// Identifies one sample's stored spectra (unless already identified with the current
    /// library and rules versions) and refreshes its classification.
    public func classify(sampleID: Int64, in tx: any SampleTransaction) throws -> SpectraClassificationResult {
        let sample = try tx.storedSample(id: sampleID)
        let spectra = try tx.spectra(ofSample: sampleID)
        let previous = try tx.identifications(ofSpectra: spectra.map(\.id))
        var result = SpectraClassificationResult(lab: sample.labCode, sampleID: sample.labSampleID, status: .noSpectra,
                                                 libraryVersion: libraryVersion, rulesVersion: rulesVersion, spectra: [])
        if spectra.isEmpty {
            result.classification = try tx.classification(of: sampleID)
            return result
        }
        let current = spectra.allSatisfy { s in
            previous[s.id].map { $0.libraryVersion == libraryVersion && $0.rulesVersion == rulesVersion } ?? false
        }
        if current {
            result.status = .unchanged
            result.spectra = spectra.compactMap { previous[$0.id].flatMap { try? JSONDecoder().decode(SpectrumIdentification.self, from: Data($0.resultJSON.utf8)) } }
            result.classification = try tx.classification(of: sampleID)
            return result
        }
        result.status = previous.isEmpty ? .classified : .reclassified
        // Findings DrugCheck made from these spectra before are replaced; the lab's findings stay.
        try tx.removeIdentifications(ofSample: sampleID)
        let identified = spectra.map { (stored: $0, result: identifier.identify($0.spectrum)) }
        let findingIDs = try storeFindings(tx, identified)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for (n, item) in identified.enumerated() {
            let r = item.result
            let row = SpectrumIdentificationRow(
                substanceClass: r.substanceClass.rawValue, suspectedNewAnalogue: r.suspectedNewAnalogue, level: r.level?.rawValue,
                substance: r.substance, basis: r.basis, resultJSON: String(decoding: try encoder.encode(r), as: UTF8.self),
                libraryVersion: r.libraryVersion, rulesVersion: r.rulesVersion)
            try tx.recordIdentification(spectrumID: item.stored.id, row, findingID: findingIDs[n])
        }
        // Findings added to a version that does not count (an amendment awaiting verification) are parked.
        try tx.refreshVersions(ofSample: sampleID)
        let classification = try tx.reclassify(sampleID, with: classifier.classification(of:))
        result.spectra = identified.map(\.result)
        result.classification = classification
        return result
    }

    /// One finding per analysis and substance (or suspected class), from its most confident
    /// spectrum; returns the finding id each spectrum supports (nil when it put the spectrum in no class).
    private func storeFindings(_ tx: any SampleTransaction, _ identified: [(stored: StoredSpectrum, result: SpectrumIdentification)]) throws -> [Int64?] {
        var best: [String: (index: Int, finding: Finding)] = [:]
        var keys: [String?] = []
        for (n, item) in identified.enumerated() {
            guard let finding = SpectralFinding.finding(item.result, spectrum: item.stored.spectrum, catalogue: identifier.catalogue) else {
                keys.append(nil)
                continue
            }
            let key = "\(item.stored.analysisID)/\(finding.substanceID ?? finding.reportedName)"
            keys.append(key)
            if let held = best[key], !SpectralFinding.isBetter(finding, than: held.finding) { continue }
            best[key] = (n, finding)
        }
        var ids: [String: Int64] = [:]
        for (key, chosen) in best.sorted(by: { $0.value.index < $1.value.index }) {
            var f = chosen.finding
            f.detected = true
            f.concentration = nil
            ids[key] = try tx.addFinding(f, analysisID: identified[chosen.index].stored.analysisID)
        }
        return keys.map { $0.flatMap { ids[$0] } }
    }
}
