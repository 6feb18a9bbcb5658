import Crypto

/// The row count and SHA-256 of a table's rows in primary-key order, each value written with
/// its kind and length, so two backends holding the same rows give the same digest whatever
/// their types. A copy is checked by comparing the digests of source and target.
///
/// ```swift
/// var digest = TableDigest()
/// try database.forEachRow(of: table) { digest.add($0) }
/// print(digest.rows, digest.hex)
/// ```
public struct TableDigest: Sendable, Equatable {
    public private(set) var rows = 0
    private var hasher = SHA256()
    private var buffer: [UInt8] = []

    public init() {}

    public static func == (a: TableDigest, b: TableDigest) -> Bool { a.rows == b.rows && a.hex == b.hex }

    public mutating func add(_ row: [StoredValue]) {
        rows += 1
        for value in row {
            switch value {
            case .null: buffer.append(0x4E)
            case .integer(let n): append(0x69, Array(String(n).utf8))
            case .real(let x): append(0x72, withUnsafeBytes(of: x.bitPattern.littleEndian, Array.init))
            case .text(let s): append(0x74, Array(s.utf8))
            case .blob(let bytes): append(0x62, bytes)
            }
        }
        buffer.append(0x0A)
        if buffer.count > 1 << 16 { flush() }
    }

    /// The hash of every row added so far, as lowercase hex.
    public var hex: String {
        var copy = self
        copy.flush()
        return HexDigest.string(copy.hasher.finalize())
    }

    private mutating func append(_ kind: UInt8, _ bytes: [UInt8]) {
        buffer.append(kind)
        buffer.append(contentsOf: Array(String(bytes.count).utf8))
        buffer.append(0x3A)
        buffer.append(contentsOf: bytes)
    }

    private mutating func flush() {
        hasher.update(data: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
