import DrugCheckModel
import Foundation

/// Reads a single spectrum written as a peak-list CSV: rows of `m/z,intensity` (or
/// `index,m/z,intensity` as exported by Agilent MassHunter with a `#Point,X(Thomsons),Y(Counts)`
/// header), separated by commas, semicolons or tabs. `#` lines are comments; the MassHunter
/// title comment is read for polarity and precursor (`+ESI … (369.1929[z=1] -> **)`).
///
/// ```swift
/// let s = try PeakListCSVReader().read(file: url) // id = file name without extension
/// s.precursorMZ // 369.1929 for refdata nitazene_esi_csv/S02.csv
/// ```
public struct PeakListCSVReader: Sendable {
    public var maxPeaks: Int

    public init(maxPeaks: Int = 1_000_000) {
        self.maxPeaks = maxPeaks
    }

    public func read(file: URL) throws -> Spectrum {
        var lines = try TextLineReader(url: file)
        let label = lines.fileLabel
        var mz: [Double] = []
        var intensity: [Double] = []
        var metadata: [String: String] = [:]
        var precursor: Double?
        var charge: Int?
        var polarity: Polarity?
        var columns: Int?
        while let (number, raw) = try lines.next() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                if number == 1 { Self.readTitle(line, precursor: &precursor, charge: &charge, polarity: &polarity, metadata: &metadata) }
                continue
            }
            let fields = line.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "\t" })
                .map { $0.trimmingCharacters(in: .whitespaces) }
            if mz.isEmpty, columns == nil, fields.contains(where: { Double($0) == nil }) { continue } // header row
            guard fields.count == 2 || fields.count == 3, columns == nil || columns == fields.count else {
                throw SpectralFileError(file: label, line: number,
                                        "row '\(line.prefix(60))': expected 'm/z,intensity' or 'index,m/z,intensity'")
            }
            columns = fields.count
            let offset = fields.count - 2
            guard let m = PeakParsing.number(Substring(fields[offset])), let i = PeakParsing.number(Substring(fields[offset + 1])) else {
                throw SpectralFileError(file: label, line: number,
                                        "row '\(line.prefix(60))': expected finite non-negative m/z and intensity")
            }
            guard mz.count < maxPeaks else { throw SpectralFileError(file: label, line: number, "more than \(maxPeaks) peaks") }
            mz.append(m)
            intensity.append(i)
        }
        guard !mz.isEmpty else { throw SpectralFileError(file: label, line: 0, "no peak rows: expected 'm/z,intensity' lines") }
        metadata[SpectrumMetadataKey.source] = "peak list \(label)"
        if precursor != nil || polarity != nil { metadata[SpectrumMetadataKey.ionisation] = metadata[SpectrumMetadataKey.ionisation] ?? "ESI" }
        let (sortedMZ, sortedIntensity) = PeakParsing.sorted(mz: mz, intensity: intensity)
        return Spectrum(id: file.deletingPathExtension().lastPathComponent, name: nil, msLevel: 2,
                        precursorMZ: precursor, precursorCharge: charge, polarity: polarity,
                        mz: sortedMZ, intensity: sortedIntensity, metadata: metadata)
    }

    /// MassHunter titles look like `"+ESI Product Ion (rt: …) Frag=150.0V CID@35.0 (369.1929[z=1] -> **) …"`.
    static func readTitle(_ line: String, precursor: inout Double?, charge: inout Int?, polarity: inout Polarity?,
                          metadata: inout [String: String]) {
        let title = line.drop { $0 == "#" || $0 == "\"" }.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        metadata[SpectrumMetadataKey.comment] = String(title.prefix(500))
        if title.hasPrefix("+ESI") { polarity = .positive; metadata[SpectrumMetadataKey.ionisation] = "ESI" }
        if title.hasPrefix("-ESI") { polarity = .negative; metadata[SpectrumMetadataKey.ionisation] = "ESI" }
        if let arrow = title.range(of: "] -> ") ?? title.range(of: "]->"),
           let open = title[..<arrow.lowerBound].lastIndex(of: "(") {
            let inside = title[title.index(after: open)..<arrow.lowerBound] // "369.1929[z=1"
            let parts = inside.split(separator: "[")
            if let v = parts.first.flatMap({ Double($0) }), v.isFinite, v > 0 { precursor = v }
            if parts.count == 2, parts[1].hasPrefix("z=") { charge = Int(parts[1].dropFirst(2)) }
        }
        if let cid = title.range(of: "CID@") {
            metadata[SpectrumMetadataKey.collisionEnergy] = String(title[cid.upperBound...].prefix { $0.isNumber || $0 == "." })
        }
    }
}
