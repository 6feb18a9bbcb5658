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

    /// Four tables of 256, one per position in a group of four characters: each holds a
    /// character's 6 bits already placed in the group's 3 output bytes (little-endian), so a group
    /// decodes with four lookups and three ORs. Characters outside the alphabet set bit 24.
    private static let quads: [UInt32] = {
        var q = [UInt32](repeating: invalidQuad, count: 1024)
        for (c, v) in table.enumerated() where v < 64 {
            let v = UInt32(v)
            q[c] = v << 2
            q[256 + c] = v >> 4 | (v & 0xF) << 12
            q[512 + c] = (v >> 2) << 8 | (v & 3) << 22
            q[768 + c] = v << 16
        }
        return q
    }()
    private static let invalidQuad: UInt32 = 1 << 24

    static func decode(_ text: UnsafeBufferPointer<UInt8>) throws(Failure) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(text.count / 4 * 3 + 8)
        try decode(text, into: &out)
        return out
    }

    /// Appends the decoded bytes to `out`. Groups of four alphabet characters take a fast path;
    /// whitespace and padding go through the general state machine.
    static func decode(_ text: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) throws(Failure) {
        let start = out.count
        // 8 bytes of slack: the fast paths store 4 bytes to write 3.
        let capacity = text.count / 4 * 3 + 8
        out.append(contentsOf: repeatElement(0, count: capacity))
        var written = 0
        var failure: Failure?
        table.withUnsafeBufferPointer { t in quads.withUnsafeBufferPointer { q in
            out.withUnsafeMutableBufferPointer { buffer in
                let o = buffer.baseAddress! + start
                var quad: UInt32 = 0, filled = 0, padding = 0, symbols = 0
                var i = 0
                let n = text.count
                while i < n {
                    if filled == 0, padding == 0, i + 8 <= n {
                        let w = UInt64(littleEndian: UnsafeRawPointer(text.baseAddress! + i).loadUnaligned(as: UInt64.self))
                        let x = q[Int(w & 0xFF)] | q[256 + Int(w >> 8 & 0xFF)] | q[512 + Int(w >> 16 & 0xFF)] | q[768 + Int(w >> 24 & 0xFF)]
                        let y = q[Int(w >> 32 & 0xFF)] | q[256 + Int(w >> 40 & 0xFF)] | q[512 + Int(w >> 48 & 0xFF)] | q[768 + Int(w >> 56)]
                        if (x | y) < Self.invalidQuad {
                            UnsafeMutableRawPointer(o + written).storeBytes(of: x.littleEndian, as: UInt32.self)
                            UnsafeMutableRawPointer(o + written + 3).storeBytes(of: y.littleEndian, as: UInt32.self)
                            written += 6
                            symbols += 8
                            i += 8
                            continue
                        }
                    }
                    if filled == 0, padding == 0, i + 4 <= n {
                        let x = q[Int(text[i])] | q[256 + Int(text[i + 1])] | q[512 + Int(text[i + 2])] | q[768 + Int(text[i + 3])]
                        if x < Self.invalidQuad {
                            UnsafeMutableRawPointer(o + written).storeBytes(of: x.littleEndian, as: UInt32.self)
                            written += 3
                            symbols += 4
                            i += 4
                            continue
                        }
                    }
                    let ch = text[i]
                    let v = t[Int(ch)]
                    if v < 64 {
                        guard padding == 0 else { failure = .invalidCharacter(ch, offset: i); return }
                        quad = quad << 6 | UInt32(v)
                        filled += 1
                        symbols += 1
                        if filled == 4 {
                            o[written] = UInt8(truncatingIfNeeded: quad >> 16)
                            o[written + 1] = UInt8(truncatingIfNeeded: quad >> 8)
                            o[written + 2] = UInt8(truncatingIfNeeded: quad)
                            written += 3
                            filled = 0
                            quad = 0
                        }
                    } else if v == 64 {
                        padding += 1
                        symbols += 1
                        guard padding <= 2 else { failure = .invalidCharacter(ch, offset: i); return }
                    } else if v != 65 {
                        failure = .invalidCharacter(ch, offset: i)
                        return
                    }
                    i += 1
                }
                guard symbols % 4 == 0 else { failure = .badLength(symbols); return }
                switch (filled, padding) {
                case (0, 0): break
                case (2, 2):
                    o[written] = UInt8(truncatingIfNeeded: quad >> 4)
                    written += 1
                case (3, 1):
                    o[written] = UInt8(truncatingIfNeeded: quad >> 10)
                    o[written + 1] = UInt8(truncatingIfNeeded: quad >> 2)
                    written += 2
                default: failure = .badLength(symbols)
                }
            }
        } }
        out.removeLast(capacity - written)
        if let failure { throw failure }
    }
}
