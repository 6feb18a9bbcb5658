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
    /// Bytes not yet hashed: SHA256.update per value (with a Data per piece) was most of the
    /// time of a batch digest over a million findings.
    private var pending: [UInt8] = []

    init() {
        pending.reserveCapacity(Self.flushSize)
    }

    private static let flushSize = 1 << 16

    /// The hash of what was written so far, as 64 lowercase hex digits.
    func finalize() -> String {
        var sha = sha
        pending.withUnsafeBytes { sha.update(bufferPointer: $0) }
        return HexDigest.string(sha.finalize())
    }

    mutating func row(_ label: String, _ values: [DatabaseValue]) {
        beginRow(label)
        for v in values { value(v) }
        endRow()
    }

    mutating func beginRow(_ label: String) {
        text(label.utf8)
    }

    mutating func endRow() {
        pending.append(UInt8(ascii: "\n"))
        if pending.count >= Self.flushSize { flush() }
    }

    mutating func value(_ v: DatabaseValue) {
        switch v.storage {
        case .null: null()
        case let .int64(i): integer(i)
        case let .double(d): real(d)
        case let .string(s): text(s.utf8)
        case let .blob(b): blob(b)
        }
    }

    mutating func null() {
        pending.append(UInt8(ascii: "n")); pending.append(UInt8(ascii: ";"))
    }

    mutating func integer(_ i: Int64) {
        pending.append(UInt8(ascii: "i")); pending.append(contentsOf: String(i).utf8); pending.append(UInt8(ascii: ";"))
    }

    mutating func real(_ d: Double) {
        pending.append(UInt8(ascii: "r")); pending.append(contentsOf: d.description.utf8); pending.append(UInt8(ascii: ";"))
    }

    mutating func text<Bytes: Collection<UInt8>>(_ bytes: Bytes) {
        tagged(UInt8(ascii: "t"), bytes)
    }

    mutating func blob<Bytes: Collection<UInt8>>(_ bytes: Bytes) {
        tagged(UInt8(ascii: "b"), bytes)
    }

    private mutating func tagged<Bytes: Collection<UInt8>>(_ tag: UInt8, _ bytes: Bytes) {
        pending.append(tag); pending.append(contentsOf: String(bytes.count).utf8); pending.append(UInt8(ascii: ":"))
        pending.append(contentsOf: bytes); pending.append(UInt8(ascii: ";"))
    }

    private mutating func flush() {
        pending.withUnsafeBytes { sha.update(bufferPointer: $0) }
        pending.removeAll(keepingCapacity: true)
    }

    /// SHA-256 of the concatenation of two hex hashes (as their ASCII text), for the chain link
    /// `entry_sha256 = SHA-256(previous_sha256 ‖ content_sha256)`.
    static func link(previous: String, content: String) -> String {
        HexDigest.string(SHA256.hash(data: Data((previous + content).utf8)))
    }
}
