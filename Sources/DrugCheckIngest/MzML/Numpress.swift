import Foundation

/// MS-Numpress decoders, written from the published description: Teleman J, Dowsey AW,
/// Gonzalez-Galarza FF, et al. "Numerical compression schemes for proteomics mass spectrometry
/// data", Mol Cell Proteomics 13(6):1537–1542 (2014), doi:10.1074/mcp.O114.037879, and the
/// byte layout of its reference implementation (ms-numpress, `MSNumpress.cpp`, Apache-2.0; read,
/// not copied).
///
/// - linear (`MS:1002312`): 8-byte big-endian fixed-point factor, the first two values as
///   32-bit little-endian integers, then the difference of each value from the linear
///   prediction `2·v[i-1] − v[i-2]`, variable-length encoded in half-bytes;
/// - pic (`MS:1002313`): positive integers rounded from the values, each variable-length encoded;
/// - slof (`MS:1002314`): 8-byte big-endian fixed point, then `UInt16(log(x+1)·fixed + 0.5)` per value.
///
/// ```swift
/// let values = try Numpress.decodeLinear(bytes)
/// ```
enum Numpress {
    struct Corrupt: Error, Equatable {
        var detail: String
    }

    /// Reads one variable-length integer: a count half-byte (0–8 leading zero nibbles, 9–15
    /// leading 0xF nibbles for negatives) followed by the remaining nibbles, least significant first.
    struct HalfByteReader {
        let data: UnsafeBufferPointer<UInt8>
        var index: Int
        var upper = true

        init(_ data: UnsafeBufferPointer<UInt8>, from index: Int) {
            self.data = data
            self.index = index
        }

        var atEnd: Bool {
            // A trailing zero nibble pads the last byte when the nibble count is odd.
            index >= data.count || (index == data.count - 1 && !upper && data[index] & 0x0F == 0)
        }

        mutating func nibble() throws(Corrupt) -> UInt32 {
            guard index < data.count else { throw Corrupt(detail: "half-byte stream ends inside a value") }
            let byte = data[index]
            if upper {
                upper = false
                return UInt32(byte >> 4)
            }
            upper = true
            index += 1
            return UInt32(byte & 0x0F)
        }

        mutating func integer() throws(Corrupt) -> Int32 {
            let head = try nibble()
            var value: UInt32 = 0
            let leading: UInt32
            if head <= 8 {
                leading = head
            } else {
                leading = head - 8
                for i in 0..<leading { value |= 0xF000_0000 >> (4 * i) }
            }
            if leading < 8 {
                for i in leading..<8 { value |= try nibble() << ((i - leading) * 4) }
            }
            return Int32(bitPattern: value)
        }
    }

    /// The fixed-point factor is stored big-endian (unlike the integers that follow).
    static func fixedPoint(_ d: UnsafeBufferPointer<UInt8>) -> Double {
        var bits: UInt64 = 0
        for i in 0..<8 { bits = bits << 8 | UInt64(d[i]) }
        return Double(bitPattern: bits)
    }

    static func uint32(_ d: UnsafeBufferPointer<UInt8>, at i: Int) -> Int64 {
        var v: UInt32 = 0
        for k in 0..<4 { v |= UInt32(d[i + k]) << (8 * UInt32(k)) }
        return Int64(v)
    }

    static func decodeLinear(_ bytes: [UInt8]) throws(Corrupt) -> [Double] {
        try bytes.withUnsafeBufferPointer { (d) throws(Corrupt) -> [Double] in
            guard d.count >= 8 else { throw Corrupt(detail: "linear data shorter than its 8-byte header") }
            let fixed = fixedPoint(d)
            guard fixed.isFinite, fixed > 0 else { throw Corrupt(detail: "linear fixed point \(fixed) is not a positive number") }
            if d.count == 8 { return [] }
            guard d.count >= 12 else { throw Corrupt(detail: "linear data ends inside the first value") }
            var previous = uint32(d, at: 8)
            var result = [Double(previous) / fixed]
            if d.count == 12 { return result }
            guard d.count >= 16 else { throw Corrupt(detail: "linear data ends inside the second value") }
            var current = uint32(d, at: 12)
            result.append(Double(current) / fixed)
            var reader = HalfByteReader(d, from: 16)
            while !reader.atEnd {
                let diff = Int64(try reader.integer())
                // Hostile differences can push the prediction past Int64 (about 93,000 maximal
                // differences, a few KiB once zlib-compressed): an error, not a trap.
                let (doubled, o1) = current.multipliedReportingOverflow(by: 2)
                let (predicted, o2) = doubled.subtractingReportingOverflow(previous)
                let (next, o3) = predicted.addingReportingOverflow(diff)
                guard !(o1 || o2 || o3) else { throw Corrupt(detail: "linear value \(result.count + 1) overflows a 64-bit integer") }
                previous = current
                current = next
                result.append(Double(next) / fixed)
            }
            return result
        }
    }

    static func decodePic(_ bytes: [UInt8]) throws(Corrupt) -> [Double] {
        try bytes.withUnsafeBufferPointer { (d) throws(Corrupt) -> [Double] in
            var result: [Double] = []
            var reader = HalfByteReader(d, from: 0)
            while !reader.atEnd {
                let count = try reader.integer()
                guard count >= 0 else { throw Corrupt(detail: "pic value \(count) is negative") }
                result.append(Double(count))
            }
            return result
        }
    }

    static func decodeSlof(_ bytes: [UInt8]) throws(Corrupt) -> [Double] {
        try bytes.withUnsafeBufferPointer { (d) throws(Corrupt) -> [Double] in
            guard d.count >= 8 else { throw Corrupt(detail: "slof data shorter than its 8-byte header") }
            guard d.count % 2 == 0 else { throw Corrupt(detail: "slof data has an odd byte count \(d.count)") }
            let fixed = fixedPoint(d)
            guard fixed.isFinite, fixed > 0 else { throw Corrupt(detail: "slof fixed point \(fixed) is not a positive number") }
            var result: [Double] = []
            result.reserveCapacity((d.count - 8) / 2)
            for i in stride(from: 8, to: d.count, by: 2) {
                let x = UInt16(d[i]) | UInt16(d[i + 1]) << 8
                result.append(exp(Double(x) / fixed) - 1)
            }
            return result
        }
    }
}
