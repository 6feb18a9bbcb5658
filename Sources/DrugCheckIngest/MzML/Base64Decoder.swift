/// Strict base64 (RFC 4648 §4) decoding of mzML `<binary>` text, straight from libxml2's buffer.
///
/// Whitespace between groups is skipped; any other character outside the alphabet, or a length
/// that is not a whole number of 4-character groups, is an error rather than silently truncated data.
///
/// ```swift
/// let bytes = try Base64Decoder.decode(Array("AAAAAAAA8D8=".utf8)[...])  // 1.0 as a little-endian Double
/// ```
enum Base64Decoder {
    enum Failure: Error, Equatable {
        case invalidCharacter(UInt8, offset: Int)
        case badLength(Int)
    }

    /// 0...63 for alphabet characters, 64 for padding, 65 for whitespace, 255 for anything else.
    private static let table: [UInt8] = {
        var t = [UInt8](repeating: 255, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            t[Int(c)] = UInt8(i)
        }
        t[Int(UInt8(ascii: "="))] = 64
        for c in [0x20, 0x09, 0x0A, 0x0D] { t[c] = 65 }
        return t
    }()

    static func decode(_ text: UnsafeBufferPointer<UInt8>) throws(Failure) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(text.count / 4 * 3)
        try decode(text, into: &out)
        return out
    }

    static func decode(_ text: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) throws(Failure) {
        let t = table
        var quad: UInt32 = 0
        var filled = 0
        var padding = 0
        var symbols = 0
        try t.withUnsafeBufferPointer { (t) throws(Failure) in
            for (offset, c) in text.enumerated() {
                let v = t[Int(c)]
                if v < 64 {
                    guard padding == 0 else { throw .invalidCharacter(c, offset: offset) }
                    quad = quad << 6 | UInt32(v)
                    filled += 1
                    symbols += 1
                    if filled == 4 {
                        out.append(UInt8(truncatingIfNeeded: quad >> 16))
                        out.append(UInt8(truncatingIfNeeded: quad >> 8))
                        out.append(UInt8(truncatingIfNeeded: quad))
                        filled = 0
                        quad = 0
                    }
                } else if v == 64 {
                    padding += 1
                    symbols += 1
                    guard padding <= 2 else { throw .invalidCharacter(c, offset: offset) }
                } else if v != 65 {
                    throw .invalidCharacter(c, offset: offset)
                }
            }
        }
        guard symbols % 4 == 0 else { throw .badLength(symbols) }
        switch (filled, padding) {
        case (0, 0): break
        case (2, 2): out.append(UInt8(truncatingIfNeeded: quad >> 4))
        case (3, 1):
            out.append(UInt8(truncatingIfNeeded: quad >> 10))
            out.append(UInt8(truncatingIfNeeded: quad >> 2))
        default: throw .badLength(symbols)
        }
    }
}
