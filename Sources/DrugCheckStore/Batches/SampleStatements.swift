import DrugCheckModel
import Foundation
import GRDB

// The statements both sample transactions (``StoreTransaction`` on SQLite,
// ``StatementTransaction`` elsewhere) run on findings, spectra and identifications: one text each,
// with `flag` as each boolean's placeholder (`?` on SQLite, `(? <> 0)` where booleans are typed).

extension Finding {
    /// `rows`: how many findings one statement inserts (a row of values each).
    static func insertSQL(flag: String, rows: Int = 1) -> String {
        """
        INSERT INTO finding (analysis_id, reported_name, substance_id, detected, concentration, unit, rt_min, mz, match_score, confidence)
        VALUES \(Array(repeating: "(?, ?, ?, \(flag), ?, ?, ?, ?, ?, ?)", count: rows).joined(separator: ", "))
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

// The rows an import batch inserts: one text each for both batch writers (SQLite binds the
// sample and analysis columns in this order itself, on the import's hot path).

extension Sample {
    static let insertSQL = """
        INSERT INTO sample (lab_code, lab_sample_id, sample_type, source, sold_as, sold_as_substance_id, brand, flavour, colour,
                            logo, description, collected_on, region, seizure_context, attributes, iso_week, week_basis, first_batch_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (lab_code, lab_sample_id) DO NOTHING
        """

    /// The values of ``insertSQL``.
    func insertValues(attributesJSON: String, batchID: Int64) -> [StoredValue] {
        let placement = weekPlacement, d = description
        return [.text(labCode), .text(labSampleID), .text(type.rawValue), .text(source.rawValue), .of(soldAs), .of(soldAsSubstanceID),
                .of(d.brand), .of(d.flavour), .of(d.colour), .of(d.logo), .of(d.text), .of(collectedOn?.description), .of(region),
                .of(seizureContext), .text(attributesJSON), .of(placement?.week.description), .of(placement?.basis.rawValue), .integer(batchID)]
    }
}

extension Analysis {
    static let insertSQL = "INSERT INTO analysis (\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"

    /// A new sample's first analysis, inserted by the statement that inserts the sample as `s`
    /// (PostgreSQL's `WITH s AS (INSERT … RETURNING id)`): the values of
    /// ``insertValues(sampleID:batchID:)`` but the sample id.
    static let insertForNewSampleSQL = "INSERT INTO analysis (\(columns)) SELECT s.id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM s"

    private static let columns = """
        sample_id, batch_id, technique, instrument, method, analysed_on, status, verified_by, verification_rule, verified_at, rejection_reason
        """

    /// The values of ``insertSQL``.
    func insertValues(sampleID: Int64, batchID: Int64) -> [StoredValue] {
        let v = verification
        return [.integer(sampleID), .integer(batchID), .text(technique.rawValue), .of(instrument), .of(method), .of(analysedOn?.description),
                .text(status.rawValue), .of(v?.verifiedBy), .of(v?.rule), .of(v?.at.map { $0.formatted(.iso8601) }), .of(v?.reason)]
    }
}

extension Spectrum {
    static let insertSQL = """
        INSERT INTO spectrum (analysis_id, native_id, name, ms_level, rt_seconds, precursor_mz, precursor_charge, polarity,
                              peak_count, mz, intensity, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    func insertValues(analysisID: Int64) -> [StoredValue] {
        [.integer(analysisID), .text(id), .of(name), .of(msLevel), .of(retentionTimeSeconds), .of(precursorMZ), .of(precursorCharge),
         .of(polarity?.rawValue), .integer(Int64(peakCount)), .of(PeakBlob.float64LE(mz)), .of(PeakBlob.float32LE(intensity)),
         .text(JSONColumn.encode(metadata))]
    }
}

extension Chromatogram {
    static let insertSQL = """
        INSERT INTO chromatogram (analysis_id, native_id, type, point_count, rt_seconds, intensity) VALUES (?, ?, ?, ?, ?, ?)
        """

    func insertValues(analysisID: Int64) -> [StoredValue] {
        [.integer(analysisID), .text(id), .of(type), .integer(Int64(pointCount)), .of(PeakBlob.float64LE(timesSeconds)),
         .of(PeakBlob.float32LE(intensity))]
    }
}
