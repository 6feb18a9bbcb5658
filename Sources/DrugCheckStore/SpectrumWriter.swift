import DrugCheckModel
import Foundation
import GRDB

/// Stores spectra and chromatograms compactly, linked to their analysis: m/z and retention times
/// as little-endian float64, intensities as little-endian float32 (intensities need far less
/// precision than masses and times).
struct SpectrumWriter {
    let db: Database

    func write(_ spectra: [AttachedSpectrum], sampleIDs: [Int64]) throws {
        for attached in spectra {
            guard let analysisID = try analysisID(sampleIDs[attached.sampleIndex], attached.analysisIndex) else { continue }
            let s = attached.spectrum
            try db.execute(sql: """
                INSERT INTO spectrum (analysis_id, native_id, name, ms_level, rt_seconds, precursor_mz, precursor_charge, polarity,
                                      peak_count, mz, intensity, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [analysisID, s.id, s.name, s.msLevel, s.retentionTimeSeconds, s.precursorMZ,
                                 s.precursorCharge, s.polarity?.rawValue, s.peakCount, Self.float64LE(s.mz),
                                 Self.float32LE(s.intensity), JSONColumn.encode(s.metadata)])
        }
    }

    func write(_ chromatograms: [AttachedChromatogram], sampleIDs: [Int64]) throws {
        for attached in chromatograms {
            guard let analysisID = try analysisID(sampleIDs[attached.sampleIndex], attached.analysisIndex) else { continue }
            let c = attached.chromatogram
            try db.execute(sql: """
                INSERT INTO chromatogram (analysis_id, native_id, type, point_count, rt_seconds, intensity) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [analysisID, c.id, c.type, c.pointCount, Self.float64LE(c.timesSeconds), Self.float32LE(c.intensity)])
        }
    }

    /// The id of the sample's `index`-th analysis of its latest import.
    private func analysisID(_ sampleID: Int64, _ index: Int) throws -> Int64? {
        let analysisIDs = try Int64.fetchAll(db, sql: "SELECT id FROM analysis WHERE sample_id = ? AND batch_id = (SELECT MAX(batch_id) FROM analysis WHERE sample_id = ?) ORDER BY id",
                                             arguments: [sampleID, sampleID])
        return index < analysisIDs.count ? analysisIDs[index] : nil
    }

    static func float64LE(_ values: [Double]) -> Data {
        var data = Data(capacity: values.count * 8)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    static func float32LE(_ values: [Double]) -> Data {
        var data = Data(capacity: values.count * 4)
        for v in values { withUnsafeBytes(of: Float(v).bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }
}
