import DrugCheckClassify
import DrugCheckIngest
import DrugCheckModel
import Foundation
import GRDB

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
/// show, graded `assessedBy: drugcheck`. The sample classification is then refreshed exactly as
/// an import refreshes it. Findings the lab reported keep the lab's stated identification.
///
/// A sample is identified again when its spectra were identified with another library or rules
/// version (a library was imported, the rules changed); otherwise it is left as it is.
///
/// ```swift
/// let library = try SpectralLibraryStore(database: db).referenceLibrary()
/// let results = try StoredSpectraClassifier(database: db, identifier: SpectrumIdentifier(library: library)).classify(.all)
/// ```
public struct StoredSpectraClassifier: Sendable {
    public let database: DrugCheckDatabase
    public let identifier: SpectrumIdentifier
    public let classifications: Classifications

    public init(database: DrugCheckDatabase, identifier: SpectrumIdentifier,
                classifier: SampleClassifier = SampleClassifier(catalogue: .bundled)) {
        self.database = database
        self.identifier = identifier
        classifications = Classifications(classifier: classifier)
    }

    public var libraryVersion: String { "\(identifier.library.name) \(identifier.library.version)" }
    public var rulesVersion: String { identifier.rules.version }

    public func classify(_ selection: SampleSelection) throws -> [SpectraClassificationResult] {
        try database.pool.write { db in
            var request = SampleRecord.all().order(Column("lab_code"), Column("lab_sample_id"))
            if case let .sample(lab, id) = selection {
                request = request.filter(Column("lab_sample_id") == id)
                if let lab { request = request.filter(Column("lab_code") == lab) }
            }
            return try request.fetchAll(db).map { try classify(db, sample: $0) }
        }
    }

    private func classify(_ db: Database, sample: SampleRecord) throws -> SpectraClassificationResult {
        let sampleID = sample.id!
        let spectra = try StoredSpectrum.fetchAll(db, sampleID: sampleID)
        let previous = try PreviousIdentification.fetchAll(db, spectrumIDs: spectra.map(\.id))
        var result = SpectraClassificationResult(lab: sample.labCode, sampleID: sample.labSampleId, status: .noSpectra,
                                                 libraryVersion: libraryVersion, rulesVersion: rulesVersion, spectra: [])
        if spectra.isEmpty {
            result.classification = try ClassificationRecord.fetchOne(db, key: sampleID)?.model
            return result
        }
        let current = spectra.allSatisfy { s in
            previous[s.id].map { $0.libraryVersion == libraryVersion && $0.rulesVersion == rulesVersion } ?? false
        }
        if current {
            result.status = .unchanged
            result.spectra = spectra.compactMap { previous[$0.id]?.result }
            result.classification = try ClassificationRecord.fetchOne(db, key: sampleID)?.model
            return result
        }
        result.status = previous.isEmpty ? .classified : .reclassified
        // Findings DrugCheck made from these spectra before are replaced; the lab's findings stay.
        let sampleSpectra = "SELECT s.id FROM spectrum s JOIN analysis a ON a.id = s.analysis_id WHERE a.sample_id = ?"
        try db.execute(sql: "DELETE FROM finding WHERE id IN (SELECT finding_id FROM spectrum_identification WHERE spectrum_id IN (\(sampleSpectra)))",
                       arguments: [sampleID])
        try db.execute(sql: "DELETE FROM spectrum_identification WHERE spectrum_id IN (\(sampleSpectra))", arguments: [sampleID])
        let identified = spectra.map { (stored: $0, result: identifier.identify($0.spectrum)) }
        let findingIDs = try storeFindings(db, identified)
        let now = Date()
        for (n, item) in identified.enumerated() {
            let r = item.result
            try db.execute(sql: """
                INSERT INTO spectrum_identification (spectrum_id, class, suspected_new_analogue, level, substance, basis, result, finding_id,
                    library_version, rules_version, classified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [item.stored.id, r.substanceClass.rawValue, r.suspectedNewAnalogue, r.level?.rawValue, r.substance, r.basis,
                                 JSONColumn.encode(r), findingIDs[n], r.libraryVersion, r.rulesVersion, now])
        }
        try classifications.refresh(db, sampleIDs: [sampleID])
        result.spectra = identified.map(\.result)
        result.classification = try ClassificationRecord.fetchOne(db, key: sampleID)?.model
        return result
    }

    /// One finding per analysis and substance (or suspected class), from its most confident
    /// spectrum; returns the finding id each spectrum supports (nil when it put the spectrum in no class).
    private func storeFindings(_ db: Database, _ identified: [(stored: StoredSpectrum, result: SpectrumIdentification)]) throws -> [Int64?] {
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
            let f = chosen.finding
            var record = FindingRecord(id: nil, analysisId: identified[chosen.index].stored.analysisID, reportedName: f.reportedName,
                                       substanceId: f.substanceID, detected: true, concentration: nil, unit: nil,
                                       rtMin: f.retentionTimeMinutes, mz: f.mz, matchScore: f.matchScore,
                                       confidence: f.confidence.map(JSONColumn.encode))
            try record.insert(db)
            ids[key] = db.lastInsertedRowID
        }
        return keys.map { $0.flatMap { ids[$0] } }
    }
}

/// A stored sample spectrum read back for identification.
struct StoredSpectrum {
    let id: Int64
    let analysisID: Int64
    let spectrum: Spectrum

    static func fetchAll(_ db: Database, sampleID: Int64) throws -> [StoredSpectrum] {
        try Row.fetchAll(db, sql: """
            SELECT s.* FROM spectrum s JOIN analysis a ON a.id = s.analysis_id
            WHERE a.sample_id = ? AND s.peak_count > 0 ORDER BY s.id
            """, arguments: [sampleID]).map { row in
            let count: Int = row["peak_count"]
            let spectrum = Spectrum(
                id: row["native_id"], name: row["name"], msLevel: row["ms_level"], retentionTimeSeconds: row["rt_seconds"],
                precursorMZ: row["precursor_mz"], precursorCharge: row["precursor_charge"],
                polarity: (row["polarity"] as String?).flatMap(Polarity.init(rawValue:)),
                mz: try PeakBlob.float64LE(row["mz"], count: count), intensity: try PeakBlob.float32LE(row["intensity"], count: count),
                metadata: JSONColumn.decode([String: String].self, row["metadata"]) ?? [:])
            return StoredSpectrum(id: row["id"], analysisID: row["analysis_id"], spectrum: spectrum)
        }
    }
}

/// The identification stored for a spectrum, with the versions that produced it.
struct PreviousIdentification {
    let libraryVersion: String
    let rulesVersion: String
    let result: SpectrumIdentification?

    static func fetchAll(_ db: Database, spectrumIDs: [Int64]) throws -> [Int64: PreviousIdentification] {
        guard !spectrumIDs.isEmpty else { return [:] }
        let rows = try Row.fetchAll(db, sql: """
            SELECT spectrum_id, library_version, rules_version, result FROM spectrum_identification
            WHERE spectrum_id IN (\(spectrumIDs.map { _ in "?" }.joined(separator: ",")))
            """, arguments: StatementArguments(spectrumIDs))
        return Dictionary(uniqueKeysWithValues: rows.map { row in
            (row["spectrum_id"] as Int64, PreviousIdentification(libraryVersion: row["library_version"], rulesVersion: row["rules_version"],
                                                                 result: JSONColumn.decode(SpectrumIdentification.self, row["result"])))
        })
    }
}
