import Foundation
import GRDB

/// Stores spectra compactly: m/z as little-endian float64, intensity as little-endian float32
/// (intensities need far less precision than masses).
struct SpectrumWriter {
    let db: Database

    func write(_ spectra: [AttachedSpectrum], sampleIDs: [Int64]) throws {
        for attached in spectra {
            let sampleID = sampleIDs[attached.sampleIndex]
            let analysisIDs = try Int64.fetchAll(db, sql: "SELECT id FROM analysis WHERE sample_id = ? AND batch_id = (SELECT MAX(batch_id) FROM analysis WHERE sample_id = ?) ORDER BY id",
                                                 arguments: [sampleID, sampleID])
            guard attached.analysisIndex < analysisIDs.count else { continue }
            let s = attached.spectrum
            try db.execute(sql: """
                INSERT INTO spectrum (analysis_id, native_id, name, ms_level, rt_seconds, precursor_mz, precursor_charge, polarity,
                                      peak_count, mz, intensity, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [analysisIDs[attached.analysisIndex], s.id, s.name, s.msLevel, s.retentionTimeSeconds, s.precursorMZ,
                                 s.precursorCharge, s.polarity?.rawValue, s.peakCount, Self.float64LE(s.mz),
                                 Self.float32LE(s.intensity), JSONColumn.encode(s.metadata)])
        }
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
