import Foundation

/// The file formats DrugCheck reads, detected from content, never from the file name.
public enum ImportFormat: String, Codable, Sendable {
    case findingsCSV = "findings-csv"
    case resultsXML = "drugcheck-results-xml"
    case mzML = "mzml"
    case animl = "animl"
    /// An instrument, LIMS or dataset export read through a mapping profile (`Schemas/import-profiles/`).
    case labExport = "lab-export"
    /// A sample registration manifest: samples without findings (`drugcheck samples register`).
    case sampleManifest = "sample-manifest"
    case unknown
}

/// What happened to one imported file.
public enum ImportOutcome: String, Codable, Sendable {
    case imported
    case alreadyImported = "already_imported"
    case rejected
}

/// One problem found in a file, located so the lab can fix it.
public struct ImportProblem: Codable, Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(line):\(column): \(message)" }
}

/// What `drugcheck import` reports for one file.
public struct ImportResult: Codable, Sendable {
    public var file: String
    public var outcome: ImportOutcome
    public var format: ImportFormat
    public var samples: Int
    public var findings: Int
    public var errors: [ImportProblem]
    /// Detected substance names not in the catalogue: stored as reported, never a rejection.
    public var unmatched: [String]
    /// Region texts that name no known region (``RegionCatalogue``): stored as written, never guessed.
    public var unmatchedRegions: [String]
    public var notes: [String]
    public var batchID: Int64?
    /// Samples (`LAB/ID`) whose earlier results this file superseded; absent when none.
    public var amendedSamples: [String]?

    public init(file: String, outcome: ImportOutcome, format: ImportFormat, samples: Int, findings: Int,
                errors: [ImportProblem], unmatched: [String], unmatchedRegions: [String] = [], notes: [String], batchID: Int64?) {
        self.file = file
        self.outcome = outcome
        self.format = format
        self.samples = samples
        self.findings = findings
        self.errors = errors
        self.unmatched = unmatched
        self.unmatchedRegions = unmatchedRegions
        self.notes = notes
        self.batchID = batchID
    }
}

/// One received file and what became of it.
public struct ImportBatch: Codable, Hashable, Sendable {
    public var labCode: String?
    public var fileName: String
    /// Hex SHA-256 of the file's bytes: the same bytes are imported once.
    public var sha256: String
    public var format: ImportFormat
    public var receivedAt: Date
    public var outcome: ImportOutcome
    public var sampleCount: Int
    public var findingCount: Int
    public var errors: [ImportProblem]
    /// Information for the lab that is not an error (unmatched names, detected encoding…).
    public var notes: [String]

    public init(labCode: String?, fileName: String, sha256: String, format: ImportFormat, receivedAt: Date,
                outcome: ImportOutcome, sampleCount: Int = 0, findingCount: Int = 0,
                errors: [ImportProblem] = [], notes: [String] = []) {
        self.labCode = labCode
        self.fileName = fileName
        self.sha256 = sha256
        self.format = format
        self.receivedAt = receivedAt
        self.outcome = outcome
        self.sampleCount = sampleCount
        self.findingCount = findingCount
        self.errors = errors
        self.notes = notes
    }
}
