import DrugCheckModel
import Foundation

/// The outcome of one upload, as `drugcheck import --json` reports it (snake_case members).
/// Notes that name server paths (the quarantine copy) are left out.
struct ImportResponse: Encodable {
    var file: String
    var outcome: ImportOutcome
    var format: ImportFormat
    var samples: Int
    var findings: Int
    var errors: [ImportProblem]
    var unmatched: [String]
    var unmatchedRegions: [String]
    var notes: [String]
    var batchID: Int64?
    /// An observer (the bulletin triggers) that failed after the import; the import stands.
    var observerFailures: [String]?

    enum CodingKeys: String, CodingKey {
        case file, outcome, format, samples, findings, errors, unmatched, notes, batchID = "batch_id"
        case unmatchedRegions = "unmatched_regions"
        case observerFailures = "observer_failures"
    }

    init(_ r: ImportResult) {
        file = r.file
        outcome = r.outcome
        format = r.format
        samples = r.samples
        findings = r.findings
        errors = r.errors
        unmatched = r.unmatched
        unmatchedRegions = r.unmatchedRegions
        notes = BatchResponse.publicNotes(r.notes)
        batchID = r.batchID
    }

    /// The same members inside a 422 problem document.
    var problemExtensions: [String: JSONValue] {
        [
            "file": .string(file), "outcome": .string(outcome.rawValue), "format": .string(format.rawValue),
            "batch_id": batchID.map { .number(Double($0)) } ?? .null,
            "errors": .array(errors.map { .object(["line": .number(Double($0.line)), "column": .number(Double($0.column)),
                                                   "message": .string($0.message)]) }),
            "notes": .array(notes.map(JSONValue.string)),
        ]
    }
}

/// One stored import batch (`GET /v1/imports/{id}`).
struct BatchResponse: Encodable {
    var id: Int64
    var lab: String?
    var file: String
    var sha256: String
    var format: ImportFormat
    var receivedAt: Date
    var outcome: ImportOutcome
    var samples: Int
    var findings: Int
    var errors: [ImportProblem]
    var notes: [String]

    enum CodingKeys: String, CodingKey {
        case id, lab, file, sha256, format, receivedAt = "received_at", outcome, samples, findings, errors, notes
    }

    init(id: Int64, _ b: ImportBatch) {
        self.id = id
        lab = b.labCode
        file = b.fileName
        sha256 = b.sha256
        format = b.format
        receivedAt = b.receivedAt
        outcome = b.outcome
        samples = b.sampleCount
        findings = b.findingCount
        errors = b.errors
        notes = Self.publicNotes(b.notes)
    }

    static func publicNotes(_ notes: [String]) -> [String] {
        notes.filter { !$0.hasPrefix("kept in quarantine") }
    }
}
