import Crypto
import Foundation

/// A bearer token secret: 256 random bits, written as `dct_` and 64 hex digits. Only its
/// SHA-256 is stored, so a copy of the database does not give access.
///
/// ```swift
/// let secret = BearerSecret.generate()
/// let stored = BearerSecret.hash(secret)   // 64 hex digits
/// ```
public enum BearerSecret {
    public static let prefix = "dct_"

    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return prefix + hex(bytes)
    }

    public static func hash(_ secret: String) -> String {
        hex(SHA256.hash(data: Data(secret.utf8)))
    }

    /// Lowercase hex. Not `String(format:)`: that builds a locale-aware formatter per byte,
    /// which profiling showed as 8% of an authenticated request.
    public static func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
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
