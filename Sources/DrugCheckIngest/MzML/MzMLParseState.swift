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
            run.version = attributes["version"]
            if let v = run.version, !v.hasPrefix("1.") {
                throw parser.rejection("mzML version \(v) is not supported (1.1 expected)")
            }
        case .cvParam, .userParam:
            let isCV = element == .cvParam
            let accession = isCV ? attributes.bytes("accession") : nil
            // Most params of a spectrum are never used: they are skipped on their raw bytes.
            guard parent == .referenceableParamGroup || Self.isUsed(accession: accession, isCV: isCV, parent: parent) else { break }
            let p = MzMLParam(isCV: isCV, accession: isCV ? attributes["accession"] ?? "" : "", name: attributes["name"] ?? "",
                              value: attributes["value"] ?? "", unitAccession: attributes["unitAccession"])
            if parent == .referenceableParamGroup { currentGroup?.params.append(p) } else { try apply(p, parent: parent) }
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
                                                          id: attributes["id"] ?? "",
                                                          index: attributes["index"].flatMap { Int($0) }, arrays: []))
            defaultArrayLength = try attributes["defaultArrayLength"].map { try count($0, "defaultArrayLength") }
        case .binary:
            parser.wantsText = array != nil
        case .binaryDataArray:
            array = MzMLPendingArray(length: try attributes["arrayLength"].map { try count($0, "arrayLength") },
                                     defaultLength: defaultArrayLength)
            // Sized once from the declared length (capped: the attribute is only a hint).
            if let n = attributes["encodedLength"].flatMap({ Int($0) }), n > 0 { array!.base64.reserveCapacity(min(n, 1 << 20)) }
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
            guard var done = array else { return }
            array = nil
            done.line = parser.line
            done.column = parser.column
            record?.arrays.append(done)
        case .spectrum, .chromatogram:
            guard var done = record else { return }
            record = nil
            done.record.msLevel = done.record.kind == .spectrum ? (done.record.msLevel ?? 1) : nil
            try pipeline.submit(done, deliver: deliver)
        default:
            break
        }
    }

    func characters(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        guard path.last == .binary, array != nil else { return }
        guard array!.base64.count + bytes.count <= XMLPushParser.maxTextBytes else {
            throw parser.rejection("\(record?.label ?? "spectrum ?"): the <binary> text exceeds libxml2's text-node limit of \(XMLPushParser.maxTextBytes) bytes")
        }
        array!.base64.append(contentsOf: bytes)
    }

    private func checkRoot(_ name: String, namespaceURI: String?) throws {
        guard name == "mzML" || name == "indexedmzML" else {
            throw parser.rejection("root element <\(name)> is not mzML")
        }
        switch namespaceURI {
        case MzMLStreamParser.namespace?: break
        case nil: run.hasPSINamespace = false
        case let other?:
            throw parser.rejection("namespace \(other) is not mzML 1.1 (\(MzMLStreamParser.namespace)); pre-1.0 and other versions are not supported")
        }
    }

    private func count(_ text: String, _ attribute: String) throws -> Int {
        guard let n = Int(text), n >= 0 else { throw parser.rejection("\(attribute) \"\(text)\" is not a count") }
        return n
    }

    private func apply(_ p: MzMLParam, parent: MzMLElement) throws {
        switch parent {
        case .binaryDataArray:
            guard array != nil else { return }
            guard array!.encoding.apply(accession: p.accession) else {
                throw parser.rejection("\(record?.label ?? "spectrum ?"): unsupported binary encoding \(p.accession) (\(p.name))")
            }
            if Self.arrayTypes.contains(p.accession) || p.accession == "MS:1000786" {
                array!.accession = p.accession
                array!.minutes = p.accession == "MS:1000595" && p.unitAccession == "UO:0000031"
                array!.name = p.accession == "MS:1000786" && !p.value.isEmpty ? p.value : p.name
            } else if !p.isCV, array!.accession == nil {
                array!.name = p.name
            }
        case .spectrum:
            switch p.accession {
            case "MS:1000511": record?.record.msLevel = Int(p.value)
            case "MS:1000130": record?.record.polarity = .positive
            case "MS:1000129": record?.record.polarity = .negative
            default: break
            }
        case .chromatogram:
            if p.isCV, record?.record.typeName == nil, p.accession.hasPrefix("MS:") { record?.record.typeName = p.name }
        case .scan:
            if p.accession == "MS:1000016", let t = Double(p.value) {
                let minutes = p.unitAccession == "UO:0000031" || p.unitAccession == "MS:1000038"
                record?.record.retentionTimeSeconds = minutes ? t * 60 : t
            }
        case .selectedIon:
            if p.accession == "MS:1000744", record?.record.precursorMZ == nil { record?.record.precursorMZ = Double(p.value) }
            if p.accession == "MS:1000041", record?.record.precursorCharge == nil { record?.record.precursorCharge = Int(p.value) }
        case .instrumentConfiguration, .source, .analyzer, .detector:
            run.instrumentAccessions.insert(p.accession)
            // The model term sits directly in the configuration; MS:1000529 is its serial number.
            if parent == .instrumentConfiguration, p.isCV, p.accession != "MS:1000529", run.instrumentName == nil {
                run.instrumentName = p.name
            }
        case .fileDescription, .fileContent, .sample, .run:
            if !p.isCV { run.userParams[p.name] = p.value }
        default:
            break
        }
    }

    /// Whether ``apply(_:parent:)`` does anything with this param.
    static func isUsed(accession: UnsafeBufferPointer<UInt8>?, isCV: Bool, parent: MzMLElement) -> Bool {
        func `is`(_ s: StaticString) -> Bool {
            guard let base = accession?.baseAddress, accession?.count == s.utf8CodeUnitCount else { return false }
            return memcmp(base, s.utf8Start, s.utf8CodeUnitCount) == 0
        }
        switch parent {
        case .binaryDataArray, .chromatogram, .instrumentConfiguration, .source, .analyzer, .detector: return true
        case .spectrum: return `is`("MS:1000511") || `is`("MS:1000130") || `is`("MS:1000129")
        case .scan: return `is`("MS:1000016")
        case .selectedIon: return `is`("MS:1000744") || `is`("MS:1000041")
        case .fileDescription, .fileContent, .sample, .run: return !isCV
        default: return false
        }
    }

    /// Children of MS:1000513 "binary data array" used as array types.
    static let arrayTypes: Set<String> = [
        "MS:1000514", "MS:1000515", "MS:1000516", "MS:1000517", "MS:1000595", "MS:1000617",
        "MS:1000820", "MS:1000821", "MS:1000822", "MS:1002477", "MS:1002529", "MS:1002530",
        "MS:1002742", "MS:1002743", "MS:1002744", "MS:1002745", "MS:1002893", "MS:1003006",
        "MS:1003007", "MS:1003143",
    ]
}

struct MzMLParam {
    var isCV: Bool
    var accession: String
    var name: String
    var value: String
    var unitAccession: String?
}
