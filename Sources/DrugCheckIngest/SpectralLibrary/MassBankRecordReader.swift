import DrugCheckModel
import Foundation

/// Reads MassBank record files (`ACCESSION: …` … `PK$PEAK: m/z int. rel.int.` … `//`); a file
/// may hold one record or several separated by `//`.
///
/// Format reference: MassBank Consortium, "MassBank Record Format 2.6"
/// (github.com/MassBank/MassBank-web/blob/main/Documentation/MassBankRecordFormat.md).
///
/// ```swift
/// let s = try MassBankRecordReader().read(file: url)[0]
/// s.id // "MSBNK-Athens_Univ-AU154501"; s.metadata["licence"] // "CC BY-SA"
/// ```
public struct MassBankRecordReader: Sendable {
    public var maxPeaks: Int

    public init(maxPeaks: Int = 100_000) {
        self.maxPeaks = maxPeaks
    }

    public func read(file: URL) throws -> [Spectrum] {
        var lines = try TextLineReader(url: file)
        let label = lines.fileLabel
        var result: [Spectrum] = []
        var record = Record()
        var inPeaks = false
        while let (number, raw) = try lines.next() {
            if raw.trimmingCharacters(in: .whitespaces) == "//" {
                if record.startLine > 0 { result.append(try record.spectrum(file: label)) }
                record = Record()
                inPeaks = false
                continue
            }
            if raw.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            if raw.hasPrefix(" ") || raw.hasPrefix("\t") {
                guard inPeaks else { continue } // continuation lines of PK$ANNOTATION and similar
                let tokens = PeakParsing.tokens(raw)
                guard tokens.count >= 2, let m = PeakParsing.number(tokens[0]), let i = PeakParsing.number(tokens[1]) else {
                    throw SpectralFileError(file: label, line: number,
                                            "peak '\(raw.trimmingCharacters(in: .whitespaces).prefix(60))': expected 'm/z int. rel.int.'")
                }
                guard record.mz.count < maxPeaks else {
                    throw SpectralFileError(file: label, line: number, "more than \(maxPeaks) peaks")
                }
                record.mz.append(m)
                record.intensity.append(i)
                continue
            }
            inPeaks = false
            guard let sep = raw.range(of: ": ") ?? raw.range(of: ":") else {
                throw SpectralFileError(file: label, line: number, "'\(raw.prefix(60))': expected 'TAG: value'")
            }
            let tag = String(raw[..<sep.lowerBound])
            let value = raw[sep.upperBound...].trimmingCharacters(in: .whitespaces)
            if record.startLine == 0 { record.startLine = number }
            if tag == "PK$PEAK" {
                inPeaks = true
                record.sawPeakTag = true
                record.peakLine = number
            } else {
                try record.set(tag: tag, value: value, file: label, line: number)
            }
        }
        if record.startLine > 0 { result.append(try record.spectrum(file: label)) }
        guard !result.isEmpty else { throw SpectralFileError(file: label, line: 0, "no MassBank record found") }
        return result
    }

    private struct Record {
        var startLine = 0
        var peakLine = 0
        var sawPeakTag = false
        var accession: String?
        var names: [String] = []
        var title: String?
        var precursor: Double?
        var polarity: Polarity?
        var msLevel: Int?
        var retentionSeconds: Double?
        var declaredPeaks: Int?
        var metadata: [String: String] = [:]
        var mz: [Double] = []
        var intensity: [Double] = []

