import Foundation

/// The compact peak arrays of stored spectra and chromatograms: m/z and times as little-endian
/// float64, intensities as little-endian float32 (intensities need far less precision).
///
/// ```swift
/// let mz = try PeakBlob.float64LE(row["mz"], count: peakCount)
/// ```
enum PeakBlob {
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

    static func float64LE(_ data: Data, count: Int) throws -> [Double] {
        guard data.count == count * 8 else { throw PeakBlobError(expected: count * 8, found: data.count) }
        return data.withUnsafeBytes { raw in
            (0..<count).map { Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))) }
        }
    }

    static func float32LE(_ data: Data, count: Int) throws -> [Double] {
        guard data.count == count * 4 else { throw PeakBlobError(expected: count * 4, found: data.count) }
        return data.withUnsafeBytes { raw in
            (0..<count).map { Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))) }
        }
    }
}

/// A stored peak array whose length does not fit its peak count (a damaged database row).
struct PeakBlobError: Error, CustomStringConvertible {
    let expected: Int
    let found: Int
    var description: String { "stored peak array has \(found) bytes, expected \(expected)" }
}
