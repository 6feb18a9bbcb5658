import Crypto
import DrugCheckStore
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
        return prefix + HexDigest.string(bytes)
    }

    public static func hash(_ secret: String) -> String {
        HexDigest.string(SHA256.hash(data: Data(secret.utf8)))
    }
}
