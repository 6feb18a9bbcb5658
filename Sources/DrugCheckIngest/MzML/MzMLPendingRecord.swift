/// A spectrum or chromatogram as the parser leaves it: metadata read, binary arrays still as
/// base64 text. ``decode(with:file:)`` (run by ``MzMLDecodePipeline`` on its own thread) turns
/// it into an ``MzMLRecord``.
struct MzMLPendingRecord: Sendable {
    /// The record with its metadata and no arrays yet.
    var record: MzMLRecord
    var arrays: [MzMLPendingArray] = []

    var base64Bytes: Int { arrays.reduce(0) { $0 + $1.base64.count } }

    /// "spectrum scan=1", as error messages name the record.
    var label: String { "\(record.kind == .chromatogram ? "chromatogram" : "spectrum") \(record.id)" }

    /// Decodes every array; the first failure is reported with the file name and the line and
    /// column where that array ended.
    func decode(with decoder: BinaryArrayDecoder, file: String) throws(ImportRejection) -> MzMLRecord {
        var done = record
        done.arrays.reserveCapacity(arrays.count)
        for pending in arrays {
            func rejection(_ message: String) -> ImportRejection {
                ImportRejection(line: pending.line, column: pending.column, "\(file): \(message)")
            }
            let bytes: [UInt8]
            do throws(Base64Decoder.Failure) {
                bytes = try pending.base64.withUnsafeBufferPointer { (text) throws(Base64Decoder.Failure) in try Base64Decoder.decode(text) }
            } catch {
                switch error {
                case .invalidCharacter(let c, let offset):
                    throw rejection("\(label): invalid base64 character 0x\(String(c, radix: 16)) at offset \(offset)")
                case .badLength(let n):
                    throw rejection("\(label): base64 text of \(n) characters is not a whole number of 4-character groups")
                }
            }
            do throws(DecodeFailure) {
                let decoded = try decoder.decode(base64: bytes, encoding: pending.encoding,
                                                 expectedCount: pending.length ?? pending.defaultLength)
                let values = pending.minutes ? decoded.values.map { $0 * 60 } : decoded.values
                done.arrays.append(MzMLArray(accession: pending.accession ?? "", name: pending.name ?? "",
                                             values: values, strings: decoded.strings))
            } catch {
                throw rejection("\(label), \(pending.name ?? "binary array"): \(error.message)")
            }
        }
        return done
    }
}

/// One `<binaryDataArray>` as parsed: its encoding cvParams and its base64 text.
struct MzMLPendingArray: Sendable {
    var encoding = BinaryArrayEncoding()
    var length: Int?
    /// The enclosing record's `defaultArrayLength`.
    var defaultLength: Int?
    var accession: String?
    var name: String?
    /// A time array in minutes (UO:0000031), converted to seconds.
    var minutes = false
    var base64: [UInt8] = []
    /// Where the array ended, for error messages.
    var line = 0
    var column = 0
}
