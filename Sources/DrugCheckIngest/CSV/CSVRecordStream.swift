import Foundation

/// A field of a CSV record with the position where it starts (1-based line and column).
public struct CSVField: Sendable, Equatable {
    public var value: String
    public var line: Int
    public var column: Int
}

/// A record that breaks the CSV rules, located.
public struct CSVFailure: Error, Sendable {
    public var line: Int
    public var column: Int
    public var message: String
}

/// Reads CSV records from a file in fixed-size chunks, so a file of any size is parsed in bounded
/// memory. RFC 4180: quoted fields may hold separators, doubled quotes and line
/// breaks; CRLF, LF and CR all end a record; positions are 1-based lines and columns counted in
/// characters. It works on bytes: separators, quotes and line breaks are
/// ASCII in every encoding it reads, and only field values are decoded.
///
/// ```swift
/// let stream = try CSVRecordStream(file: url, separator: ",", encoding: .utf8)
/// while let record = try stream.next() { print(record.map(\.value)) }
/// ```
///
/// A field that is not valid UTF-8 in a file read as UTF-8 throws ``TextDecoding/NotUTF8``: the
/// caller reads the file again as Windows-1252 (what spreadsheet exports on Windows write).
public final class CSVRecordStream {
    /// Longest field accepted: guards against a missing closing quote swallowing the whole file.
    public var maxFieldLength = 1 << 20

    private let readChunk: () throws -> Data?
    private let close: () -> Void
    private let separator: UInt8
    private let encoding: TextDecoding.Encoding
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private var line = 1
    private var column = 1
    private var field: [UInt8] = []
    /// Bytes consumed before `buffer[0]`, for progress reports.
    private var consumedBefore: Int64 = 0

    public convenience init(file: URL, separator: Character, encoding: TextDecoding.Encoding, chunkSize: Int = 1 << 20) throws {
        let handle = try FileHandle(forReadingFrom: file)
        try self.init(separator: separator, encoding: encoding, read: { try handle.read(upToCount: chunkSize) },
                      close: { try? handle.close() })
    }

    public convenience init(data: Data, separator: Character, encoding: TextDecoding.Encoding) throws {
        var remaining: Data? = data
        try self.init(separator: separator, encoding: encoding, read: {
            defer { remaining = nil }
            return remaining
        }, close: {})
    }

    private init(separator: Character, encoding: TextDecoding.Encoding, read: @escaping () throws -> Data?, close: @escaping () -> Void) throws {
        readChunk = read
        self.close = close
        self.separator = separator.asciiValue ?? UInt8(ascii: ",")
        self.encoding = encoding
        field.reserveCapacity(256)
        if encoding == .utf8BOM, try fill(), buffer.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    deinit { close() }

    /// Bytes of the file read so far.
    public var bytesRead: Int64 { consumedBefore + Int64(position) }

    /// Line of the next record.
    public var currentLine: Int { line }

    /// The next record, or nil at the end of the file.
    public func next() throws -> [CSVField]? {
        guard try available() else { return nil }
        var fields: [CSVField] = []
        fields.reserveCapacity(16)
        while true {
            let (value, startLine, startColumn, endedRecord) = try readField()
            fields.append(CSVField(value: value, line: startLine, column: startColumn))
            if endedRecord { return fields }
        }
    }

    /// Whether a byte is left, reading the next chunk when the buffer is used up.
    @inline(__always) private func available() throws -> Bool {
        if position < buffer.count { return true }
        return try fill()
    }

    private func fill() throws -> Bool {
        guard !atEnd else { return false }
        consumedBefore += Int64(buffer.count)
        guard let data = try readChunk(), !data.isEmpty else {
            atEnd = true
            buffer.removeAll(keepingCapacity: true)
            position = 0
            return false
        }
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: data)
        position = 0
        return true
    }

    @inline(__always) private func peek() throws -> UInt8? {
        try available() ? buffer[position] : nil
    }

    /// Consumes one byte, counting a column for each character start (not for UTF-8 continuation bytes).
    @inline(__always) private func advance() -> UInt8 {
        let byte = buffer[position]
        position += 1
        if encoding == .windows1252 || byte & 0xC0 != 0x80 { column += 1 }
        return byte
    }

    private func consumeLineBreak() throws -> Bool {
        guard let byte = try peek() else { return false }
        if byte == UInt8(ascii: "\r") {
            position += 1
            if try peek() == UInt8(ascii: "\n") { position += 1 }
        } else if byte == UInt8(ascii: "\n") {
            position += 1
        } else {
            return false
        }
        line += 1
        column = 1
        return true
    }

    private func readField() throws -> (String, Int, Int, Bool) {
        let startLine = line, startColumn = column
        field.removeAll(keepingCapacity: true)
        func fail(_ message: String) -> CSVFailure {
            CSVFailure(line: startLine, column: startColumn, message: message)
        }
        let tooLong = "field longer than \(maxFieldLength) characters (a missing closing quote?)"
        if try peek() == UInt8(ascii: "\"") {
            _ = advance()
            while true {
                guard let byte = try peek() else { throw fail("quoted field is not closed before the end of the file") }
                if byte == UInt8(ascii: "\"") {
                    _ = advance()
                    if try peek() == UInt8(ascii: "\"") {
                        field.append(advance())
                        continue
                    }
                    break
                }
                if byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n") {
                    _ = try consumeLineBreak()
                    field.append(UInt8(ascii: "\n"))
                } else {
                    field.append(advance())
                }
                if field.count > maxFieldLength { throw fail(tooLong) }
            }
            if let byte = try peek(), byte != separator, byte != UInt8(ascii: "\r"), byte != UInt8(ascii: "\n") {
                throw CSVFailure(line: line, column: column, message: "expected a separator or end of line after the closing quote")
            }
        } else {
            try scanUnquoted(tooLong: { fail(tooLong) })
        }
        let value = try decode(startLine: startLine, startColumn: startColumn)
        if try peek() == separator {
            _ = advance()
            return (value, startLine, startColumn, false)
        }
        _ = try consumeLineBreak()
        return (value, startLine, startColumn, true)
    }

    /// Copies an unquoted field's bytes up to the next separator or line break, a chunk at a time.
    private func scanUnquoted(tooLong: () -> CSVFailure) throws {
        while try available() {
            let start = position
            var end = start
            let count = buffer.count
            var columns = 0
            let sep = separator
            let latin = encoding == .windows1252
            buffer.withUnsafeBufferPointer { bytes in
                while end < count {
                    let b = bytes[end]
                    if b == sep || b == 0x0A || b == 0x0D { break }
                    if latin || b & 0xC0 != 0x80 { columns += 1 }
                    end += 1
                }
            }
            field.append(contentsOf: buffer[start..<end])
            column += columns
            position = end
            if field.count > maxFieldLength { throw tooLong() }
            if end < count { return }
        }
    }

    private func decode(startLine: Int, startColumn: Int) throws -> String {
        if encoding == .windows1252 { return TextDecoding.windows1252(field) }
        guard let text = String(validating: field, as: UTF8.self) else {
            throw TextDecoding.NotUTF8(line: startLine, column: startColumn)
        }
        return text
    }
}
