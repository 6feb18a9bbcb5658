import CLibXML2
import Foundation

/// The element-by-element state of one mzML parse, fed by ``XMLPushParser``'s SAX events.
///
/// Metadata is read here; each finished spectrum or chromatogram goes to the
/// ``MzMLDecodePipeline`` with its arrays still in base64, and comes back decoded to `each`.
final class MzMLParseState: XMLPushHandler {
    let parser: XMLPushParser
    let pipeline: MzMLDecodePipeline
    let each: (MzMLRecord) throws -> Void
    // One thread owns a parse and nothing here is re-entered, so the per-event properties skip
    // Swift's dynamic exclusivity checks (measurable at two million SAX events per file).
    private(set) var run = MzMLRunInfo()
    private(set) var sawRoot = false
    @exclusivity(unchecked) private var names = MzMLElement.Names()
    @exclusivity(unchecked) private var path: [MzMLElement] = []
    private var paramGroups: [String: [MzMLParam]] = [:]
    private var currentGroup: (id: String, params: [MzMLParam])?
    private var samples: [String: String] = [:]
    @exclusivity(unchecked) private var record: MzMLPendingRecord?
    private var defaultArrayLength: Int?
    /// The current array's `encodedLength`, a hint for sizing its text.
    private var encodedLength: Int?
    @exclusivity(unchecked) private var array: MzMLPendingArray?

    init(parser: XMLPushParser, pipeline: MzMLDecodePipeline, each: @escaping (MzMLRecord) throws -> Void) {
        self.parser = parser
        self.pipeline = pipeline
        self.each = each
        parser.wantsText = false    // only the text of <binary> is read
    }

    /// Delivers the records still in the pipeline.
    func finish() throws {
        try pipeline.finish(deliver: deliver)
    }

    private func deliver(_ record: MzMLRecord) throws {
        if record.kind == .spectrum {
            run.spectrumCount += 1
            run.peakCount += record.xValues.count
            run.maxMSLevel = max(run.maxMSLevel, record.msLevel ?? 0)
        } else {
            run.chromatogramCount += 1
        }
        try each(record)
    }

    func startElement(_ localName: UnsafePointer<xmlChar>, namespaceURI: UnsafePointer<xmlChar>?, attributes: XMLAttributes) throws {
        let element = names.element(localName)
        if !sawRoot {
            try checkRoot(String(cString: localName), namespaceURI: namespaceURI.map { String(cString: $0) })
            sawRoot = true
        }
        let parent = path.last ?? .other
        path.append(element)
        switch element {
        case .mzML:
            let version = attributes["version"] ?? ""
            if version.hasPrefix("0.99") { throw parser.rejection(Self.preRelease(version)) }
            if !version.isEmpty, !version.hasPrefix("1.") {
                throw parser.rejection("mzML version \(version) is not supported (1.1 expected)")
            }
            run.version = version.isEmpty ? nil : version
        case .cvParam, .userParam:
            let param = MzMLParamTag(isCV: element == .cvParam, attributes: attributes)
            if parent == .referenceableParamGroup { currentGroup?.params.append(MzMLParam(param)) } else { try apply(param, parent: parent) }
        case .referenceableParamGroupRef:
            let ref = attributes["ref"] ?? ""
            guard let group = paramGroups[ref] else { throw parser.rejection("referenceableParamGroupRef \"\(ref)\" names no group") }
            for p in group { try apply(p, parent: parent) }
        case .referenceableParamGroup:
            currentGroup = (attributes["id"] ?? "", [])
        case .sourceFile:
            if let n = attributes["name"] { run.sourceFiles.append(n) }
        case .sample:
            if let id = attributes["id"] { samples[id] = attributes["name"] ?? id }
        case .run:
            run.runID = attributes["id"]
            run.startTimeStamp = attributes["startTimeStamp"]
            if let ref = attributes["sampleRef"] { run.sampleName = samples[ref] ?? ref }
        case .spectrum, .chromatogram:
            record = MzMLPendingRecord(record: MzMLRecord(kind: element == .spectrum ? .spectrum : .chromatogram,
                                                          id: attributes["id"] ?? "", index: attributes.integer("index"), arrays: []))
            defaultArrayLength = try count(attributes, "defaultArrayLength")
        case .binary:
            parser.wantsText = array != nil
        case .binaryDataArray:
            array = MzMLPendingArray(length: try count(attributes, "arrayLength"), defaultLength: defaultArrayLength)
            encodedLength = attributes.integer("encodedLength")
        default:
            break
        }
    }

    func endElement(_ localName: UnsafePointer<xmlChar>) throws {
        guard let element = path.popLast() else { return }
        switch element {
        case .binary:
            parser.wantsText = false
        case .referenceableParamGroup:
            if let g = currentGroup { paramGroups[g.id] = g.params }
            currentGroup = nil
        case .binaryDataArray:
            guard var done = array.take() else { return }
            done.line = parser.line
            done.column = parser.column
            record?.arrays.append(done)
        case .spectrum, .chromatogram:
            guard var done = record.take() else { return }
            done.record.msLevel = done.record.kind == .spectrum ? (done.record.msLevel ?? 1) : nil
            try pipeline.submit(done, deliver: deliver)
        default:
            break
        }
    }

