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

    /// Appends the decoded bytes to `out`. Groups of four alphabet characters take a fast path;
    /// whitespace and padding go through the general state machine.
    static func decode(_ text: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) throws(Failure) {
        let start = out.count
        // 8 bytes of slack: the 8-character path stores 8 bytes to write 6.
        let capacity = text.count / 4 * 3 + 8
        out.append(contentsOf: repeatElement(0, count: capacity))
        var written = 0
        var failure: Failure?
        table.withUnsafeBufferPointer { t in
            out.withUnsafeMutableBufferPointer { buffer in
                let o = buffer.baseAddress! + start
                var quad: UInt32 = 0, filled = 0, padding = 0, symbols = 0
                var i = 0
                let n = text.count
                while i < n {
                    if filled == 0, padding == 0, i + 8 <= n {
                        var v: UInt64 = 0, bad: UInt64 = 0
                        for k in 0..<8 {
                            let x = UInt64(t[Int(text[i + k])])
                            bad |= x
                            v = v << 6 | x
                        }
                        if bad < 64 {
                            // 48 bits, first character highest: big-endian bytes at o + written.
                            UnsafeMutableRawPointer(o + written).storeBytes(of: (v << 16).bigEndian, as: UInt64.self)
                            written += 6
                            symbols += 8
                            i += 8
                            continue
                        }
                    }
                    if filled == 0, padding == 0, i + 4 <= n {
                        let a = UInt32(t[Int(text[i])]), b = UInt32(t[Int(text[i + 1])])
                        let c = UInt32(t[Int(text[i + 2])]), d = UInt32(t[Int(text[i + 3])])
                        if (a | b | c | d) < 64 {
                            let v = a << 18 | b << 12 | c << 6 | d
                            o[written] = UInt8(truncatingIfNeeded: v >> 16)
                            o[written + 1] = UInt8(truncatingIfNeeded: v >> 8)
                            o[written + 2] = UInt8(truncatingIfNeeded: v)
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
        }
        out.removeLast(capacity - written)
        if let failure { throw failure }
    }
}
