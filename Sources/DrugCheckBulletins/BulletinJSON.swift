import DrugCheckModel
import Foundation

/// The JSON form of a bulletin message, described by `Schemas/bulletin.schema.json`. Keys are
/// sorted and times are RFC 3339 with offset, so the same message gives the same bytes.
///
/// ```swift
/// let data = try BulletinJSON(document).encoded()
/// ```
public struct BulletinJSON: Codable, Sendable, Equatable {
    public var bulletin_id: Int64
    public var version: Int
    public var identifier: String
    public var sender: String
    public var sent: String
    public var status: String
    public var msg_type: String
    public var state: String
    public var note: String?
    public var references: [Reference]
    public var trigger: String
    public var severity: String
    public var urgency: String
    public var certainty: String
    public var substances: [String]
    public var classes: [String]
    public var relative_potency: Double?
    public var risk_tier: String
    public var sample_count: Int
    public var sample_types: [String]
    public var products: [String]
    public var sold_as: [String]
    public var regions: [Region]
    public var labs: [String]
    public var first_date: String
    public var last_date: String
    public var confidence: Confidence
    public var signal: Signal?
    public var info: [Info]
    public var evidence: [Link]
    public var cap_url: String
    /// Evidence samples with results awaiting verification (absent when none): the bulletin is provisional.
    public var provisional_samples: Int?
    /// The audit log's head (`SEQ:SHA-256`) when the message was issued; absent for a draft.
    public var audit_head: String?

    public struct Reference: Codable, Sendable, Equatable { public var identifier: String; public var sent: String }
    public struct Region: Codable, Sendable, Equatable { public var code: String; public var name: String? }
    public struct Confidence: Codable, Sendable, Equatable { public var schymanski_level: String?; public var swgdrug_category: String? }
    public struct Signal: Codable, Sendable, Equatable {
        public var method: String; public var `class`: String; public var region: String?; public var week: String
        public var observed: Double; public var upperbound: Double?
    }
    public struct Info: Codable, Sendable, Equatable {
        public var language: String; public var event: String; public var headline: String
        public var description: String; public var instruction: String; public var area_desc: String
    }
    public struct Link: Codable, Sendable, Equatable { public var title: String; public var uri: String }

    public init(_ d: BulletinDocument) {
        let f = d.facts
        bulletin_id = d.bulletinID
        version = d.version
        identifier = d.identifier
        sender = d.sender
        sent = CAPTime.string(d.sent)
        status = d.status.rawValue
        msg_type = d.messageType.rawValue
        state = d.state.rawValue
        note = d.note
        references = d.references.map { Reference(identifier: $0.identifier, sent: CAPTime.string($0.sent)) }
        trigger = f.trigger.rawValue
        severity = f.severity.rawValue
        urgency = f.urgency.rawValue
        certainty = f.certainty.rawValue
        substances = f.substanceIDs
        classes = f.classes.map(\.rawValue)
        relative_potency = f.relativePotency
        risk_tier = f.riskTier.rawValue
        sample_count = f.sampleCount
        sample_types = f.sampleTypes.map(\.rawValue)
        products = f.products
        sold_as = f.soldAs
        regions = f.regions.map { Region(code: $0, name: RegionCatalogue.bundled.name(of: $0, in: "en")) }
        labs = f.labs
        first_date = f.firstDate.description
        last_date = f.lastDate.description
        confidence = Confidence(schymanski_level: f.confidence.level?.rawValue, swgdrug_category: f.confidence.swgdrugCategory?.rawValue)
        signal = f.signal.map { Signal(method: $0.method, class: $0.reportClass.rawValue, region: $0.region, week: $0.week.description,
                                       observed: $0.observed, upperbound: $0.upperbound) }
        info = d.texts.map { Info(language: $0.language.tag, event: $0.event, headline: $0.headline, description: $0.description,
                                  instruction: $0.instruction, area_desc: $0.areaDescription) }
        evidence = d.evidence.map { Link(title: $0.title, uri: $0.uri) }
        cap_url = d.capURL
        provisional_samples = f.provisionalSamples
        audit_head = d.auditHead
    }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
