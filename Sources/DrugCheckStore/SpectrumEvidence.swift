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

extension DrugCheckDatabase {
    /// The spectra of one stored sample (by its row id, see ``SampleQuery/fetchWithIDs(in:)``) and their identifications.
    ///
    /// ```swift
    /// for evidence in try db.spectrumEvidence(sampleRowID: id) { print(evidence.spectrum.spectrum.mz.count) }
    /// ```
    public func spectrumEvidence(sampleRowID: Int64) throws -> [SpectrumEvidence] {
        try pool.read { db in
            let reader = StoreTransaction(db: db)
            let spectra = try reader.spectra(ofSample: sampleRowID)
            let identified = try reader.identifications(ofSpectra: spectra.map(\.id))
            return spectra.map { SpectrumEvidence(spectrum: $0, identificationJSON: identified[$0.id]?.resultJSON,
                                                  libraryVersion: identified[$0.id]?.libraryVersion) }
        }
    }
}
