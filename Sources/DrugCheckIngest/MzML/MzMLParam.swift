/// The fields of a cvParam or userParam that ``MzMLParseState`` acts on.
protocol MzMLParamFields {
    var isCV: Bool { get }
    /// `nil` for a userParam, and for an accession longer than any term DrugCheck acts on.
    var accession: CVAccession? { get }
    /// The accession as written (empty for a userParam), for messages and the instrument terms.
    var accessionText: String { get }
    var name: String { get }
    var value: String { get }
    var unitAccession: CVAccession? { get }
}

/// A param read in place from its start tag. Most params of a spectrum are never used, so
/// only the accession is read up front; the other fields are read from libxml2's attribute
/// bytes when asked for.
struct MzMLParamTag: MzMLParamFields {
    let isCV: Bool
    let attributes: XMLAttributes
    let accession: CVAccession?

    init(isCV: Bool, attributes: XMLAttributes) {
        self.isCV = isCV
        self.attributes = attributes
        accession = isCV ? attributes.bytes("accession").flatMap(CVAccession.init) : nil
    }

    var accessionText: String { isCV ? attributes["accession"] ?? "" : "" }
    var name: String { attributes["name"] ?? "" }
    var value: String { attributes["value"] ?? "" }
    var unitAccession: CVAccession? { attributes.bytes("unitAccession").flatMap(CVAccession.init) }
}

/// A param kept from a `referenceableParamGroup`, applied wherever the group is referenced.
struct MzMLParam: MzMLParamFields {
    var isCV: Bool
    var accession: CVAccession?
    var accessionText: String
    var name: String
    var value: String
    var unitAccession: CVAccession?

    init(_ param: some MzMLParamFields) {
        isCV = param.isCV
        accession = param.accession
        accessionText = param.accessionText
        name = param.name
        value = param.value
        unitAccession = param.unitAccession
    }
}

/// The PSI-MS and UO terms the mzML parser acts on outside the binary encodings
/// (psi-ms.obo 4.1.257, uo.obo).
extension CVAccession {
    static let msLevel: CVAccession = "MS:1000511"
    static let positiveScan: CVAccession = "MS:1000130"
    static let negativeScan: CVAccession = "MS:1000129"
    static let scanStartTime: CVAccession = "MS:1000016"
    static let selectedIonMZ: CVAccession = "MS:1000744"
    static let chargeState: CVAccession = "MS:1000041"
    static let timeArray: CVAccession = "MS:1000595"
    static let nonStandardArray: CVAccession = "MS:1000786"
    static let instrumentSerialNumber: CVAccession = "MS:1000529"
    static let minute: CVAccession = "UO:0000031"
    /// The obsolete PSI-MS "minute", still written by older converters.
    static let minuteMS: CVAccession = "MS:1000038"
}
