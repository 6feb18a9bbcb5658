import Crypto
import DrugCheckClassify
import DrugCheckIngest
import DrugCheckModel
import Foundation
import GRDB

/// Imports files: detect the format from content, parse, classify, store, all in one transaction.
/// A rejected file changes no sample or finding; it is recorded with its error report and its
/// bytes are kept in the quarantine folder beside the database.
///
/// ```swift
/// let result = try FileImporter(database: db).importFile(at: url, options: .init(labCode: "BE-DC01"))
/// ```
public struct FileImporter: Sendable {
    public let database: DrugCheckDatabase
    public let classifier: SampleClassifier

    public init(database: DrugCheckDatabase, classifier: SampleClassifier = SampleClassifier(catalogue: .bundled)) {
        self.database = database
        self.classifier = classifier
    }

    public func importFile(at url: URL, displayName: String? = nil, options: ImportOptions) throws -> ImportResult {
        let name = displayName ?? url.lastPathComponent
        let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.int64Value ?? 0
        let format = try detectFormat(url)
        guard size <= options.maxBytes else {
            return try reject(url, name: name, sha: "size-limit-\(UUID().uuidString)", format: format, options: options,
                              problems: [ImportProblem(line: 0, column: 0, message: "file is \(size) bytes, over the limit of \(options.maxBytes) bytes (raise it with --max-bytes)")])
        }
        let sha = try Self.sha256(of: url)
        // The same bytes count as already imported only for their own lab: another lab's upload
        // of them goes on to be parsed and rejected for naming a different lab.
        if let previous = try database.pool.read({ db in
            try BatchRecord.filter(Column("sha256") == sha && Column("outcome") == "imported").fetchOne(db)
        }), options.labCode == nil || previous.labCode?.caseInsensitiveCompare(options.labCode!) == .orderedSame {
            return ImportResult(file: name, outcome: .alreadyImported, format: ImportFormat(rawValue: previous.format) ?? format,
                                samples: previous.sampleCount, findings: previous.findingCount, errors: [], unmatched: [],
                                notes: ["same bytes as batch \(previous.id!) imported on \(previous.receivedAt)"], batchID: previous.id)
        }
        guard let reader = ReaderRegistry.reader(for: format) else {
            return try reject(url, name: name, sha: sha, format: format, options: options, problems: [ImportProblem(
                line: 1, column: 1, message: "unrecognised content: expected a findings CSV, DrugCheck results XML, mzML or AnIML file")])
        }
        let submission: Submission
        do {
            submission = try reader.read(file: url, options: options)
            try checkLab(submission, options: options)
        } catch let rejection as ImportRejection {
            return try reject(url, name: name, sha: sha, format: format, options: options, problems: rejection.problems)
        }
        return try store(submission, name: name, sha: sha)
    }

    private func detectFormat(_ url: URL) throws -> ImportFormat {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        return FormatDetector.detect(head: try handle.read(upToCount: FormatDetector.sniffLength) ?? Data())
    }

    /// Every sample of a file must belong to one lab, and to the caller's lab when one is given.
    private func checkLab(_ submission: Submission, options: ImportOptions) throws {
        let labs = Set(submission.samples.map(\.labCode))
        if labs.count > 1 { throw ImportRejection("the file names several labs (\(labs.sorted().joined(separator: ", "))): a file holds one lab's results") }
        if let given = options.labCode, let lab = labs.first, lab.caseInsensitiveCompare(given) != .orderedSame {
            throw ImportRejection("the file belongs to lab '\(lab)', not '\(given)': a lab imports only its own results")
        }
    }

    private func store(_ submission: Submission, name: String, sha: String) throws -> ImportResult {
        let samples = submission.samples.map(classifier.resolveNames)
        let unmatched = Array(Set(samples.flatMap(classifier.unmatchedNames))).sorted()
        var notes = submission.notes
        if !unmatched.isEmpty { notes.append("not in the catalogue, stored as reported: \(unmatched.joined(separator: ", "))") }
        let findingCount = samples.reduce(0) { $0 + $1.findings.count }
        let batchID = try database.pool.write { db -> Int64 in
            let lab = samples.first?.labCode
            if let lab { try LabRecord(code: lab, name: lab, country: Self.country(of: lab)).insert(db, onConflict: .ignore) }
            var batch = BatchRecord(id: nil, labCode: lab, fileName: name, sha256: sha, format: submission.format.rawValue,
                                    receivedAt: Date(), outcome: "imported", sampleCount: samples.count, findingCount: findingCount,
                                    errors: "[]", notes: JSONColumn.encode(notes), quarantinePath: nil)
            try batch.insert(db)
            let writer = SampleWriter(db: db, batchID: batch.id!)
            var sampleIDs: [Int64] = []
            for sample in samples { sampleIDs.append(try writer.write(sample)) }
            try SpectrumWriter(db: db).write(submission.spectra, sampleIDs: sampleIDs)
            try SpectrumWriter(db: db).write(submission.chromatograms, sampleIDs: sampleIDs)
            try Classifications(classifier: classifier).refresh(db, sampleIDs: sampleIDs)
            return batch.id!
        }
        return ImportResult(file: name, outcome: .imported, format: submission.format, samples: samples.count, findings: findingCount,
                            errors: [], unmatched: unmatched, notes: notes, batchID: batchID)
    }

    private func reject(_ url: URL, name: String, sha: String, format: ImportFormat, options: ImportOptions, problems: [ImportProblem]) throws -> ImportResult {
        let quarantine = try Quarantine(directory: database.quarantineDirectory).keep(url, name: name, sha: sha, problems: problems)
        let batchID = try database.pool.write { db -> Int64 in
            let lab = options.labCode
            if let lab { try LabRecord(code: lab, name: lab, country: Self.country(of: lab)).insert(db, onConflict: .ignore) }
            var batch = BatchRecord(id: nil, labCode: lab, fileName: name, sha256: sha, format: format.rawValue, receivedAt: Date(),
                                    outcome: "rejected", sampleCount: 0, findingCount: 0, errors: JSONColumn.encode(problems),
                                    notes: "[]", quarantinePath: quarantine.path)
            try batch.insert(db)
            return batch.id!
        }
        return ImportResult(file: name, outcome: .rejected, format: format, samples: 0, findings: 0, errors: problems,
                            unmatched: [], notes: ["kept in quarantine: \(quarantine.path)"], batchID: batchID)
    }

    /// Lab codes start with the ISO country code by convention (`BE-NICC`).
    static func country(of code: String) -> String {
        let prefix = code.prefix { $0 != "-" && $0 != "_" }
        return prefix.count == 2 && prefix.allSatisfy(\.isLetter) ? prefix.uppercased() : ""
    }

    static func sha256(of url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
