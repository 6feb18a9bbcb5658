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
    mutating func apply(accession: String) -> Bool {
        switch accession {
        case "MS:1000521": dataType = .float32
        case "MS:1000523": dataType = .float64
        case "MS:1000519": dataType = .int32
        case "MS:1000522": dataType = .int64
        case "MS:1001479": dataType = .asciiString
        case "MS:1000576": break                            // no compression
        case "MS:1000574": zlib = true                       // zlib compression
        case "MS:1002312": numpress = .linear                // MS-Numpress linear prediction
        case "MS:1002313": numpress = .pic                   // MS-Numpress positive integer
        case "MS:1002314": numpress = .slof                  // MS-Numpress short logged float
        case "MS:1002746": numpress = .linear; zlib = true   // linear followed by zlib
        case "MS:1002747": numpress = .pic; zlib = true      // pic followed by zlib
        case "MS:1002748": numpress = .slof; zlib = true     // slof followed by zlib
        default: return !Self.encodingAccessions.contains(accession)
        }
        return true
    }

    /// Every child of MS:1000572 (compression) and MS:1000518 (data type) in psi-ms.obo 4.1.257:
    /// an encoding we meet but do not implement.
    static let encodingAccessions: Set<String> = [
        "MS:1000518", "MS:1000572", "MS:1000520",
        "MS:1003088", "MS:1003089", "MS:1003090", "MS:1003780", "MS:1003781", "MS:1003782",
        "MS:1003783", "MS:1003784", "MS:1003785", "MS:1003826",
    ]
}
