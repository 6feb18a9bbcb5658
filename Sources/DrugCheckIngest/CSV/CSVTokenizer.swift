/// A field of a CSV record with the position where it starts (1-based line and column).
public struct CSVField: Sendable, Equatable {
    public var value: String
    public var line: Int
    public var column: Int
}

/// Splits CSV text into records per RFC 4180: quoted fields may hold separators, doubled quotes
/// and line breaks; CRLF, LF and CR all end a record. Positions are kept for error messages.
///
/// ```swift
/// var tokenizer = CSVTokenizer(text: "a,\"b,c\"\n", separator: ",")
/// try tokenizer.next() // [a, b,c]
/// ```
public struct CSVTokenizer {
    public struct Failure: Error, Sendable {
        public var line: Int
        public var column: Int
        public var message: String
    }

    /// Longest field accepted: guards against a missing closing quote swallowing the whole file.
    public var maxFieldLength = 1 << 20

    private let scalars: [Unicode.Scalar]
    private let separator: Unicode.Scalar
    private var index = 0
    private var line = 1
    private var column = 1

    public init(text: String, separator: Character) {
        scalars = Array(text.unicodeScalars)
        self.separator = separator.unicodeScalars.first!
    }

    /// The next record, or nil at the end of the text.
    public mutating func next() throws(Failure) -> [CSVField]? {
        guard index < scalars.count else { return nil }
        var fields: [CSVField] = []
        while true {
            let (field, endedRecord) = try readField()
            fields.append(field)
            if endedRecord { return fields }
        }
    }

    private mutating func advance() -> Unicode.Scalar {
        let s = scalars[index]
        index += 1
        column += 1
        return s
    }

    private mutating func newline() {
        line += 1
        column = 1
    }

    /// Consumes a line break at the current position, if any (CRLF counts once).
    private mutating func consumeLineBreak() -> Bool {
        guard index < scalars.count else { return false }
        if scalars[index] == "\r" {
            index += 1
            if index < scalars.count, scalars[index] == "\n" { index += 1 }
            newline()
            return true
        }
        if scalars[index] == "\n" {
            index += 1
            newline()
            return true
        }
        return false
    }

    private mutating func readField() throws(Failure) -> (CSVField, Bool) {
        let startLine = line, startColumn = column
        var value = String.UnicodeScalarView()
        var length = 0 // counted here: UnicodeScalarView.count walks the whole view
        func tooLong() -> Failure {
            Failure(line: startLine, column: startColumn, message: "field longer than \(maxFieldLength) characters (a missing closing quote?)")
        }
        if index < scalars.count, scalars[index] == "\"" {
            _ = advance()
            while true {
                guard index < scalars.count else {
                    throw Failure(line: startLine, column: startColumn, message: "quoted field is not closed before the end of the file")
                }
                let s = scalars[index]
                if s == "\"" {
                    _ = advance()
                    if index < scalars.count, scalars[index] == "\"" {
                        _ = advance()
                        value.append("\"")
                        length += 1
                        continue
                    }
                    break
                }
                if s == "\r" || s == "\n" {
                    _ = consumeLineBreak()
                    value.append("\n")
                } else {
                    value.append(advance())
                }
                length += 1
                if length > maxFieldLength { throw tooLong() }
            }
            // After the closing quote only a separator or the end of the record may follow.
            if index < scalars.count, scalars[index] != separator, scalars[index] != "\r", scalars[index] != "\n" {
                throw Failure(line: line, column: column, message: "expected a separator or end of line after the closing quote")
            }
        } else {
            while index < scalars.count, scalars[index] != separator, scalars[index] != "\r", scalars[index] != "\n" {
                value.append(advance())
                length += 1
                if length > maxFieldLength { throw tooLong() }
            }
        }
        let field = CSVField(value: String(value), line: startLine, column: startColumn)
        if index < scalars.count, scalars[index] == separator {
            _ = advance()
            return (field, false)
        }
        _ = consumeLineBreak()
        return (field, true)
    }
}
