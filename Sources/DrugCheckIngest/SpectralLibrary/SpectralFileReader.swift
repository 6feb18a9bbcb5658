import DrugCheckModel
import Foundation

/// The text spectral formats, told apart by content (never by file extension).
public enum SpectralTextFormat: String, Sendable {
    case msp, massBank, peakListCSV

    /// Looks at the first non-empty, non-comment line: `Name:` → MSP, `ACCESSION:` → MassBank,
    /// numbers or a `#`-commented / header CSV → peak list; `nil` for anything else (XML, binary).
    public static func detect(head: Data) -> SpectralTextFormat? {
        let text = String(decoding: head.prefix(16 * 1024), as: UTF8.self)
        var sawComment = false
        for rawLine in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = rawLine.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\u{FEFF}"))
            if line.isEmpty { continue }
            if line.hasPrefix("#") { sawComment = true; continue }
            let lower = line.lowercased()
            if lower.hasPrefix("name:") { return .msp }
            if line.hasPrefix("ACCESSION:") { return .massBank }
            if line.hasPrefix("<") { return nil }
            let fields = line.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "\t" })
            if (2...3).contains(fields.count), fields.allSatisfy({ Double($0.trimmingCharacters(in: .whitespaces)) != nil }) {
                return .peakListCSV
            }
            if sawComment || lower.contains("mz") || lower.contains("m/z") { continue } // header row
            return nil
        }
        return nil
    }
}

/// Reads every spectrum of an MSP, MassBank record or peak-list CSV file, whichever it is.
///
/// ```swift
/// let spectra = try SpectralFileReader().read(file: url)
/// ```
public struct SpectralFileReader: Sendable {
    public init() {}

    public func format(of file: URL) throws -> SpectralTextFormat? {
        let handle: FileHandle
        do { handle = try FileHandle(forReadingFrom: file) } catch {
            throw SpectralFileError(file: file.lastPathComponent, line: 0, "cannot open: \(error.localizedDescription)")
        }
        defer { try? handle.close() }
        return SpectralTextFormat.detect(head: handle.readData(ofLength: 16 * 1024))
    }

    public func read(file: URL) throws -> [Spectrum] {
        switch try format(of: file) {
        case .msp: return try MSPReader().read(file: file)
        case .massBank: return try MassBankRecordReader().read(file: file)
        case .peakListCSV: return [try PeakListCSVReader().read(file: file)]
        case nil:
            throw SpectralFileError(file: file.lastPathComponent, line: 1,
                                    "not a spectral text file: expected MSP ('Name:'), MassBank ('ACCESSION:') or an m/z,intensity peak list")
        }
    }
}
