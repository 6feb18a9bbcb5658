/// How one mzML `<binaryDataArray>` is encoded, from its cvParams (PSI-MS CV, psi-ms.obo 4.1.257).
///
/// An accession in the "binary data compression type" branch (MS:1000572) or the "binary data
/// type" branch (MS:1000518) that is not listed here makes the array undecodable, and the
/// import fails naming it.
struct BinaryArrayEncoding: Equatable {
    enum DataType: Equatable {
        case float32, float64, int32, int64, asciiString
        var width: Int {
            switch self {
            case .float32, .int32: 4
            case .float64, .int64: 8
            case .asciiString: 1
            }
        }
    }

    enum Numpress: Equatable { case linear, pic, slof }

    var dataType: DataType?
    var zlib = false
    var numpress: Numpress?

    /// Applies one cvParam; returns `false` when the accession names an encoding we cannot decode.
    /// A userParam (no accession) or any other term changes nothing.
    mutating func apply(accession: CVAccession?) -> Bool {
        guard let accession else { return true }
        switch accession {
        case Self.float32: dataType = .float32
        case Self.float64: dataType = .float64
        case Self.int32: dataType = .int32
        case Self.int64: dataType = .int64
        case Self.nullTerminatedASCII: dataType = .asciiString
        case Self.noCompression: break
        case Self.zlibCompression: zlib = true
        case Self.numpressLinear: numpress = .linear
        case Self.numpressPic: numpress = .pic
        case Self.numpressSlof: numpress = .slof
        case Self.numpressLinearZlib: numpress = .linear; zlib = true
        case Self.numpressPicZlib: numpress = .pic; zlib = true
        case Self.numpressSlofZlib: numpress = .slof; zlib = true
        default: return !Self.encodingAccessions.contains(accession)
        }
        return true
    }

    static let float32: CVAccession = "MS:1000521"
    static let float64: CVAccession = "MS:1000523"
    static let int32: CVAccession = "MS:1000519"
    static let int64: CVAccession = "MS:1000522"
    static let nullTerminatedASCII: CVAccession = "MS:1001479"
    static let noCompression: CVAccession = "MS:1000576"
    static let zlibCompression: CVAccession = "MS:1000574"
    /// MS-Numpress linear prediction, positive integer and short logged float, alone and followed by zlib.
    static let numpressLinear: CVAccession = "MS:1002312"
    static let numpressPic: CVAccession = "MS:1002313"
    static let numpressSlof: CVAccession = "MS:1002314"
    static let numpressLinearZlib: CVAccession = "MS:1002746"
    static let numpressPicZlib: CVAccession = "MS:1002747"
    static let numpressSlofZlib: CVAccession = "MS:1002748"

    /// Every child of MS:1000572 (compression) and MS:1000518 (data type) in psi-ms.obo 4.1.257:
    /// an encoding we meet but do not implement.
    static let encodingAccessions: Set<CVAccession> = [
        "MS:1000518", "MS:1000572", "MS:1000520",
        "MS:1003088", "MS:1003089", "MS:1003090", "MS:1003780", "MS:1003781", "MS:1003782",
        "MS:1003783", "MS:1003784", "MS:1003785", "MS:1003826",
    ]
}
