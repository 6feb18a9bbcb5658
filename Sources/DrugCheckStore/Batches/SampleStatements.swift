import DrugCheckModel
import Foundation
import GRDB

// The statements both sample transactions (``StoreTransaction`` on SQLite,
// ``StatementTransaction`` elsewhere) run on findings, spectra and identifications: one text each,
// with `flag` as each boolean's placeholder (`?` on SQLite, `(? <> 0)` where booleans are typed).

extension Finding {
    static func insertSQL(flag: String) -> String {
        """
        INSERT INTO finding (analysis_id, reported_name, substance_id, detected, concentration, unit, rt_min, mz, match_score, confidence)
        VALUES (?, ?, ?, \(flag), ?, ?, ?, ?, ?, ?)
        """
    }

    /// The values of ``insertSQL(flag:)``, the detected flag as 0 or 1.
    func insertValues(analysisID: Int64, confidenceJSON: String?) -> [StoredValue] {
        [.integer(analysisID), .text(reportedName), .of(substanceID), .integer(detected ? 1 : 0), .of(concentration?.value),
         .of(concentration?.unit.rawValue), .of(retentionTimeMinutes), .of(mz), .of(matchScore), .of(confidenceJSON)]
    }
}

extension StoredSpectrum {
    /// A sample's stored spectra that have peaks, in storage order.
    static let sql = """
        SELECT s.* FROM spectrum s JOIN analysis a ON a.id = s.analysis_id
        WHERE a.sample_id = ? AND s.peak_count > 0 ORDER BY s.id
        """

    init(row: Row) throws {
        let count: Int = row["peak_count"]
        let spectrum = Spectrum(
            id: row["native_id"], name: row["name"], msLevel: row["ms_level"], retentionTimeSeconds: row["rt_seconds"],
            precursorMZ: row["precursor_mz"], precursorCharge: row["precursor_charge"],
            polarity: (row["polarity"] as String?).flatMap(Polarity.init(rawValue:)),
            mz: try PeakBlob.float64LE(row["mz"], count: count), intensity: try PeakBlob.float32LE(row["intensity"], count: count),
            metadata: JSONColumn.decode([String: String].self, row["metadata"]) ?? [:])
        self.init(id: row["id"], analysisID: row["analysis_id"], spectrum: spectrum)
    }
}

extension SpectrumIdentificationRow {
    static func insertSQL(flag: String) -> String {
        """
        INSERT INTO spectrum_identification (spectrum_id, class, suspected_new_analogue, level, substance, basis, result, finding_id,
            library_version, rules_version, classified_at) VALUES (?, ?, \(flag), ?, ?, ?, ?, ?, ?, ?, ?)
        """
    }

    func values(spectrumID: Int64, findingID: Int64?) -> [StoredValue] {
        [.integer(spectrumID), .text(substanceClass), .integer(suspectedNewAnalogue ? 1 : 0), .of(level), .of(substance), .text(basis),
         .text(resultJSON), .of(findingID), .text(libraryVersion), .text(rulesVersion), .time(Date())]
    }

    /// The identifications stored for some spectra (one `?` per id).
    static func storedSQL(count: Int) -> String {
        """
        SELECT spectrum_id, library_version, rules_version, result FROM spectrum_identification
        WHERE spectrum_id IN (\(Array(repeating: "?", count: count).joined(separator: ",")))
        """
    }

    /// Removing a sample's identifications and the findings DrugCheck made from them (counted and
    /// parked), then the identifications: each statement takes the sample id once.
    static let removalSQL: (findings: String, parked: String, identifications: String) = {
        let sampleSpectra = "SELECT s.id FROM spectrum s JOIN analysis a ON a.id = s.analysis_id WHERE a.sample_id = ?"
        return ("DELETE FROM finding WHERE id IN (SELECT finding_id FROM spectrum_identification WHERE spectrum_id IN (\(sampleSpectra)))",
                "DELETE FROM parked_finding WHERE id IN (SELECT parked_finding_id FROM spectrum_identification WHERE spectrum_id IN (\(sampleSpectra)))",
                "DELETE FROM spectrum_identification WHERE spectrum_id IN (\(sampleSpectra))")
    }()
}
