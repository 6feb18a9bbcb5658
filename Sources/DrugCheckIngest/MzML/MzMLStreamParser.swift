import Foundation

/// Streams an mzML 1.1 file (plain or wrapped in `indexedmzML`) spectrum by spectrum, in constant
/// memory: each `<spectrum>`/`<chromatogram>` is decoded, handed to the caller, then dropped.
///
/// The `indexList` is never read: offsets in real files are often stale, so records are taken in
/// document order. Run metadata (instrument, sample, source files, userParams) is collected on the way.
///
/// ```swift
/// let parser = MzMLStreamParser(file: url)
/// let run = try parser.parse { record in
///     if record.kind == .spectrum { print(record.id, record.xValues.count) }
/// }
/// print(run.spectrumCount)
/// ```
public struct MzMLStreamParser: Sendable {
    public static let namespace = "http://psi.hupo.org/ms/mzml"

    public var file: URL
    public var maxBytes: Int64

    public init(file: URL, maxBytes: Int64 = ImportOptions.defaultMaxBytes) {
        self.file = file
        self.maxBytes = maxBytes
    }

    /// Reads the whole file, calling `each` for every spectrum and chromatogram in document order.
    @discardableResult
    public func parse(_ each: (MzMLRecord) throws -> Void) throws -> MzMLRunInfo {
        let reader = try XMLStreamReader(file: file, maxBytes: maxBytes)
        var state = MzMLParseState(reader: reader)
        var sawRoot = false
        while let kind = try reader.next() {
            switch kind {
            case .startElement:
                if !sawRoot {
                    try state.checkRoot()
                    sawRoot = true
                }
                try state.start()
            case .endElement:
                if let record = try state.end() { try each(record) }
            case .text:
                try state.text()
            case .other:
                break
            }
        }
        guard sawRoot else { throw ImportRejection("\(file.lastPathComponent): empty file, no mzML document") }
        return state.run
    }
}

/// The element-by-element state of one mzML parse.
struct MzMLParseState {
    let reader: XMLStreamReader
    var run = MzMLRunInfo()
    private var path: [String] = []
    private var paramGroups: [String: [MzMLParam]] = [:]
    private var currentGroup: (id: String, params: [MzMLParam])?
    private var samples: [String: String] = [:]
    private var sampleRef: String?
    private var record: MzMLRecord?
    private var defaultArrayLength: Int?
    private var array: PendingArray?
    private let decoder = BinaryArrayDecoder()

    private struct PendingArray {
        var encoding = BinaryArrayEncoding()
        var length: Int?
        var accession: String?
        var name: String?
        /// A time array in minutes (UO:0000031), converted to seconds.
        var minutes = false
        var base64: [UInt8] = []
    }

    init(reader: XMLStreamReader) {
        self.reader = reader
    }

    mutating func checkRoot() throws {
        let name = reader.localName
        guard name == "mzML" || name == "indexedmzML" else {
            throw reader.rejection("root element <\(name)> is not mzML")
        }
        switch reader.namespaceURI {
        case MzMLStreamParser.namespace?: break
        case nil: run.hasPSINamespace = false
        case let other?:
            throw reader.rejection("namespace \(other) is not mzML 1.1 (\(MzMLStreamParser.namespace)); pre-1.0 and other versions are not supported")
        }
    }

    mutating func start() throws {
        let name = reader.localName
        let parent = path.last ?? ""
        switch name {
        case "mzML":
            run.version = reader.attribute("version")
            if let v = run.version, !v.hasPrefix("1.") {
                throw reader.rejection("mzML version \(v) is not supported (1.1 expected)")
            }
        case "cvParam", "userParam":
            let isCV = name == "cvParam"
            let accession = isCV ? reader.attribute("accession") ?? "" : ""
            // Most params of a spectrum are never used: their other attributes are not even read.
            guard parent == "referenceableParamGroup" || Self.isUsed(accession: accession, isCV: isCV, parent: parent) else { break }
            let p = MzMLParam(isCV: isCV, accession: accession, name: reader.attribute("name") ?? "",
                              value: reader.attribute("value") ?? "", unitAccession: reader.attribute("unitAccession"))
            if parent == "referenceableParamGroup" { currentGroup?.params.append(p) } else { try apply(p, parent: parent) }
        case "referenceableParamGroupRef":
            let ref = reader.attribute("ref") ?? ""
            guard let group = paramGroups[ref] else { throw reader.rejection("referenceableParamGroupRef \"\(ref)\" names no group") }
            for p in group { try apply(p, parent: parent) }
        case "referenceableParamGroup":
            currentGroup = (reader.attribute("id") ?? "", [])
        case "sourceFile":
            if let n = reader.attribute("name") { run.sourceFiles.append(n) }
        case "sample":
            if let id = reader.attribute("id") { samples[id] = reader.attribute("name") ?? id }
        case "run":
            run.runID = reader.attribute("id")
            run.startTimeStamp = reader.attribute("startTimeStamp")
            sampleRef = reader.attribute("sampleRef")
            if let ref = sampleRef { run.sampleName = samples[ref] ?? ref }
        case "spectrum", "chromatogram":
            record = MzMLRecord(kind: name == "spectrum" ? .spectrum : .chromatogram, id: reader.attribute("id") ?? "",
                                index: reader.attribute("index").flatMap { Int($0) }, arrays: [])
            defaultArrayLength = try reader.attribute("defaultArrayLength").map { try count($0, "defaultArrayLength") }
        case "binaryDataArray":
            array = PendingArray(length: try reader.attribute("arrayLength").map { try count($0, "arrayLength") })
        default:
            break
        }
        if reader.isEmptyElement {
            if name == "spectrum" || name == "chromatogram" { path.append(name) } else { return }
        } else {
            path.append(name)
        }
    }

