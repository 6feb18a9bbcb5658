import DrugCheckModel
import Foundation

/// Reads the canonical findings CSV: one row per finding, grouped into samples and analyses.
///
/// ```swift
/// let submission = try FindingsCSVReader().parse(data: bytes, fileName: "week47.csv", options: .init(labCode: "BE-DC01"))
/// ```
/// A file with any problem is rejected whole, with every problem listed by line and column.
public struct FindingsCSVReader: SubmissionReader {
    public let format = ImportFormat.findingsCSV
    /// Stop listing problems after this many; the rest are counted.
    public var maxProblems = 200

    public init() {}

    public func read(file: URL, options: ImportOptions) throws -> Submission {
        let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int64) ?? 0
        guard size <= options.maxBytes else {
            throw ImportRejection("file is \(size) bytes, over the limit of \(options.maxBytes) bytes (raise it with --max-bytes)")
        }
        return try parse(data: Data(contentsOf: file), options: options)
    }

    public func parse(data: Data, options: ImportOptions) throws(ImportRejection) -> Submission {
        let (text, encoding) = TextDecoding.decode(data)
        let dialect = CSVDialect.sniff(text)
        var notes = ["encoding \(encoding.rawValue)", "dialect: \(dialect)"]
        if encoding == .windows1252 { notes[0] = "encoding: not valid UTF-8, decoded as Windows-1252" }

        var tokenizer = CSVTokenizer(text: text, separator: dialect.separator)
        var problems = ProblemList(limit: maxProblems)
        do {
            guard let header = try tokenizer.next() else { throw ImportRejection(line: 1, column: 1, "the file is empty: expected a header row") }
            let columns = try mapHeader(header, options: options)
            var builder = SubmissionBuilder(columns: columns, options: options)
            while let record = try tokenizer.next() {
                if record.allSatisfy({ $0.value.trimmed.isEmpty }) { continue }
                builder.add(record: record, headerCount: header.count, problems: &problems)
            }
            if builder.samples.isEmpty, problems.isEmpty {
                problems.add(ImportProblem(line: 2, column: 1, message: "no data rows: expected at least one finding row after the header"))
            }
            guard problems.isEmpty else { throw ImportRejection(problems.all) }
            return Submission(format: .findingsCSV, samples: builder.samples, notes: notes)
        } catch let failure as CSVTokenizer.Failure {
            problems.add(ImportProblem(line: failure.line, column: failure.column, message: failure.message))
            throw ImportRejection(problems.all)
        } catch let rejection as ImportRejection {
            throw rejection
        } catch {
            throw ImportRejection("\(error)")
        }
    }

    /// Maps header names to known columns; unknown columns become sample attributes.
    private func mapHeader(_ header: [CSVField], options: ImportOptions) throws(ImportRejection) -> HeaderMap {
        var map = HeaderMap()
        var problems: [ImportProblem] = []
        for (index, field) in header.enumerated() {
            let name = field.value.trimmed
            if let column = FindingsCSVColumn(header: name) {
                if map.index[column] != nil {
                    problems.append(.init(line: field.line, column: field.column, message: "column '\(name)' appears twice"))
                }
                map.index[column] = index
            } else if !name.isEmpty {
                map.extra.append((index, name))
            }
        }
        var required = FindingsCSVColumn.required
        if options.labCode == nil { required.insert(.lab, at: 0) }
        for column in required where map.index[column] == nil {
            let hint = column == .lab ? " (or give the lab with --lab)" : ""
            problems.append(.init(line: 1, column: 1, message: "missing required column '\(column.rawValue)'\(hint)"))
        }
        if map.index[.concentration] != nil, map.index[.unit] == nil {
            problems.append(.init(line: 1, column: 1, message: "column 'concentration' needs a 'unit' column"))
        }
        guard problems.isEmpty else { throw ImportRejection(problems) }
        return map
    }
}

/// Where each known column is, and the extra columns kept as attributes.
struct HeaderMap {
    var index: [FindingsCSVColumn: Int] = [:]
    var extra: [(Int, String)] = []
}

/// Collects problems up to a limit, then counts the rest.
struct ProblemList {
    let limit: Int
    private(set) var all: [ImportProblem] = []
    private var dropped = 0

    init(limit: Int) { self.limit = limit }

    var isEmpty: Bool { all.isEmpty }

    mutating func add(_ problem: ImportProblem) {
        if all.count < limit { all.append(problem) } else {
            dropped += 1
            let summary = ImportProblem(line: problem.line, column: 0, message: "… and \(dropped) more problems")
            if all.count == limit { all.append(summary) } else { all[limit] = summary }
        }
    }
}
