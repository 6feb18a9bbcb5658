import Foundation

/// Reads the compact peak arrays `SpectrumWriter` writes: m/z as little-endian float64,
/// intensity as little-endian float32.
///
/// ```swift
/// let mz = try PeakBlob.float64LE(row["mz"], count: peakCount)
/// ```
enum PeakBlob {
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
