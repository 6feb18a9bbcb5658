import DrugCheckModel
import Foundation

/// Reads NIST MSP text libraries: blocks of `Key: value` lines starting with `Name:`, then
/// `Num Peaks: N` and N peaks written as `m/z intensity` pairs (one or several per line,
/// separated by spaces, tabs, `;` or `,`, optionally followed by a quoted annotation).
///
/// Format reference: NIST MS Search / AMDIS "MSP" text format (NIST Mass Spectral Search
/// Program user guide, appendix "Library text file format").
///
/// ```swift
/// let spectra = try MSPReader(defaults: [SpectrumMetadataKey.licence: "CC0"]).read(file: url)
/// spectra[0].name // "3-Methylfentanyl"
/// ```
public struct MSPReader: Sendable {
    /// Metadata applied to every spectrum unless the record states its own (licence, source…).
    public var defaults: [String: String]
    /// Largest accepted peak count per spectrum (guards against hostile `Num Peaks`).
    public var maxPeaks: Int

    public init(defaults: [String: String] = [:], maxPeaks: Int = 100_000) {
        self.defaults = defaults
        self.maxPeaks = maxPeaks
    }

    public func read(file: URL) throws -> [Spectrum] {
        var result: [Spectrum] = []
        try forEach(file: file) { result.append($0) }
        return result
    }