    /// Handles the end of the element on top of the path (or an empty element just started);
    /// returns a record when one is complete.
    mutating func end() throws -> MzMLRecord? {
        guard let name = path.popLast() else { return nil }
        switch name {
        case "referenceableParamGroup":
            if let g = currentGroup { paramGroups[g.id] = g.params }
            currentGroup = nil
        case "binaryDataArray":
            try finishArray()
        case "spectrum", "chromatogram":
            guard var done = record else { return nil }
            record = nil
            if done.kind == .spectrum {
                run.spectrumCount += 1
                run.peakCount += done.xValues.count
                run.maxMSLevel = max(run.maxMSLevel, done.msLevel ?? 0)
            } else {
                run.chromatogramCount += 1
            }
            done.msLevel = done.kind == .spectrum ? (done.msLevel ?? 1) : nil
            return done
        default:
            break
        }
        return nil
    }

    mutating func text() throws {
        guard path.last == "binary", array != nil else { return }
        do {
            try reader.withTextBytes { try Base64Decoder.decode($0, into: &array!.base64) }
        } catch let failure as Base64Decoder.Failure {
            switch failure {
            case .invalidCharacter(let c, let offset):
                throw reader.rejection("\(where_): invalid base64 character 0x\(String(c, radix: 16)) at offset \(offset)")
            case .badLength(let n):
                throw reader.rejection("\(where_): base64 text of \(n) characters is not a whole number of 4-character groups")
            }
        }
    }

    private var where_: String { "\(record?.kind == .chromatogram ? "chromatogram" : "spectrum") \(record?.id ?? "?")" }

    private func count(_ text: String, _ attribute: String) throws -> Int {
        guard let n = Int(text), n >= 0 else { throw reader.rejection("\(attribute) \"\(text)\" is not a count") }
        return n
    }

    private mutating func finishArray() throws {
        guard let pending = array else { return }
        array = nil
        guard record != nil else { return }
        do {
            let decoded = try decoder.decode(base64: pending.base64, encoding: pending.encoding,
                                             expectedCount: pending.length ?? defaultArrayLength)
            let values = pending.minutes ? decoded.values.map { $0 * 60 } : decoded.values
            record!.arrays.append(MzMLArray(accession: pending.accession ?? "", name: pending.name ?? "",
                                            values: values, strings: decoded.strings))
        } catch {
            throw reader.rejection("\(where_), \(pending.name ?? "binary array"): \(error.message)")
        }
    }

    private mutating func apply(_ p: MzMLParam, parent: String) throws {
        switch parent {
        case "binaryDataArray":
            guard array != nil else { return }
            guard array!.encoding.apply(accession: p.accession) else {
                throw reader.rejection("\(where_): unsupported binary encoding \(p.accession) (\(p.name))")
            }
            if Self.arrayTypes.contains(p.accession) || p.accession == "MS:1000786" {
                array!.accession = p.accession
                array!.minutes = p.accession == "MS:1000595" && p.unitAccession == "UO:0000031"
                array!.name = p.accession == "MS:1000786" && !p.value.isEmpty ? p.value : p.name
            } else if !p.isCV, array!.accession == nil {
                array!.name = p.name
            }
        case "spectrum":
            switch p.accession {
            case "MS:1000511": record?.msLevel = Int(p.value)
            case "MS:1000130": record?.polarity = .positive
            case "MS:1000129": record?.polarity = .negative
            default: break
            }
        case "chromatogram":
            if p.isCV, record?.typeName == nil, p.accession.hasPrefix("MS:") { record?.typeName = p.name }
        case "scan":
            if p.accession == "MS:1000016", let t = Double(p.value) {
                let minutes = p.unitAccession == "UO:0000031" || p.unitAccession == "MS:1000038"
                record?.retentionTimeSeconds = minutes ? t * 60 : t
            }
        case "selectedIon":
            if p.accession == "MS:1000744", record?.precursorMZ == nil { record?.precursorMZ = Double(p.value) }
            if p.accession == "MS:1000041", record?.precursorCharge == nil { record?.precursorCharge = Int(p.value) }
        case "instrumentConfiguration", "source", "analyzer", "detector":
            run.instrumentAccessions.insert(p.accession)
            // The model term sits directly in the configuration; MS:1000529 is its serial number.
            if parent == "instrumentConfiguration", p.isCV, p.accession != "MS:1000529", run.instrumentName == nil {
                run.instrumentName = p.name
            }
        case "fileDescription", "fileContent", "sample", "run":
            if !p.isCV { run.userParams[p.name] = p.value }
        default:
            break
        }
    }

    /// Whether ``apply(_:parent:)`` does anything with this param.
    static func isUsed(accession: String, isCV: Bool, parent: String) -> Bool {
        switch parent {
        case "binaryDataArray", "chromatogram", "instrumentConfiguration", "source", "analyzer", "detector": true
        case "spectrum": accession == "MS:1000511" || accession == "MS:1000130" || accession == "MS:1000129"
        case "scan": accession == "MS:1000016"
        case "selectedIon": accession == "MS:1000744" || accession == "MS:1000041"
        case "fileDescription", "fileContent", "sample", "run": !isCV
        default: false
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
