import DrugCheckModel
import Foundation

/// Imports DrugCheck results XML 1.0 (`Schemas/drugcheck-results-1.0.xsd`, namespace
/// ``ResultsNamespace/uri``), validating against the schema while streaming: any violation
/// rejects the file with the schema error's line and column.
///
/// ```swift
/// let submission = try ResultsXMLReader().read(file: URL(fileURLWithPath: "Imports/results-example.xml"),
///                                              options: ImportOptions())
/// submission.samples.count // 4
/// ```
public struct ResultsXMLReader: SubmissionReader {
    public var format: ImportFormat { .resultsXML }

    /// Compiled once; the text is embedded from `Schemas/drugcheck-results-1.0.xsd`.
    static let schema: Result<XMLSchema, Error> = Result { try XMLSchema(xsd: ResultsSchemaText.xsd, name: "drugcheck-results-1.0.xsd") }

    public init() {}

    public func read(file: URL, options: ImportOptions) throws -> Submission {
        let reader = try XMLStreamReader(file: file, maxBytes: options.maxBytes, schema: try Self.schema.get())
        var builder = ResultsXMLBuilder(reader: reader, options: options)
        while let kind = try reader.next() {
            switch kind {
            case .startElement: try builder.start()
            case .endElement: builder.end()
            case .text: builder.text()
            case .other: break
            }
            if reader.isEmptyElement && kind == .startElement { builder.end() }
        }
        guard builder.sawRoot else { throw ImportRejection("\(file.lastPathComponent): empty file, no results document") }
        return Submission(format: .resultsXML, samples: builder.samples, spectra: builder.spectra,
                          notes: ["\(file.lastPathComponent): results XML \(builder.version ?? "?") validated against drugcheck-results-1.0.xsd"])
    }
}

/// Turns the (already schema-validated) element stream into samples.
struct ResultsXMLBuilder {
    let reader: XMLStreamReader
    let options: ImportOptions
    var sawRoot = false
    var version: String?
    var labCode = ""
    var samples: [Sample] = []
    var spectra: [AttachedSpectrum] = []
    private var textTarget: String?
    private var textBuffer = ""
    private var spectrum: Spectrum?

    init(reader: XMLStreamReader, options: ImportOptions) {
        self.reader = reader
        self.options = options
    }

    mutating func start() throws {
        let name = reader.localName
        if !sawRoot {
            sawRoot = true
            guard name == "results", reader.namespaceURI == ResultsNamespace.uri else {
                throw reader.rejection("root element is not <results xmlns=\"\(ResultsNamespace.uri)\">")
            }
        }
        try checkNesting(name)
        let a = reader.attributes()
        switch name {
        case "results":
            version = a["version"]
            labCode = a["lab"] ?? ""
            if let given = options.labCode, given != labCode {
                throw reader.rejection("the file names lab \"\(labCode)\" but --lab is \"\(given)\"")
            }
        case "sample":
            samples.append(Sample(labCode: labCode, labSampleID: a["id"] ?? "",
                                  type: SampleType(rawValue: a["sample_type"] ?? "") ?? .other,
                                  source: SampleSource(rawValue: a["source"] ?? "") ?? .other,
                                  collectedOn: a["collected_on"].flatMap(CalendarDate.init(iso:)),
                                  region: a["region"]))
        case "description":
            samples[samples.count - 1].description = ProductDescription(brand: a["brand"], flavour: a["flavour"],
                                                                        colour: a["colour"], logo: a["logo"])
            textTarget = name
        case "sold_as", "seizure_context":
            textTarget = name
        case "analysis":
            samples[samples.count - 1].analyses.append(Analysis(
                technique: Technique(rawValue: a["technique"] ?? "") ?? .other, instrument: a["instrument"],
                method: a["method"], analysedOn: a["analysed_on"].flatMap(CalendarDate.init(iso:))))
        case "finding":
            var concentration: Concentration?
            if let value = a["concentration"].flatMap(Double.init), let unit = a["unit"].flatMap(ConcentrationUnit.init(rawValue:)) {
                concentration = Concentration(value: value, unit: unit)
            }
            if a["concentration"] != nil, a["unit"] == nil {
                throw reader.rejection("finding \"\(a["substance"] ?? "")\": a concentration needs a unit")
            }
            let finding = Finding(reportedName: a["substance"] ?? "", detected: a["detected"] == "true" || a["detected"] == "1",
                                  concentration: concentration, retentionTimeMinutes: a["rt_min"].flatMap(Double.init),
                                  mz: a["mz"].flatMap(Double.init), matchScore: a["match_score"].flatMap(Double.init))
            let s = samples.count - 1
            samples[s].analyses[samples[s].analyses.count - 1].findings.append(finding)
        case "spectrum":
            spectrum = Spectrum(id: a["id"] ?? "", msLevel: a["ms_level"].flatMap(Int.init) ?? 2,
                                retentionTimeSeconds: a["rt_s"].flatMap(Double.init),
                                precursorMZ: a["precursor_mz"].flatMap(Double.init),
                                precursorCharge: a["precursor_charge"].flatMap(Int.init),
                                polarity: a["polarity"].flatMap(Polarity.init(rawValue:)), mz: [], intensity: [])
        case "peak":
            spectrum?.mz.append(a["mz"].flatMap(Double.init) ?? 0)
            spectrum?.intensity.append(a["intensity"].flatMap(Double.init) ?? 0)
        default:
            break
        }
    }

    /// The schema already enforces nesting; this keeps a validator gap from becoming a crash.
    private func checkNesting(_ name: String) throws {
        let inSample: Set = ["description", "sold_as", "seizure_context", "analysis", "finding", "spectrum", "peak"]
        if inSample.contains(name), samples.isEmpty { throw reader.rejection("<\(name)> outside a <sample>") }
        if ["finding", "spectrum"].contains(name), samples.last?.analyses.isEmpty ?? true {
            throw reader.rejection("<\(name)> outside an <analysis>")
        }
    }

    mutating func text() {
        if textTarget != nil { textBuffer += reader.text }
    }

    mutating func end() {
        let name = reader.localName
        if name == textTarget {
            let value = textBuffer.trimmingCharacters(in: .whitespacesAndNewlines)
            let s = samples.count - 1
            switch name {
            case "sold_as": samples[s].soldAs = value
            case "seizure_context": samples[s].seizureContext = value
            default: samples[s].description.text = value.isEmpty ? nil : value
            }
            textTarget = nil
            textBuffer = ""
        }
        if name == "spectrum", let done = spectrum {
            let s = samples.count - 1
            spectra.append(AttachedSpectrum(sampleIndex: s, analysisIndex: samples[s].analyses.count - 1, spectrum: done))
            spectrum = nil
        }
    }
}
