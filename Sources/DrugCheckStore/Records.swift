import DrugCheckModel
import Foundation
import GRDB

/// Row types of the tables in `Migrations/Migration+V1Core.swift`. They are the store's private
/// mapping; the rest of DrugCheck sees the model's value types.
/// Records whose Swift property names are the camel-case form of their snake_case columns.
protocol SnakeCaseColumns: FetchableRecord, EncodableRecord {}

extension SnakeCaseColumns {
    static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }
}

struct LabRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "lab"
    var code: String
    var name: String
    var country: String
}

struct BatchRecord: Codable, SnakeCaseColumns, MutablePersistableRecord {
    static let databaseTableName = "import_batch"
    var id: Int64?
    var labCode: String?
    var fileName: String
    var sha256: String
    var format: String
    var receivedAt: Date
    var outcome: String
    var sampleCount: Int
    var findingCount: Int
    var errors: String
    var notes: String
    var quarantinePath: String?

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

struct SampleRecord: Codable, SnakeCaseColumns, MutablePersistableRecord {
    static let databaseTableName = "sample"
    var id: Int64?
    var labCode: String
    var labSampleId: String
    var sampleType: String
    var source: String
    var soldAs: String?
    var soldAsSubstanceId: String?
    var brand: String?
    var flavour: String?
    var colour: String?
    var logo: String?
    var description: String?
    var collectedOn: String?
    var region: String?
    var seizureContext: String?
    var attributes: String
    var isoWeek: String?
    var weekBasis: String?
    var firstBatchId: Int64

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

struct AnalysisRecord: Codable, SnakeCaseColumns, MutablePersistableRecord {
    static let databaseTableName = "analysis"
    var id: Int64?
    var sampleId: Int64
    var batchId: Int64
    var technique: String
    var instrument: String?
    var method: String?
    var analysedOn: String?
    var status: String
    var verifiedBy: String?
    var verificationRule: String?
    var verifiedAt: String?
    var rejectionReason: String?

    /// The verification as the model has it; nil while submitted and undecided.
    var verification: Verification? {
        guard let status = ResultStatus(rawValue: status), status != .submitted else { return nil }
        return Verification(status: status, verifiedBy: verifiedBy, rule: verificationRule,
                            at: verifiedAt.flatMap { try? Date($0, strategy: .iso8601) }, reason: rejectionReason)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

struct FindingRecord: Codable, SnakeCaseColumns, MutablePersistableRecord {
    static let databaseTableName = "finding"
    var id: Int64?
    var analysisId: Int64
    var reportedName: String
    var substanceId: String?
    var detected: Bool
    var concentration: Double?
    var unit: String?
    var rtMin: Double?
    var mz: Double?
    var matchScore: Double?
    var confidence: String?

}

struct ClassificationRecord: Codable, SnakeCaseColumns, PersistableRecord {
    static let databaseTableName = "sample_classification"
    var sampleId: Int64
    var anySyntheticOpioid: Bool
    var fentanylAnalogue: Bool
    var nitazene: Bool
    var otherNso: Bool
    var classicOpioid: Bool
    var xylazineMedetomidine: Bool
    var syntheticCannabinoid: Bool
    var unexpected: Bool
    var riskTier: String
    var highestPotencySubstanceId: String?
    var suspectedNewAnalogue: Bool
    var rulesVersion: String

    var model: SampleClassification {
        let flags: [(ReportClass, Bool)] = [
            (.anySyntheticOpioid, anySyntheticOpioid), (.fentanylAnalogue, fentanylAnalogue), (.nitazene, nitazene),
            (.otherNSO, otherNso), (.classicOpioid, classicOpioid), (.xylazineMedetomidine, xylazineMedetomidine),
            (.syntheticCannabinoid, syntheticCannabinoid),
        ]
        return SampleClassification(positiveClasses: Set(flags.filter(\.1).map(\.0)), unexpected: unexpected,
                                    riskTier: RiskTier(rawValue: riskTier) ?? .none,
                                    highestPotencySubstanceID: highestPotencySubstanceId,
                                    suspectedNewAnalogue: suspectedNewAnalogue, rulesVersion: rulesVersion)
    }
}

/// JSON text columns.
enum JSONColumn {
    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String?) -> T? {
        guard let text else { return nil }
        return try? JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
