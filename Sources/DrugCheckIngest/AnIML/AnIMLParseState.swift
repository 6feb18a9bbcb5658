import DrugCheckModel
import Foundation

/// The element-by-element state of one AnIML parse; see ``AnIMLReader`` for the mapping.
struct AnIMLParseState {
    let reader: XMLStreamReader
    var sawRoot = false
    private var path: [String] = []
    private var textBuffer = ""
    private var samples: [(id: String, name: String?, fields: [String: String])] = []
    private var steps: [Step] = []
    private var categories: [String] = []
    private var parameterName: String?
    private var seriesSet: (name: String, length: Int?, series: [AnIMLSeries])?
    private var notes: [String] = []
    private var spectra: [(step: Int, spectrum: Spectrum)] = []
    private var chromatograms: [(step: Int, chromatogram: Chromatogram)] = []
    private var siFactor: Double?

    struct Step {
        var name: String
        var technique: String?
        var sampleID: String?
        var device: String?
        var timestamp: String?
        var fields: [String: String] = [:]
    }

    init(reader: XMLStreamReader) {
        self.reader = reader
    }

    mutating func start() throws {
        let name = reader.localName
        if !sawRoot {
            sawRoot = true
            guard name == "AnIML" else { throw AnIMLFailure("root element <\(name)> is not AnIML") }
            guard reader.namespaceURI == AnIMLReader.namespace else {
                throw AnIMLFailure("namespace \(reader.namespaceURI ?? "(none)") is not AnIML core draft 0.90 (\(AnIMLReader.namespace))")
            }
        }
        let parent = path.last ?? ""
        path.append(name)
        textBuffer = ""
        switch name {
        case "Sample" where parent == "SampleSet":
            samples.append((reader.attribute("sampleID") ?? "", reader.attribute("name"), [:]))
        case "ExperimentStep":
            steps.append(Step(name: reader.attribute("name") ?? reader.attribute("experimentStepID") ?? ""))
        case "Technique" where parent == "ExperimentStep":
            steps[steps.count - 1].technique = reader.attribute("name")
        case "SampleReference" where !steps.isEmpty && steps[steps.count - 1].sampleID == nil:
            steps[steps.count - 1].sampleID = reader.attribute("sampleID")
        case "Category":
            categories.append(reader.attribute("name") ?? "")
        case "Parameter":
            parameterName = reader.attribute("name")
        case "Tag" where path.contains("Sample") && steps.isEmpty:
            if let n = reader.attribute("name"), !samples.isEmpty { samples[samples.count - 1].fields[n] = reader.attribute("value") ?? "" }
        case "SeriesSet":
            seriesSet = (reader.attribute("name") ?? "", reader.attribute("length").flatMap(Int.init), [])
        case "Series":
            seriesSet?.series.append(AnIMLSeries(name: reader.attribute("name") ?? reader.attribute("seriesID") ?? "",
                                                 seriesType: reader.attribute("seriesType") ?? "",
                                                 dependent: reader.attribute("dependency") == "dependent"))
        case "Unit" where parent == "Series":
            let count = seriesSet?.series.count ?? 0
            if count > 0 { seriesSet!.series[count - 1].unitLabel = reader.attribute("label") }
        case "SIUnit" where path.contains("Series"):
            siFactor = reader.attribute("factor").flatMap(Double.init) ?? 1
        case "AutoIncrementedValueSet", "EncodedValueSet":
            let count = seriesSet?.series.count ?? 0
            guard count > 0 else { break }
            seriesSet!.series[count - 1].startIndex = reader.attribute("startIndex").flatMap(Int.init)
            seriesSet!.series[count - 1].endIndex = reader.attribute("endIndex").flatMap(Int.init)
        case "AuditTrailEntrySet", "SignatureSet":
            notes.append("\(name) present: not read")
        default:
            break
        }
    }

    mutating func text() {
        textBuffer += reader.text
    }

    mutating func end() throws {
        guard let name = path.popLast() else { return }
        let parent = path.last ?? ""
        let value = textBuffer.trimmingCharacters(in: .whitespacesAndNewlines)
        textBuffer = ""
        switch name {
        case "I", "L", "F", "D", "S", "Boolean", "DateTime":
            if let p = parameterName, path.contains("Parameter") { recordParameter(p, value) }
            guard var set = seriesSet, !set.series.isEmpty else { break }
            let last = set.series.count - 1
            switch parent {
            case "IndividualValueSet":
                if let number = Double(value) { set.series[last].individual.append(number) } else { set.series[last].strings.append(value) }
            case "StartValue": set.series[last].autoStart = Double(value)
            case "Increment": set.series[last].autoIncrement = Double(value)
            default: break
            }
            seriesSet = set
        case "EncodedValueSet":
            if let count = seriesSet?.series.count, count > 0 { seriesSet!.series[count - 1].encoded = value }
        case "SIUnit" where path.contains("Series"):
            if let count = seriesSet?.series.count, count > 0 { seriesSet!.series[count - 1].siUnit = (value, siFactor ?? 1) }
            siFactor = nil
        case "Name" where parent == "Device":
            if !steps.isEmpty { steps[steps.count - 1].device = value }
        case "Timestamp" where parent == "Infrastructure":
            if !steps.isEmpty { steps[steps.count - 1].timestamp = value }
        case "Category":
            _ = categories.popLast()
        case "Parameter":
            parameterName = nil
        case "SeriesSet":
            try finishSeriesSet()
        default:
            break
        }
    }

