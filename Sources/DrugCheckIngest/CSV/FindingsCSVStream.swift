import DrugCheckModel
import Foundation

/// The canonical findings CSV read a sample at a time, in bounded memory: rows next to each other
/// that name the same lab and sample id make one sample. Rows with problems are skipped and their
/// problems collected, so the caller can reject the file with every problem listed.
///
/// ```swift
/// let stream = try FindingsCSVReader().stream(file: url, options: .init(), encoding: .utf8)
/// while let (sample, line) = try stream.nextSample() { … }
/// if !stream.problems.isEmpty { /* reject the file */ }
/// ```
/// A sample whose rows are not next to each other comes out once per run of rows; joining them
/// is the store's work (it knows the sample by its lab and id).
public final class FindingsCSVStream {
    public let dialect: CSVDialect
    /// Encoding and dialect, for the import summary.
    public let notes: [String]
    private let records: CSVRecordStream
    private let headerCount: Int
    private var parser: FindingsRowParser
    private var list: ProblemList
    private var pending: FindingsRow?
    public private(set) var rows = 0
    /// The file is a registration manifest (``ImportOptions/Expectation/sampleManifest``): its
    /// samples come without analyses.
    public var isManifest: Bool { parser.options.expecting == .sampleManifest }

    convenience init(file: URL, options: ImportOptions, encoding: TextDecoding.Encoding, maxProblems: Int) throws(ImportRejection) {
        let head: Data
        do {
            let handle = try FileHandle(forReadingFrom: file)
            defer { try? handle.close() }
            head = try handle.read(upToCount: 1 << 16) ?? Data()
        } catch {
            throw ImportRejection("the file cannot be read: \(error.localizedDescription)")
        }
        let dialect = Self.dialect(head: head, encoding: encoding)
        let records: CSVRecordStream
        do { records = try CSVRecordStream(file: file, separator: dialect.separator, encoding: encoding) } catch {
            throw ImportRejection("the file cannot be read: \(error.localizedDescription)")
        }
        try self.init(records: records, dialect: dialect, encoding: encoding, options: options, maxProblems: maxProblems)
    }

    convenience init(data: Data, options: ImportOptions, encoding: TextDecoding.Encoding, maxProblems: Int) throws(ImportRejection) {
        let dialect = Self.dialect(head: data.prefix(1 << 16), encoding: encoding)
        let records: CSVRecordStream
        do { records = try CSVRecordStream(data: data, separator: dialect.separator, encoding: encoding) } catch {
            throw ImportRejection("\(error)")
        }
        try self.init(records: records, dialect: dialect, encoding: encoding, options: options, maxProblems: maxProblems)
    }

    private init(records: CSVRecordStream, dialect: CSVDialect, encoding: TextDecoding.Encoding, options: ImportOptions,
                 maxProblems: Int) throws(ImportRejection) {
        self.records = records
        self.dialect = dialect
        var notes = ["encoding \(encoding.rawValue)", "dialect: \(dialect)"]
        if encoding == .windows1252 { notes[0] = "encoding: not valid UTF-8, decoded as Windows-1252" }
        self.notes = notes
        list = ProblemList(limit: maxProblems)
        let header: [CSVField]
        do {
            guard let first = try records.next() else { throw ImportRejection(line: 1, column: 1, "the file is empty: expected a header row") }
            header = first
        } catch let rejection as ImportRejection {
            throw rejection
        } catch let failure as CSVFailure {
            throw ImportRejection(line: failure.line, column: failure.column, failure.message)
        } catch let notUTF8 as TextDecoding.NotUTF8 where encoding != .windows1252 {
            throw ImportRejection(line: notUTF8.line, column: notUTF8.column, "not valid UTF-8")
        } catch {
            throw ImportRejection("\(error)")
        }
        headerCount = header.count
        parser = FindingsRowParser(columns: try FindingsCSVReader.mapHeader(header, options: options), options: options)
    }

    /// Every problem found so far (rows with problems are not returned).
    public var problems: [ImportProblem] { list.all }
    /// Bytes read so far, for progress reports.
    public var bytesRead: Int64 { records.bytesRead }

    /// The next well-formed row. Throws ``ImportRejection`` (with the problems so far) when the
    /// CSV structure itself is broken, and ``TextDecoding/NotUTF8`` as described on the reader.
    func nextRow() throws -> FindingsRow? {
        while true {
            let record: [CSVField]
            do {
                guard let next = try records.next() else { return nil }
                record = next
            } catch let failure as CSVFailure {
                list.add(ImportProblem(line: failure.line, column: failure.column, message: failure.message))
                throw ImportRejection(list.all)
            }
            if record.allSatisfy({ $0.value.trimmed.isEmpty }) { continue }
            rows += 1
            if let row = parser.parse(record: record, headerCount: headerCount, problems: &list) { return row }
        }
    }

    /// The next sample with the line of its first row, made of the rows next to each other that name it.
    public func nextSample() throws -> (sample: Sample, line: Int)? {
        guard let first = try pending ?? nextRow() else { return nil }
        pending = nil
        let key = SampleKey(first.sample)
        var sample = SampleMerge.start(first)
        while let row = try nextRow() {
            guard SampleKey(row.sample) == key else {
                pending = row
                break
            }
            SampleMerge.add(row, to: &sample, firstLine: first.line, problems: &list)
        }
        return (sample, first.line)
    }

    private static func dialect(head: Data, encoding: TextDecoding.Encoding) -> CSVDialect {
        let text = encoding == .windows1252 ? TextDecoding.windows1252(head) : String(decoding: head, as: UTF8.self)
        return CSVDialect.sniff(text)
    }
}