    /// Calls `body` for every spectrum in file order, streaming the file.
    public func forEach(file: URL, _ body: (Spectrum) throws -> Void) throws {
        var lines = try TextLineReader(url: file)
        let label = lines.fileLabel
        var record: Record?
        var count = 0
        while let (number, raw) = try lines.next() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if var open = record, open.expectedPeaks != nil, open.peakCount < open.expectedPeaks! {
                if line.isEmpty { continue }
                if !line.hasPrefix("Name:") && !line.lowercased().hasPrefix("name:") {
                    try open.addPeaks(line, file: label, line: number)
                    record = open
                    continue
                }
            }
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw SpectralFileError(file: label, line: number,
                                        "'\(line.prefix(60))': expected 'Key: value' or a peak after 'Num Peaks'")
            }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if key == "name" {
                if let done = record { try body(done.spectrum(file: label, defaults: defaults, index: count)); count += 1 }
                record = Record(name: value, line: number)
                continue
            }
            guard var open = record else {
                throw SpectralFileError(file: label, line: number, "'\(key)' before the first 'Name:' line")
            }
            if key == "num peaks" || key == "num_peaks" || key == "numpeaks" {
                guard let n = Int(value), n >= 0, n <= maxPeaks else {
                    throw SpectralFileError(file: label, line: number,
                                            "'Num Peaks: \(value.prefix(20))': expected an integer 0…\(maxPeaks)")
                }
                open.expectedPeaks = n
            } else {
                open.fields.append((key, value, number))
            }
            record = open
        }
        if let done = record { try body(done.spectrum(file: label, defaults: defaults, index: count)) }
    }

    private struct Record {
        var name: String
        var line: Int
        var fields: [(key: String, value: String, line: Int)] = []
        var expectedPeaks: Int?
        var mz: [Double] = []
        var intensity: [Double] = []
        var peakCount: Int { mz.count }

        mutating func addPeaks(_ line: String, file: String, line number: Int) throws {
            let tokens = PeakParsing.tokens(line)
            guard !tokens.isEmpty, tokens.count.isMultiple(of: 2) else {
                throw SpectralFileError(file: file, line: number,
                                        "peak line '\(line.prefix(60))': expected 'm/z intensity' pairs")
            }
            for pair in stride(from: 0, to: tokens.count, by: 2) {
                guard let m = PeakParsing.number(tokens[pair]), let i = PeakParsing.number(tokens[pair + 1]) else {
                    throw SpectralFileError(file: file, line: number,
                                            "peak '\(tokens[pair]) \(tokens[pair + 1])': expected two finite non-negative numbers")
                }
                mz.append(m)
                intensity.append(i)
            }
            if mz.count > expectedPeaks! {
                throw SpectralFileError(file: file, line: number,
                                        "more peaks than 'Num Peaks: \(expectedPeaks!)' of '\(name)'")
            }
        }

        func spectrum(file: String, defaults: [String: String], index: Int) throws -> Spectrum {
            guard let expected = expectedPeaks else {
                throw SpectralFileError(file: file, line: line, "record '\(name)' has no 'Num Peaks' line")
            }
            guard mz.count == expected else {
                throw SpectralFileError(file: file, line: line,
                                        "record '\(name)' has \(mz.count) peaks, 'Num Peaks' says \(expected)")
            }
            var metadata = defaults
            var id: String?
            var precursor: Double?
            var charge: Int?
            var polarity: Polarity?
            var msLevel: Int?
            for (key, value, number) in fields where !value.isEmpty && value.lowercased() != "nan" {
                switch key {
                case "id", "db#", "accession", "spectrumid": id = value
                case "precursormz", "precursor_mz", "precursor m/z":
                    guard let v = Double(value), v.isFinite, v > 0 else {
                        throw SpectralFileError(file: file, line: number, "'PrecursorMZ: \(value.prefix(30))': expected a positive number")
                    }
                    precursor = v
                case "charge": charge = Int(value.filter { $0.isNumber || $0 == "-" })
                case "ion_mode", "ionmode", "ion mode", "polarity": polarity = PeakParsing.polarity(value)
                case "spectrum_type", "mslevel", "ms_level":
                    msLevel = Int(value.lowercased().replacingOccurrences(of: "ms", with: ""))
                case "inchikey": metadata[SpectrumMetadataKey.inchiKey] = value
                case "formula": metadata[SpectrumMetadataKey.formula] = value
                case "smiles": metadata[SpectrumMetadataKey.smiles] = value
                case "precursor_type", "precursortype": metadata[SpectrumMetadataKey.precursorType] = value
                case "instrument_type", "instrumenttype": metadata[SpectrumMetadataKey.instrumentType] = value
                case "instrument": metadata[SpectrumMetadataKey.instrument] = value
                case "ionization", "ionisation": metadata[SpectrumMetadataKey.ionisation] = value
                case "collision energy", "collision_energy", "collisionenergy":
                    metadata[SpectrumMetadataKey.collisionEnergy] = value
                case "license", "licence": metadata[SpectrumMetadataKey.licence] = value
                case "source": metadata[SpectrumMetadataKey.source] = value
                case "comment", "comments": metadata[SpectrumMetadataKey.comment] = value
                case "exactmass", "exact_mass": metadata[SpectrumMetadataKey.exactMass] = value
                case "class": metadata[SpectrumMetadataKey.substanceClass] = value
                case "substance_id": metadata[SpectrumMetadataKey.substanceID] = value
                default: metadata[key] = value
                }
            }
            if metadata[SpectrumMetadataKey.ionisation] == nil {
                let hints = [metadata[SpectrumMetadataKey.instrumentType], metadata[SpectrumMetadataKey.comment]]
                    .compactMap { $0?.uppercased() }
                if hints.contains(where: { $0.contains("EI-") || $0.contains("GC-") || $0.hasPrefix("EI") }) {
                    metadata[SpectrumMetadataKey.ionisation] = "EI"
                } else if hints.contains(where: { $0.contains("ESI") }) || precursor != nil {
                    metadata[SpectrumMetadataKey.ionisation] = "ESI"
                }
            }
            let (sortedMZ, sortedIntensity) = PeakParsing.sorted(mz: mz, intensity: intensity)
            return Spectrum(id: id ?? name, name: name, msLevel: msLevel ?? (precursor == nil ? 1 : 2),
                            precursorMZ: precursor, precursorCharge: charge, polarity: polarity,
                            mz: sortedMZ, intensity: sortedIntensity, metadata: metadata)
        }
    }
}