    private mutating func recordParameter(_ parameter: String, _ value: String) {
        let key = (categories.filter { !$0.isEmpty } + [parameter]).joined(separator: "/")
        if !steps.isEmpty && !path.contains("Sample") {
            steps[steps.count - 1].fields[parameter.lowercased()] = value
        } else if !samples.isEmpty {
            samples[samples.count - 1].fields[key] = value
        }
    }

    /// Classifies a finished SeriesSet by the names of its series.
    private mutating func finishSeriesSet() throws {
        guard let set = seriesSet else { return }
        seriesSet = nil
        func find(_ words: [String]) -> AnIMLSeries? {
            set.series.first { s in words.contains { s.name.lowercased().contains($0) } }
        }
        let context = steps.last.map { "experiment step \"\($0.name)\"" } ?? "sample"
        let intensity = find(["intensity", "abundance", "counts"])
        if let mz = find(["m/z", "mass"]), let intensity, !steps.isEmpty {
            let x = try mz.values(length: set.length), y = try intensity.values(length: set.length)
            guard x.count == y.count else {
                throw AnIMLFailure("series set \"\(set.name)\": \(x.count) m/z values but \(y.count) intensities")
            }
            spectra.append((steps.count - 1, Spectrum(id: "\(steps[steps.count - 1].name)/\(set.name)", msLevel: 1, mz: x, intensity: y)))
        } else if let time = find(["time"]), let intensity, !steps.isEmpty {
            let t = try time.values(length: set.length), y = try intensity.values(length: set.length)
            guard t.count == y.count else {
                throw AnIMLFailure("series set \"\(set.name)\": \(t.count) times but \(y.count) intensities")
            }
            // Chromatography states retention times in minutes unless told otherwise.
            let factor: Double
            if let stated = time.secondsPerUnit {
                factor = stated
            } else {
                factor = 60
                notes.append("\(context): chromatogram \"\(set.name)\" states no time unit: read as minutes")
            }
            let id = "\(steps[steps.count - 1].name)/\(set.name)"
            chromatograms.append((steps.count - 1, Chromatogram(id: id, type: set.name, timesSeconds: t.map { $0 * factor }, intensity: y)))
        } else {
            let names = set.series.map(\.name).joined(separator: ", ")
            notes.append("\(context): series set \"\(set.name)\" (\(names)) not understood: not imported")
        }
    }

    func submission(file: String, options: ImportOptions) throws -> Submission {
        guard !samples.isEmpty else { throw ImportRejection("\(file): the AnIML SampleSet has no sample") }
        var result: [Sample] = []
        for (index, s) in samples.enumerated() {
            result.append(try AnIMLSampleMapping.sample(id: samples.count == 1 ? (options.sampleID ?? s.id) : s.id,
                                                        fields: s.fields, options: options, file: file, index: index))
        }
        var attached: [AttachedSpectrum] = []
        var traces: [AttachedChromatogram] = []
        for (stepIndex, step) in steps.enumerated() {
            let sampleIndex = samples.firstIndex { $0.id == step.sampleID } ?? 0
            result[sampleIndex].analyses.append(AnIMLSampleMapping.analysis(step))
            let analysisIndex = result[sampleIndex].analyses.count - 1
            for (owner, spectrum) in spectra where owner == stepIndex {
                attached.append(AttachedSpectrum(sampleIndex: sampleIndex, analysisIndex: analysisIndex, spectrum: spectrum))
            }
            for (owner, chromatogram) in chromatograms where owner == stepIndex {
                traces.append(AttachedChromatogram(sampleIndex: sampleIndex, analysisIndex: analysisIndex, chromatogram: chromatogram))
            }
        }
        let listed = traces.map { "\"\($0.chromatogram.id)\" (\($0.chromatogram.pointCount) points)" }
        let summary = "\(file): AnIML: \(samples.count) sample(s), \(steps.count) experiment step(s), \(attached.count) mass spectra, "
            + "\(traces.count) chromatogram(s)" + (listed.isEmpty ? "" : ": " + listed.joined(separator: ", "))
        return Submission(format: .animl, samples: result, spectra: attached, chromatograms: traces,
                          notes: [summary] + notes.map { "\(file): \($0)" })
    }
}
