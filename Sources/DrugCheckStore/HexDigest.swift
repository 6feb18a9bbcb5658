/// Lowercase hex of bytes (digests, random secrets). Not `String(format:)`: that builds a
/// locale-aware formatter per byte, which profiling showed as 8% of an authenticated request.
///
/// ```swift
/// HexDigest.string(SHA256.hash(data: data))   // 64 hex digits
/// ```
public enum HexDigest {
    public static func string<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
