import Foundation

/// The physical form a sample came in. Vape refills are reported on their own because
/// seized refill capsules turned out to carry synthetic opioids in most cases.
public enum SampleType: String, Codable, CaseIterable, Sendable {
    case vapeRefill = "vape_refill"
    case eLiquid = "e_liquid"
    case powder, tablet, capsule, liquid, herbal, blotter, residue, other
}

/// Which date placed a sample in its ISO week: its collection date, or (when the lab gave none)
/// its first analysis date. Reports say how many samples were placed by analysis.
public enum WeekBasis: String, Codable, Sendable {
    case collected, analysed
}

/// How the sample reached the lab.
public enum SampleSource: String, Codable, CaseIterable, Sendable {
    case drugChecking = "drug_checking"
    case policeSeizure = "police_seizure"
    case customsSeizure = "customs_seizure"
    case other
}

/// What the product looked like: clusters of positive samples are found through these.
public struct ProductDescription: Codable, Hashable, Sendable {
    public var brand: String?
    public var flavour: String?
    public var colour: String?
    public var logo: String?
    /// Anything else the lab wrote about the product.
    public var text: String?

    public init(brand: String? = nil, flavour: String? = nil, colour: String? = nil, logo: String? = nil, text: String? = nil) {
        self.brand = brand
        self.flavour = flavour
        self.colour = colour
        self.logo = logo
        self.text = text
    }

    public var isEmpty: Bool { [brand, flavour, colour, logo, text].allSatisfy { $0 == nil } }
}

/// One submitted sample with everything the lab measured on it.
///
/// A sample is identified by its lab and the lab's own sample id; the pair is unique.
public struct Sample: Codable, Hashable, Sendable {
    public var labCode: String
    public var labSampleID: String
    public var type: SampleType
    public var source: SampleSource
    /// What the sample was sold as or expected to be, as written by the lab.
    public var soldAs: String?
    /// Catalogue id of the sold-as substance when the text names one.
    public var soldAsSubstanceID: String?
    public var description: ProductDescription
    public var collectedOn: CalendarDate?
    /// NUTS code (e.g. `BE211`) or free text.
    public var region: String?
    public var seizureContext: String?
    /// Columns the importer did not know, kept rather than dropped.
    public var attributes: [String: String]
    public var analyses: [Analysis]

    public init(
        labCode: String, labSampleID: String, type: SampleType, source: SampleSource = .other,
        soldAs: String? = nil, soldAsSubstanceID: String? = nil, description: ProductDescription = .init(),
        collectedOn: CalendarDate? = nil, region: String? = nil, seizureContext: String? = nil,
        attributes: [String: String] = [:], analyses: [Analysis] = []
    ) {
        self.labCode = labCode
        self.labSampleID = labSampleID
        self.type = type
        self.source = source
        self.soldAs = soldAs
        self.soldAsSubstanceID = soldAsSubstanceID
        self.description = description
        self.collectedOn = collectedOn
        self.region = region
        self.seizureContext = seizureContext
        self.attributes = attributes
        self.analyses = analyses
    }

    /// Every finding of every analysis.
    public var findings: [Finding] { analyses.flatMap(\.findings) }

    /// The date that places the sample in a week: collection, else the first analysis.
    public var referenceDate: CalendarDate? {
        collectedOn ?? analyses.compactMap(\.analysedOn).min()
    }

    /// The ISO week the sample counts in, and which date placed it there.
    public var weekPlacement: (week: ISOWeek, basis: WeekBasis)? {
        if let collectedOn { return (collectedOn.isoWeek, .collected) }
        return analyses.compactMap(\.analysedOn).min().map { ($0.isoWeek, .analysed) }
    }
}

extension Sample {
    /// The analyses whose results count: all but the rejected ones.
    public var countedAnalyses: [Analysis] { analyses.filter { $0.status != .rejected } }

    /// Some counted result still awaits verification: reports show the sample as provisional.
    public var isProvisional: Bool { countedAnalyses.contains { $0.status == .submitted } }

    /// The sample's own fields on which `other` (another row or record of the same sample) gives a
    /// different value: field name, this sample's value, the other's. A value given on one side
    /// only is no disagreement.
    public func disagreements(with other: Sample) -> [(field: String, mine: String, theirs: String)] {
        let pairs: [(String, String?, String?)] = [
            ("sample_type", type.rawValue, other.type.rawValue),
            ("source", source.rawValue, other.source.rawValue),
            ("collected_on", collectedOn?.description, other.collectedOn?.description),
            ("sold_as", soldAs, other.soldAs),
            ("region", region, other.region),
        ]
        return pairs.compactMap { name, mine, theirs in
            guard let mine, let theirs, mine != theirs else { return nil }
            return (name, mine, theirs)
        }
    }
}
