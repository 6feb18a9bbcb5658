import DrugCheckModel
import Foundation

/// Reads the canonical findings CSV: one row per finding, grouped into samples and analyses.
///
/// ```swift
/// let submission = try FindingsCSVReader().parse(data: bytes, options: .init(labCode: "BE-DC01"))
/// ```
/// A file with any problem is rejected whole, with every problem listed by line and column.
/// ``stream(file:options:encoding:)`` reads a file of any size a sample at a time instead.
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
        do {
            return try collect(FindingsCSVStream(data: data, options: options, encoding: TextDecoding.announced(by: data), maxProblems: maxProblems))
        } catch is TextDecoding.NotUTF8 {
            do { return try collect(FindingsCSVStream(data: data, options: options, encoding: .windows1252, maxProblems: maxProblems)) } catch {
                throw error as? ImportRejection ?? ImportRejection("\(error)")
            }
        } catch {
            throw error as? ImportRejection ?? ImportRejection("\(error)")
        }
    }

    /// Opens `file` for reading a sample at a time; the header is read and checked here.
    /// Reading throws ``TextDecoding/NotUTF8`` when a UTF-8 file turns out not to be: open it
    /// again with `.windows1252`.
    public func stream(file: URL, options: ImportOptions, encoding: TextDecoding.Encoding) throws(ImportRejection) -> FindingsCSVStream {
        try FindingsCSVStream(file: file, options: options, encoding: encoding, maxProblems: maxProblems)
    }

    private func collect(_ stream: FindingsCSVStream) throws -> Submission {
        var builder = SubmissionBuilder()
        var problems = ProblemList(limit: maxProblems)
        while let row = try stream.nextRow() { builder.add(row, problems: &problems) }
        let all = stream.problems + problems.all
        guard all.isEmpty else { throw ImportRejection(all) }
        if builder.samples.isEmpty { throw ImportRejection(line: 2, column: 1, "no data rows: expected at least one row after the header") }
        let format: ImportFormat = stream.isManifest ? .sampleManifest : .findingsCSV
        return Submission(format: format, samples: builder.samples, notes: stream.notes)
    }

    /// Maps header names to known columns; unknown columns become sample attributes.
    static func mapHeader(_ header: [CSVField], options: ImportOptions) throws(ImportRejection) -> HeaderMap {
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
        let manifest = options.expecting == .sampleManifest
        var required = manifest ? FindingsCSVColumn.requiredInManifest : FindingsCSVColumn.required
        if options.labCode == nil { required.insert(.lab, at: 0) }
        if manifest {
            let results = FindingsCSVColumn.results.filter { map.index[$0] != nil }.map(\.rawValue)
            if !results.isEmpty {
                problems.append(.init(line: 1, column: 1, message: """
                    a registration manifest lists samples only, but this file has result columns (\(results.joined(separator: ", "))): \
                    results go in with `drugcheck import`; register samples with a file of sample columns
                    """))
            }
        }
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
public struct ProblemList: Sendable {
    public let limit: Int
    public private(set) var all: [ImportProblem] = []
    private var dropped = 0

    public init(limit: Int) { self.limit = limit }

    public var isEmpty: Bool { all.isEmpty }

    public mutating func add(_ problem: ImportProblem) {
        if all.count < limit { all.append(problem) } else {
            dropped += 1
            let summary = ImportProblem(line: problem.line, column: 0, message: "… and \(dropped) more problems")
            if all.count == limit { all.append(summary) } else { all[limit] = summary }
        }
    }
}
