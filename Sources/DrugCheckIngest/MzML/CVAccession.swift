/// A controlled-vocabulary accession (`MS:1000514`, `UO:0000031`) held as its bytes in two
/// integers, so the mzML parser can read and compare the accession of every cvParam straight
/// from libxml2's attribute bytes, without making a `String` for the thousands it skips.
///
/// Accessions longer than 16 bytes have no `CVAccession` (none of the PSI-MS or UO terms
/// DrugCheck acts on is); ``init(_:)`` returns `nil` for them and the parser treats them as
/// unknown terms.
///
/// ```swift
/// let zlib: CVAccession = "MS:1000574"
/// CVAccession(attributeBytes) == zlib
/// ```
struct CVAccession: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    private let head: UInt64
    private let tail: UInt64

    static let maxBytes = 16

    /// The accession in `bytes`, or `nil` when it is longer than ``maxBytes``.
    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count <= Self.maxBytes else { return nil }
        var words: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(bytes)) }
        head = words.0
        tail = words.1
    }

    /// For the constants of the PSI-MS and UO terms; a literal longer than 16 bytes is a programming error.
    init(stringLiteral value: StaticString) {
        guard let accession = CVAccession(UnsafeBufferPointer(start: value.utf8Start, count: value.utf8CodeUnitCount)) else {
            preconditionFailure("\(value) is longer than \(Self.maxBytes) bytes")
        }
        self = accession
    }

    /// The accession as written, e.g. `"MS:1000514"`.
    var description: String {
        withUnsafeBytes(of: (head, tail)) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
