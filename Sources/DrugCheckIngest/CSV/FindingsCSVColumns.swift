import DrugCheckModel
import Foundation

/// The columns of the canonical findings CSV (`Schemas/findings-csv.md`). Header names are matched
/// ignoring case, surrounding spaces, and spaces/hyphens versus underscores.
enum FindingsCSVColumn: String, CaseIterable {
    case lab, sampleID = "sample_id", sampleType = "sample_type", source, soldAs = "sold_as", description
    case brand, flavour, colour, logo
    case collectedOn = "collected_on", region, seizureContext = "seizure_context"
    case technique, instrument, method, analysedOn = "analysed_on"
    case substance, detected, concentration, unit, rtMin = "rt_min", mz, matchScore = "match_score"

    /// Required unless noted: `lab` may come from `--lab` instead.
    static let required: [FindingsCSVColumn] = [.sampleID, .sampleType, .collectedOn, .substance, .detected]
    /// A registration manifest gives the samples' own fields; the collection date may be unknown
    /// (the week then comes from the first analysis).
    static let requiredInManifest: [FindingsCSVColumn] = [.sampleID, .sampleType]
    /// Columns of results, which a registration manifest must not have.
    static let results: [FindingsCSVColumn] = [.technique, .instrument, .method, .analysedOn, .substance, .detected,
                                               .concentration, .unit, .rtMin, .mz, .matchScore]

    static let aliases: [String: FindingsCSVColumn] = [
        "flavor": .flavour, "color": .colour, "analyzed_on": .analysedOn, "sold_as_substance": .soldAs,
        "expected_substance": .soldAs, "retention_time": .rtMin, "rt": .rtMin, "m_z": .mz, "score": .matchScore,
    ]

    static func normalise(_ header: String) -> String {
        let trimmed = header.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return String(trimmed.map { $0 == " " || $0 == "-" || $0 == "/" ? "_" : $0 })
    }

    init?(header: String) {
        let key = Self.normalise(header)
        if let known = FindingsCSVColumn(rawValue: key) ?? Self.aliases[key] { self = known } else { return nil }
    }
}
