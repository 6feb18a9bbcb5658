/// One decoded `<binaryDataArray>`: numeric values, or strings for null-terminated ASCII arrays.
public struct MzMLArray: Sendable, Equatable {
    /// CV accession of the array type (`MS:1000514` m/z, `MS:1000515` intensity, `MS:1000595` time…)
    /// or `MS:1000786` for a non-standard array, whose ``name`` is then the array's own name.
    public var accession: String
    public var name: String
    /// Numeric values; 64-bit integers are converted to `Double`.
    public var values: [Double]
    /// Strings of a null-terminated ASCII array; empty for numeric arrays.
    public var strings: [String]
}

/// Turns the base64 text of a `<binary>` element into numbers, guarding every step: strict
/// base64, zlib output capped at what the declared length can need, numpress integrity, and a
/// value count that must match `arrayLength`/`defaultArrayLength`.
struct BinaryArrayDecoder {
    /// Ceiling for one inflated array (64 MiB, 8 million 64-bit values), whatever length is declared.
    var inflateCeiling = 64 << 20

    func decode(base64 bytes: [UInt8], encoding: BinaryArrayEncoding, expectedCount: Int?) throws(DecodeFailure) -> (values: [Double], strings: [String]) {
        guard let type = encoding.dataType else { throw .init("no binary data type cvParam (32/64-bit float or integer)") }
        var raw = bytes
        if encoding.zlib {
            do throws(ZlibInflater.Failure) {
                raw = try ZlibInflater.inflate(raw, limit: inflateLimit(encoding: encoding, type: type, count: expectedCount))
            } catch {
                switch error {
                case .exceedsLimit(let limit):
                    throw .init("zlib data inflates past \(limit) bytes, more than \(expectedCount.map { "\($0) values" } ?? "the limit") can need (compression bomb?)")
                case .corrupt(let message):
                    throw .init("zlib data is corrupt: \(message)")
                }
            }
        }
        if type == .asciiString {
            let strings = raw.split(separator: 0, omittingEmptySubsequences: false).dropLast(raw.last == 0 ? 1 : 0)
            return ([], strings.map { String(decoding: $0, as: UTF8.self) })
        }
        let values: [Double]
        if let numpress = encoding.numpress {
            do throws(Numpress.Corrupt) {
                switch numpress {
                case .linear: values = try Numpress.decodeLinear(raw)
                case .pic: values = try Numpress.decodePic(raw)
                case .slof: values = try Numpress.decodeSlof(raw)
                }
            } catch {
                throw .init("MS-Numpress \(numpress) data is corrupt: \(error.detail)")
            }
        } else {
            guard raw.count % type.width == 0 else {
                throw .init("\(raw.count) bytes is not a whole number of \(type.width)-byte values")
            }
            values = Self.numbers(raw, type: type)
        }
        if let expectedCount, values.count != expectedCount {
            throw .init("decoded \(values.count) values but the array length is \(expectedCount)")
        }
        return (values, [])
    }

    /// The most bytes a well-formed array of `count` values can inflate to.
    private func inflateLimit(encoding: BinaryArrayEncoding, type: BinaryArrayEncoding.DataType, count: Int?) -> Int {
        guard let declared = count, type != .asciiString else { return inflateCeiling }
        // Clamped first so a hostile defaultArrayLength cannot overflow or lift the ceiling.
        let count = min(declared, inflateCeiling)
        let bound: Int
        switch encoding.numpress {
        case nil: bound = count * type.width
        case .linear: bound = 16 + count * 5        // header, two 4-byte values, ≤ 9 nibbles each
        case .pic: bound = count * 5
        case .slof: bound = 8 + count * 2
        }
        return min(bound, inflateCeiling)
    }

    static func numbers(_ raw: [UInt8], type: BinaryArrayEncoding.DataType) -> [Double] {
        let n = raw.count / type.width
        return raw.withUnsafeBytes { bytes in
            [Double](unsafeUninitializedCapacity: n) { out, initialized in
                switch type {
                case .float64: for i in 0..<n { out[i] = Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))) }
                case .float32: for i in 0..<n { out[i] = Double(Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))) }
                case .int64: for i in 0..<n { out[i] = Double(Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 8, as: Int64.self))) }
                case .int32: for i in 0..<n { out[i] = Double(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 4, as: Int32.self))) }
                case .asciiString: break
                }
                initialized = n
            }
        }
    }
}

struct DecodeFailure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
