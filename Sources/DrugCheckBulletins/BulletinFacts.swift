import DrugCheckModel
import Foundation

/// What a bulletin says, in data: the texts of every language and every format are rendered
/// from these facts. Lists are sorted, so the same event always gives the same facts.
///
/// Nothing here identifies a person: samples are referred to by their opaque database id, and
/// free-text fields that may name someone (seizure context, extra columns) are never copied.
public struct BulletinFacts: Codable, Sendable, Equatable {
    public var trigger: TriggerKind
    /// Catalogue ids of the substances involved (most potent first), and their display names.
    public var substanceIDs: [String]
    public var substanceNames: [String]
    public var classes: [ReportClass]
    /// Highest potency relative to morphine among the substances, with its source.
    public var relativePotency: Double?
    public var potencySource: String?
    public var riskTier: RiskTier
    public var sampleCount: Int
    public var sampleTypes: [SampleType]
    /// Product descriptions as written by the labs (brand, flavour, colour, logo).
    public var products: [String]
    /// What the samples were sold as, for unexpected adulteration.
    public var soldAs: [String]
    /// Region codes (NUTS or free text) of the samples.
    public var regions: [String]
    public var labs: [String]
    public var firstDate: CalendarDate
    public var lastDate: CalendarDate
    /// The best identification among the evidence.
    public var confidence: ConfidenceSummary
    /// Database ids of the evidence samples, ascending.
    public var sampleIDs: [Int64]
    public var weeks: [ISOWeek]
    /// For trigger 4: the alarm.
    public var signal: SignalFacts?
    /// For trigger 5: what the samples share, `product` or `region`.
    public var clusterBasis: String?
    /// Evidence samples with results still awaiting verification: the bulletin says it is provisional.
    public var provisionalSamples: Int?

    public init(trigger: TriggerKind, substanceIDs: [String] = [], substanceNames: [String] = [], classes: [ReportClass] = [],
                relativePotency: Double? = nil, potencySource: String? = nil, riskTier: RiskTier = .none,
                sampleCount: Int = 0, sampleTypes: [SampleType] = [], products: [String] = [], soldAs: [String] = [],
                regions: [String] = [], labs: [String] = [], firstDate: CalendarDate, lastDate: CalendarDate,
                confidence: ConfidenceSummary = .init(), sampleIDs: [Int64] = [], weeks: [ISOWeek] = [], signal: SignalFacts? = nil) {
        self.trigger = trigger
        self.substanceIDs = substanceIDs
        self.substanceNames = substanceNames
        self.classes = classes
        self.relativePotency = relativePotency
        self.potencySource = potencySource
        self.riskTier = riskTier
        self.sampleCount = sampleCount
        self.sampleTypes = sampleTypes
        self.products = products
        self.soldAs = soldAs
        self.regions = regions
        self.labs = labs
        self.firstDate = firstDate
        self.lastDate = lastDate
        self.confidence = confidence
        self.sampleIDs = sampleIDs
        self.weeks = weeks
        self.signal = signal
    }
}

/// The strongest identification behind a bulletin: Schymanski level and SWGDRUG category.
public struct ConfidenceSummary: Codable, Sendable, Equatable {
    public var level: SchymanskiLevel?
    public var swgdrugCategory: SWGDRUGCategory?

    public init(level: SchymanskiLevel? = nil, swgdrugCategory: SWGDRUGCategory? = nil) {
        self.level = level
        self.swgdrugCategory = swgdrugCategory
    }

    /// A confirmed structure or a category A technique is an observation; a library match or
    /// category B is likely; anything weaker is possible.
    public var certainty: CAPCertainty {
        if level == .level1 || swgdrugCategory == .a { return .observed }
        if level == .level2a || level == .level2b || swgdrugCategory == .b { return .likely }
        return .possible
    }

    /// Short label such as `Schymanski 2a, SWGDRUG A`, or `unknown`.
    public var label: String {
        let parts = [level.map { "Schymanski \($0.rawValue)" }, swgdrugCategory.map { "SWGDRUG \($0.rawValue)" }].compactMap { $0 }
        return parts.isEmpty ? "unknown" : parts.joined(separator: ", ")
    }
}

/// The weekly-count alarm behind a trigger-4 bulletin.
public struct SignalFacts: Codable, Sendable, Equatable {
    public var method: String
    public var reportClass: ReportClass
    /// `nil` for all regions together.
    public var region: String?
    public var week: ISOWeek
    public var observed: Double
    public var upperbound: Double?
}

extension BulletinFacts {
    /// CAP severity from the risk tier of the evidence (a signal on synthetic opioids is severe).
    public var severity: CAPSeverity {
        if trigger == .statisticalSignal {
            return classes.contains(where: { [.anySyntheticOpioid, .fentanylAnalogue, .nitazene, .otherNSO].contains($0) })
                ? .severe : .moderate
        }
        switch riskTier {
        case .critical: return .extreme
        case .high: return .severe
        case .moderate: return .moderate
        case .low: return .minor
        case .none: return .unknown
        }
    }

    /// Triggers 1 and 2 call for action now; the others when they are at least severe.
    public var urgency: CAPUrgency {
        switch trigger {
        case .firstDetection, .highPotency: .immediate
        case .statisticalSignal: .expected
        case .unexpectedAdulteration, .cluster: severity >= .severe ? .immediate : .expected
        }
    }

    /// A statistical signal is likely; a detection is as certain as its best identification.
    public var certainty: CAPCertainty { trigger == .statisticalSignal ? .likely : confidence.certainty }

    /// The most potent substance's name, or the class for a signal.
    public var headlineSubstance: String { substanceNames.first ?? classes.first?.rawValue ?? "" }
}
