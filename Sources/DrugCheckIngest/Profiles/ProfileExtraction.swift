import DrugCheckModel
import Foundation

/// What a profile read from a file, before it becomes a ``Submission``: the samples with the fields
/// the file gives, and every finding with the values as written (units not yet mapped).
public struct ProfileExtraction: Codable, Sendable {
    public var profile: String
    public var vendor: String
    /// Why this profile was chosen (`--profile`, or the fingerprint it matched).
    public var reason: String
    public var samples: [ProfileSample]
    public var findings: [ProfileFinding]
    public var notes: [String]
}

/// A sample as a lab export describes it; every field but the id may be missing.
public struct ProfileSample: Codable, Sendable {
    public var sampleID: String
    public var sampleType: String?
    public var source: String?
    public var soldAs: String?
    public var collectedOn: String?
    public var region: String?
    public var colour: String?
    public var description: String?
    public var line: Int

    enum CodingKeys: String, CodingKey {
        case sampleID = "sample_id", sampleType = "sample_type", source, soldAs = "sold_as", collectedOn = "collected_on"
        case region, colour, description, line
    }
}

/// One finding of a lab export, as written: the substance name as the lab spelled it, the amount
/// and unit text, retention time, m/z, match score, and the analysis it belongs to.
public struct ProfileFinding: Codable, Sendable {
    public var sampleID: String
    public var substance: String
    public var detected: Bool
    public var concentration: Double?
    public var unit: String?
    public var rtMin: Double?
    public var mz: Double?
    public var matchScore: Double?
    public var technique: String
    public var instrument: String?
    public var method: String?
    public var analysedOn: String?
    public var line: Int

    enum CodingKeys: String, CodingKey {
        case sampleID = "sample_id", substance, detected, concentration, unit, rtMin = "rt_min", mz
        case matchScore = "match_score", technique, instrument, method, analysedOn = "analysed_on", line
    }

    /// Every key is written, missing values as null, so that each finding has the same shape.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sampleID, forKey: .sampleID)
        try c.encode(substance, forKey: .substance)
        try c.encode(detected, forKey: .detected)
        try c.encode(concentration, forKey: .concentration)
        try c.encode(unit, forKey: .unit)
        try c.encode(rtMin, forKey: .rtMin)
        try c.encode(mz, forKey: .mz)
        try c.encode(matchScore, forKey: .matchScore)
        try c.encode(technique, forKey: .technique)
        try c.encode(instrument, forKey: .instrument)
        try c.encode(method, forKey: .method)
        try c.encode(analysedOn, forKey: .analysedOn)
        try c.encode(line, forKey: .line)
    }
}
