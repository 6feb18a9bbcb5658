import Foundation

/// A lab export as records of cells, ready for a profile: decoded from UTF-8 (with or without
/// BOM), UTF-16 with BOM or Windows-1252, split on its separator with CSV quoting rules.
///
/// ```swift
/// let document = try ProfileDocument(file: url)
/// for record in document.records { print(record.map(\.value)) }
/// ```
public struct ProfileDocument: Sendable {
    /// Largest lab export read: they are read whole (instrument reports and datasets are small).
    public static let maxBytes = 256 << 20
    /// Most cells accepted in one record: guards against a runaway line.
    public static let maxCellsPerRecord = 20_000

    /// The file's text as UTF-8.
    public let utf8: Data
    /// The encoding the bytes were read in (`UTF-8`, `UTF-16 with BOM`, `Windows-1252`…).
    public let encoding: String
    public let separator: Character
    /// Every record of the file, with each cell's line and column.
    public let records: [[CSVField]]

    public init(file: URL, separator: Character? = nil) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
        guard size <= Self.maxBytes else {
            throw ImportRejection("\(file.lastPathComponent) is \(size) bytes; lab exports of up to \(Self.maxBytes) bytes are read: split the export")
        }
        try self.init(data: Data(contentsOf: file), separator: separator)
    }

    /// Without a separator, the sniffed one is used, else the first other candidate the text
    /// splits on without a quoting error.
    public init(data: Data, separator: Character? = nil) throws {
        let (text, encoding) = Self.decode(data)
        let utf8 = Data(text.utf8)
        if let separator {
            try self.init(utf8: utf8, encoding: encoding, separator: separator)
            return
        }
        let sniffed = Self.sniffSeparator(text)
        do {
            try self.init(utf8: utf8, encoding: encoding, separator: sniffed)
        } catch {
            for other in CSVDialect.candidates where other != sniffed {
                if let document = try? ProfileDocument(utf8: utf8, encoding: encoding, separator: other) {
                    self = document
                    return
                }
            }
            throw error
        }
    }

    private init(utf8: Data, encoding: String, separator: Character) throws {
        self.utf8 = utf8
        self.encoding = encoding
        self.separator = separator
        let stream = try CSVRecordStream(data: utf8, separator: separator, encoding: .utf8)
        var records: [[CSVField]] = []
        do {
            while let record = try stream.next() {
                guard record.count <= Self.maxCellsPerRecord else {
                    throw ImportRejection(line: record[0].line, column: 1,
                                          "a record has \(record.count) cells, more than the \(Self.maxCellsPerRecord) accepted: is the separator right?")
                }
                records.append(record)
            }
        } catch let failure as CSVFailure {
            throw ImportRejection(line: failure.line, column: failure.column, failure.message)
        }
        self.records = records
    }

    /// The same text split on another separator (a profile that names its own).
    public func splitting(on separator: Character) throws -> ProfileDocument {
        separator == self.separator ? self : try ProfileDocument(utf8: utf8, encoding: encoding, separator: separator)
    }

    static func decode(_ data: Data) -> (String, String) {
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) {
            let little = data.first == 0xFF
            let units = stride(from: 2, to: data.count - 1, by: 2).map { i -> UInt16 in
                let a = UInt16(data[data.startIndex + i]), b = UInt16(data[data.startIndex + i + 1])
                return little ? a | b << 8 : a << 8 | b
            }
            return (String(decoding: units, as: UTF16.self), little ? "UTF-16LE with BOM" : "UTF-16BE with BOM")
        }
        let (text, encoding) = TextDecoding.decode(data)
        return (text, encoding.rawValue)
    }

    /// The candidate (`,` `;` tab) that splits the widest of the first lines into the most cells,
    /// outside quotes: header rows are the widest, and preamble lines may have no separator at all.
    static func sniffSeparator(_ text: String) -> Character {
        let lines = CSVDialect.unquotedLines(String(text.prefix(64 * 1024)), limit: 40)
        let best = CSVDialect.candidates.map { sep in (sep, lines.map { $0.filter { $0 == sep }.count }.max() ?? 0) }
            .max { $0.1 < $1.1 }
        return best.map { $0.1 > 0 ? $0.0 : "," } ?? ","
    }
}
