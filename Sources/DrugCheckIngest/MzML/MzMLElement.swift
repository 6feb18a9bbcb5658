import CLibXML2

/// The mzML elements the parser acts on; everything else is ``other``.
enum MzMLElement: String {
    case indexedmzML, mzML, cvParam, userParam, referenceableParamGroup, referenceableParamGroupRef
    case sourceFile, sample, run, spectrum, chromatogram, binaryDataArray, binary
    case instrumentConfiguration, source, analyzer, detector, scan, selectedIon
    case fileDescription, fileContent
    case other = ""

    /// Maps libxml2's interned element names, each looked up once per parse: a small
    /// open-addressing table keyed by the name's address (cheaper than hashing into a Dictionary
    /// two million times a file).
    struct Names {
        private var keys = [UnsafePointer<xmlChar>?](repeating: nil, count: 256)
        private var values = [MzMLElement](repeating: .other, count: 256)

        mutating func element(_ name: UnsafePointer<xmlChar>) -> MzMLElement {
            var slot = Int(truncatingIfNeeded: UInt(bitPattern: name) >> 3) & 255
            for _ in 0..<256 {
                guard let key = keys[slot] else {
                    let e = MzMLElement(rawValue: String(cString: name)) ?? .other
                    keys[slot] = name
                    values[slot] = e
                    return e
                }
                if key == name { return values[slot] }
                slot = (slot + 1) & 255
            }
            // More than 256 distinct element names: look them up without caching.
            return MzMLElement(rawValue: String(cString: name)) ?? .other
        }
    }
}