        mutating func set(tag: String, value: String, file: String, line: Int) throws {
            let (subtag, rest) = Self.split(value)
            switch tag {
            case "ACCESSION": accession = value
            case "RECORD_TITLE": title = value
            case "LICENSE": metadata[SpectrumMetadataKey.licence] = value
            case "CH$NAME": names.append(value)
            case "CH$FORMULA": metadata[SpectrumMetadataKey.formula] = value
            case "CH$EXACT_MASS": metadata[SpectrumMetadataKey.exactMass] = value
            case "CH$SMILES": metadata[SpectrumMetadataKey.smiles] = value
            case "CH$LINK" where subtag == "INCHIKEY": metadata[SpectrumMetadataKey.inchiKey] = rest
            case "AC$INSTRUMENT": metadata[SpectrumMetadataKey.instrument] = value
            case "AC$INSTRUMENT_TYPE": metadata[SpectrumMetadataKey.instrumentType] = value
            case "AC$MASS_SPECTROMETRY":
                switch subtag {
                case "MS_TYPE": msLevel = Int(rest.uppercased().replacingOccurrences(of: "MS", with: "")) ?? 1
                case "ION_MODE": polarity = PeakParsing.polarity(rest)
                case "IONIZATION": metadata[SpectrumMetadataKey.ionisation] = rest
                case "COLLISION_ENERGY": metadata[SpectrumMetadataKey.collisionEnergy] = rest
                default: break
                }
            case "AC$CHROMATOGRAPHY" where subtag == "RETENTION_TIME":
                let parts = rest.split(separator: " ")
                if let v = parts.first.flatMap({ Double($0) }), v.isFinite {
                    let unit = parts.dropFirst().first?.lowercased() ?? "min"
                    retentionSeconds = unit.hasPrefix("s") ? v : v * 60
                }
            case "MS$FOCUSED_ION" where subtag == "PRECURSOR_M/Z":
                // Some records list several precursors ("194.1/212.1"); the first is the selected ion.
                let first = rest.split(whereSeparator: { $0 == "/" || $0 == " " }).first.map(String.init) ?? rest
                if ["NA", "N/A", "NAN", ""].contains(first.uppercased()) { break } // stated as not available
                guard let v = Double(first), v.isFinite, v > 0 else {
                    throw SpectralFileError(file: file, line: line, "'PRECURSOR_M/Z \(rest.prefix(30))': expected a positive number")
                }
                precursor = v
            case "MS$FOCUSED_ION" where subtag == "PRECURSOR_TYPE": metadata[SpectrumMetadataKey.precursorType] = rest
            case "PK$NUM_PEAK": declaredPeaks = Int(value)
            default: break
            }
        }

        static func split(_ value: String) -> (String, String) {
            guard let space = value.firstIndex(of: " ") else { return (value, "") }
            return (String(value[..<space]), value[value.index(after: space)...].trimmingCharacters(in: .whitespaces))
        }

        func spectrum(file: String) throws -> Spectrum {
            guard let accession else {
                throw SpectralFileError(file: file, line: startLine, "record without 'ACCESSION:'")
            }
            guard sawPeakTag else {
                throw SpectralFileError(file: file, line: startLine, "record \(accession) has no 'PK$PEAK:' block")
            }
            if let declaredPeaks, declaredPeaks != mz.count {
                throw SpectralFileError(file: file, line: peakLine,
                                        "record \(accession): PK$NUM_PEAK says \(declaredPeaks), \(mz.count) peaks listed")
            }
            var metadata = self.metadata
            metadata[SpectrumMetadataKey.source] = "MassBank \(accession)"
            if metadata[SpectrumMetadataKey.ionisation] == nil, let type = metadata[SpectrumMetadataKey.instrumentType] {
                if type.contains("EI") && !type.contains("ESI") { metadata[SpectrumMetadataKey.ionisation] = "EI" }
            }
            if let title { metadata["record_title"] = title }
            let (sortedMZ, sortedIntensity) = PeakParsing.sorted(mz: mz, intensity: intensity)
            return Spectrum(id: accession, name: names.first ?? title, msLevel: msLevel ?? 2,
                            retentionTimeSeconds: retentionSeconds, precursorMZ: precursor, polarity: polarity,
                            mz: sortedMZ, intensity: sortedIntensity, metadata: metadata)
        }
    }
}
