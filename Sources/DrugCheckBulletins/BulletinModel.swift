import Foundation

/// Why a bulletin was raised: the five early-warning triggers of issue 6.
public enum TriggerKind: String, Codable, CaseIterable, Sendable, Comparable {
    /// 1. A substance detected for the first time in the database.
    case firstDetection = "first_detection"
    /// 2. Carfentanil, a nitazene, or a potency above the configured multiple of morphine.
    case highPotency = "high_potency"
    /// 3. A synthetic opioid where the sold-as substance is not an opioid, or in a vape refill.
    case unexpectedAdulteration = "unexpected_adulteration"
    /// 4. An EARS/CUSUM alarm on the weekly positive counts of a class (all regions or one region).
    case statisticalSignal = "statistical_signal"
    /// 5. Several positive samples of one product description or one region within a window.
    case cluster

    /// The trigger number used in the issue and the configuration (1…5).
    public var number: Int { Self.allCases.firstIndex(of: self)! + 1 }

    public static func < (l: Self, r: Self) -> Bool { l.number < r.number }
}

/// Where a bulletin is in its review: `draft → approved → published`, or `cancelled`.
public enum BulletinState: String, Codable, CaseIterable, Sendable {
    case draft, approved, published, cancelled
}

/// CAP 1.2 `msgType`.
public enum CAPMessageType: String, Codable, Sendable {
    case alert = "Alert", update = "Update", cancel = "Cancel", error = "Error"
}

/// CAP 1.2 `status`: real alerts, exercises, tests and drafts are kept apart by receivers.
public enum CAPStatus: String, Codable, CaseIterable, Sendable {
    case actual = "Actual", exercise = "Exercise", test = "Test", draft = "Draft"
}

/// CAP 1.2 `severity`, ordered from least to most severe.
public enum CAPSeverity: String, Codable, CaseIterable, Sendable, Comparable {
    case unknown = "Unknown", minor = "Minor", moderate = "Moderate", severe = "Severe", extreme = "Extreme"

    private var order: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (l: Self, r: Self) -> Bool { l.order < r.order }
}

/// CAP 1.2 `urgency`.
public enum CAPUrgency: String, Codable, Sendable {
    case immediate = "Immediate", expected = "Expected", future = "Future", past = "Past", unknown = "Unknown"
}

/// CAP 1.2 `certainty`.
public enum CAPCertainty: String, Codable, Sendable {
    case observed = "Observed", likely = "Likely", possible = "Possible", unlikely = "Unlikely", unknown = "Unknown"
}

/// The languages bulletins are written in; each becomes one CAP `info` block.
public enum BulletinLanguage: String, Codable, CaseIterable, Sendable {
    case en, nl, fr, de

    /// RFC 3066 tag used in CAP `language` and HTML `lang`.
    public var tag: String {
        switch self {
        case .en: "en-GB"
        case .nl: "nl-BE"
        case .fr: "fr-BE"
        case .de: "de-DE"
        }
    }
}

/// A bulletin as stored: its event, review state, current CAP message type and the facts that
/// its texts are rendered from.
///
/// ```swift
/// let bulletin = try BulletinStore(database: db).bulletin(id: 3)!
/// print(bulletin.state, bulletin.messageType, bulletin.facts.headlineSubstance)
/// ```
public struct Bulletin: Codable, Sendable, Equatable {
    public var id: Int64
    public var trigger: TriggerKind
    /// What the event is about, e.g. `high_potency:carfentanil` or `cluster:region:BE251`.
    public var subject: String
    public var state: BulletinState
    public var messageType: CAPMessageType
    /// Raised on every change that is published as a new CAP message.
    public var version: Int
    public var facts: BulletinFacts
    /// Why a bulletin was cancelled or declared an error (CAP `note`).
    public var note: String?
    public var createdBy: String
    public var editedBy: String
    public var approvedBy: String?
    public var createdAt: Date
    public var updatedAt: Date
    /// Why a reviewer must look at it again: its evidence was amended after publication.
    public var reviewFlag: String?
}

/// A CAP message that went out: every publication of a bulletin (alert, update, cancel, error).
public struct PublishedMessage: Codable, Sendable, Equatable {
    public var bulletinID: Int64
    public var version: Int
    public var identifier: String
    public var sent: Date
    public var messageType: CAPMessageType
    public var facts: BulletinFacts
    public var note: String?
    /// The audit log's head (`SEQ:SHA-256`) when the message was issued.
    public var auditHead: String?
}

/// One line of the audit log.
public struct AuditEntry: Codable, Sendable, Equatable {
    public var bulletinID: Int64
    public var action: String
    public var actor: String
    public var at: Date
    public var detail: String?
}
