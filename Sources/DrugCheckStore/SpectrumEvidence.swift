import DrugCheckModel
import Foundation
import GRDB

/// A stored sample spectrum with the identification DrugCheck made of it (its result JSON, as
/// stored; nil when it was not identified), for showing the evidence behind a finding.
public struct SpectrumEvidence: Sendable {
    public var spectrum: StoredSpectrum
    public var identificationJSON: String?
    public var libraryVersion: String?
}

extension StoredRowQueries {
    /// The spectra of one stored sample (by its row id, see ``SampleQuery/fetchWithIDs(from:)``) and their identifications.
    ///
    /// ```swift
    /// for evidence in try db.spectrumEvidence(sampleRowID: id) { print(evidence.spectrum.spectrum.mz.count) }
    /// ```
    public func spectrumEvidence(sampleRowID: Int64) throws -> [SpectrumEvidence] {
        let spectra = try storedSpectra(ofSample: sampleRowID)
        let identified = try spectrumIdentifications(ofSpectra: spectra.map(\.id))
        return spectra.map { SpectrumEvidence(spectrum: $0, identificationJSON: identified[$0.id]?.resultJSON,
                                              libraryVersion: identified[$0.id]?.libraryVersion) }
    }

    /// The sample's stored spectra that have peaks, in storage order.
    func storedSpectra(ofSample sampleID: Int64) throws -> [StoredSpectrum] {
        try fetchRows(StoredSpectrum.sql, [.integer(sampleID)]).map(StoredSpectrum.init(row:))
    }

    /// The identifications stored for these spectra: library version, rules version and result JSON.
    func spectrumIdentifications(ofSpectra ids: [Int64]) throws -> [Int64: (libraryVersion: String, rulesVersion: String, resultJSON: String)] {
        guard !ids.isEmpty else { return [:] }
        let rows = try fetchRows(SpectrumIdentificationRow.storedSQL(count: ids.count), ids.map { .integer($0) })
        return Dictionary(uniqueKeysWithValues: rows.map { row in
            (row["spectrum_id"] as Int64, (row["library_version"] as String, row["rules_version"] as String, row["result"] as String))
        })
    }
}