    func characters(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        guard path.last == .binary, array != nil else { return }
        try checkTextLimit(adding: bytes.count)
        // Sized once from the declared length (capped: the attribute is only a hint).
        if array!.base64.isEmpty, let n = encodedLength, n > 0 { array!.base64.reserveCapacity(min(n, 1 << 20)) }
        array!.base64.append(contentsOf: bytes)
    }

    /// A lifted `<binary>` text is kept as it is, without a copy.
    func text(_ bytes: [UInt8]) throws {
        guard path.last == .binary, array != nil else { return }
        try checkTextLimit(adding: bytes.count)
        if array!.base64.isEmpty { array!.base64 = bytes } else { array!.base64.append(contentsOf: bytes) }
    }

    private func checkTextLimit(adding count: Int) throws {
        guard array!.base64.count + count <= XMLPushParser.maxTextBytes else {
            throw parser.rejection("\(record?.label ?? "spectrum ?"): the <binary> text exceeds libxml2's text-node limit of \(XMLPushParser.maxTextBytes) bytes")
        }
    }

    private func checkRoot(_ name: String, namespaceURI: String?) throws {
        guard name == "mzML" || name == "indexedmzML" else {
            throw parser.rejection("root element <\(name)> is not mzML")
        }
        switch namespaceURI {
        case MzMLStreamParser.namespace?: break
        case nil: run.hasPSINamespace = false
        case let other? where other.contains("mzML_0.99"):
            throw parser.rejection(Self.preRelease(String(other[other.range(of: "mzML_")!.upperBound...]) + " (namespace \(other))"))
        case let other?:
            throw parser.rejection("namespace \(other) is not mzML 1.1 (\(MzMLStreamParser.namespace)); pre-1.0 and other versions are not supported")
        }
    }

    private static func preRelease(_ version: String) -> String {
        "pre-release mzML \(version) is not supported: convert the file to mzML 1.1 (msconvert, OpenMS FileConverter)"
    }

    /// The count in attribute `name`, `nil` when absent; anything but a non-negative integer is an error.
    private func count(_ attributes: XMLAttributes, _ name: StaticString) throws -> Int? {
        guard let text = attributes.bytes(name) else { return nil }
        guard let n = attributes.integer(name), n >= 0 else {
            throw parser.rejection("\(name) \"\(String(decoding: text, as: UTF8.self))\" is not a count")
        }
        return n
    }

    private func apply(_ p: some MzMLParamFields, parent: MzMLElement) throws {
        switch parent {
        case .binaryDataArray:
            guard array != nil else { return }
            guard array!.encoding.apply(accession: p.accession) else {
                throw parser.rejection("\(record?.label ?? "spectrum ?"): unsupported binary encoding \(p.accessionText) (\(p.name))")
            }
            if let a = p.accession, Self.arrayTypes.contains(a) || a == .nonStandardArray {
                array!.accession = a.description
                array!.minutes = a == .timeArray && p.unitAccession == .minute
                let value = a == .nonStandardArray ? p.value : ""
                array!.name = value.isEmpty ? p.name : value
            } else if !p.isCV, array!.accession == nil {
                array!.name = p.name
            }
        case .spectrum:
            switch p.accession {
            case .msLevel?: record?.record.msLevel = Int(p.value)
            case .positiveScan?: record?.record.polarity = .positive
            case .negativeScan?: record?.record.polarity = .negative
            default: break
            }
        case .chromatogram:
            if p.isCV, record?.record.typeName == nil, p.accessionText.hasPrefix("MS:") { record?.record.typeName = p.name }
        case .scan:
            if p.accession == .scanStartTime, let t = Double(p.value) {
                let unit = p.unitAccession
                record?.record.retentionTimeSeconds = unit == .minute || unit == .minuteMS ? t * 60 : t
            }
        case .selectedIon:
            if p.accession == .selectedIonMZ, record?.record.precursorMZ == nil { record?.record.precursorMZ = Double(p.value) }
            if p.accession == .chargeState, record?.record.precursorCharge == nil { record?.record.precursorCharge = Int(p.value) }
        case .instrumentConfiguration, .source, .analyzer, .detector:
            run.instrumentAccessions.insert(p.accessionText)
            // The model term sits directly in the configuration; MS:1000529 is its serial number.
            if parent == .instrumentConfiguration, p.isCV, p.accession != .instrumentSerialNumber, run.instrumentName == nil {
                run.instrumentName = p.name
            }
        case .fileDescription, .fileContent, .sample, .run:
            if !p.isCV { run.userParams[p.name] = p.value }
        default:
            break
        }
    }

    /// Children of MS:1000513 "binary data array" used as array types.
    static let arrayTypes: Set<CVAccession> = [
        "MS:1000514", "MS:1000515", "MS:1000516", "MS:1000517", "MS:1000595", "MS:1000617",
        "MS:1000820", "MS:1000821", "MS:1000822", "MS:1002477", "MS:1002529", "MS:1002530",
        "MS:1002742", "MS:1002743", "MS:1002744", "MS:1002745", "MS:1002893", "MS:1003006",
        "MS:1003007", "MS:1003143",
    ]
}
