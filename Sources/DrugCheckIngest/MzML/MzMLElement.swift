import CLibXML2

/// The mzML elements the parser acts on; everything else is ``other``.
enum MzMLElement: String {
    case indexedmzML, mzML, cvParam, userParam, referenceableParamGroup, referenceableParamGroupRef
    case sourceFile, sample, run, spectrum, chromatogram, binaryDataArray, binary
    case instrumentConfiguration, source, analyzer, detector, scan, selectedIon
    case fileDescription, fileContent
    case other = ""

    /// Maps libxml2's interned element names, each looked up once per parse.
    struct Names {
        private var known: [UnsafePointer<xmlChar>: MzMLElement] = [:]

        mutating func element(_ name: UnsafePointer<xmlChar>) -> MzMLElement {
            if let e = known[name] { return e }
            let e = MzMLElement(rawValue: String(cString: name)) ?? .other
            known[name] = e
            return e
        }
    }
}
