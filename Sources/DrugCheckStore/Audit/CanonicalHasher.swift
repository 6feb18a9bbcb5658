import Crypto
import Foundation
import GRDB

/// SHA-256 over a canonical serialisation of database values, the form every audit hash is
/// computed from. Each value is written with its SQLite storage class and, for text and blobs,
/// its length, so no two different sequences of values serialise alike:
///
/// - NULL → `n;`
/// - INTEGER → `i` decimal `;`
/// - REAL → `r` shortest round-trip decimal (as Swift prints it) `;`
/// - TEXT → `t` UTF-8 byte count `:` the bytes `;`
/// - BLOB → `b` byte count `:` the bytes `;`
///
/// and a row is its label (`sample`, `analysis`, `finding`, `entry`) as text followed by its
/// values and a newline. Hashing the stored values, not the model's, means a value whose type
/// was changed in the database (a concentration turned into text) no longer matches either.
///
/// ```swift
/// var hasher = CanonicalHasher()
/// hasher.row("entry", [1.databaseValue, "cli".databaseValue])
/// let hex = hasher.finalize()
/// ```
struct CanonicalHasher {
    private var sha = SHA256()

    /// The hash of what was written so far, as 64 lowercase hex digits.
    func finalize() -> String { BearerSecret.hex(sha.finalize()) }

    mutating func row(_ label: String, _ values: [DatabaseValue]) {
        value(label.databaseValue)
        for v in values { value(v) }
        sha.update(data: Data("\n".utf8))
    }

    private mutating func value(_ v: DatabaseValue) {
        switch v.storage {
        case .null: sha.update(data: Data("n;".utf8))
        case let .int64(i): sha.update(data: Data("i\(i);".utf8))
        case let .double(d): sha.update(data: Data("r\(d);".utf8))
        case let .string(s):
            let bytes = Data(s.utf8)
            sha.update(data: Data("t\(bytes.count):".utf8)); sha.update(data: bytes); sha.update(data: Data(";".utf8))
        case let .blob(b):
            sha.update(data: Data("b\(b.count):".utf8)); sha.update(data: b); sha.update(data: Data(";".utf8))
        }
    }

    /// SHA-256 of the concatenation of two hex hashes (as their ASCII text), for the chain link
    /// `entry_sha256 = SHA-256(previous_sha256 ‖ content_sha256)`.
    static func link(previous: String, content: String) -> String {
        BearerSecret.hex(SHA256.hash(data: Data((previous + content).utf8)))
    }
}
