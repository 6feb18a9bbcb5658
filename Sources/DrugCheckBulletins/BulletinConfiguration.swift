import DrugCheckModel
import Foundation

/// Which triggers run and with which thresholds, and how bulletins are issued. Every field has
/// a default: a JSON file only needs the top-level keys it changes, and a trigger section, when
/// given, lists all of that section's fields (as `JSONEncoder` writes them).
///
/// ```swift
/// var config = BulletinConfiguration()
/// config.highPotency.morphineMultiple = 500
/// config.cluster.minimumSamples = 2
/// let result = try BulletinScanner(database: db, configuration: config).scan(actor: "scanner")
/// ```
public struct BulletinConfiguration: Codable, Sendable, Equatable {
    public var sender = "drugcheck@example.org"
    public var senderName = "DrugCheck early-warning system"
    /// Base of the evidence and CAP links (the DrugCheck HTTP server).
    public var baseURL = "http://localhost:8080"
    public var status: CAPStatus = .actual
    public var firstDetection = FirstDetection()
    public var highPotency = HighPotency()
    public var unexpectedAdulteration = Toggle()
    public var signal = Signal()
    public var cluster = Cluster()
    /// Detections of the same subject less than this many days apart belong to the same event
    /// (triggers 2 and 3): a new bulletin only after a quiet period this long.
    public var eventGapDays = 28
    /// A scan looks at the samples of this many days up to the newest sample, so that it stays
    /// fast and small on years of data; older samples only tell which substances were seen
    /// before (trigger 1). Long enough for the signal baselines (EARS C3 needs 12 weeks).
    public var scanWindowDays = 182

    public init() {}

    public struct Toggle: Codable, Sendable, Equatable {
        public var enabled = true
        public init() {}
    }

    public struct FirstDetection: Codable, Sendable, Equatable {
        public var enabled = true
        /// Substance classes whose first detection is news; stimulants and cuts are not.
        public var classes: [SubstanceClass] = [.fentanylAnalogue, .nitazene, .otherNSO, .xylazineMedetomidine, .syntheticCannabinoid]
        /// Publish without review (four-eyes exception for triggers 1–2).
        public var publishImmediately = false
        public init() {}
    }

    public struct HighPotency: Codable, Sendable, Equatable {
        public var enabled = true
        /// Potency relative to morphine from which an opioid counts as high potency
        /// (`Substance.isHighPotency`); by default `Potency.highMorphineMultiple`.
        public var morphineMultiple = Potency.highMorphineMultiple
        public var publishImmediately = false
        public init() {}
    }

    public struct Signal: Codable, Sendable, Equatable {
        public var enabled = true
        public var method = "ears-c1"
        /// Classes whose weekly positive counts are monitored.
        public var classes: [ReportClass] = [.anySyntheticOpioid, .fentanylAnalogue, .nitazene, .otherNSO, .xylazineMedetomidine]
        /// Also monitor each region's series, not only the national one.
        public var perRegion = true
        /// Alarms in this many latest weeks with data raise bulletins (older alarms are history).
        public var recentWeeks = 1
        public init() {}
    }

    public struct Cluster: Codable, Sendable, Equatable {
        public var enabled = true
        public var windowDays = 14
        public var minimumSamples = 3
        public var byProduct = true
        public var byRegion = true
        public init() {}
    }

    /// Reads a JSON configuration file; absent top-level keys keep their defaults.
    public init(contentsOf url: URL) throws {
        self = try JSONDecoder().decode(Self.self, from: Data(contentsOf: url))
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self()
        sender = try c.decodeIfPresent(String.self, forKey: .sender) ?? d.sender
        senderName = try c.decodeIfPresent(String.self, forKey: .senderName) ?? d.senderName
        baseURL = try c.decodeIfPresent(String.self, forKey: .baseURL) ?? d.baseURL
        status = try c.decodeIfPresent(CAPStatus.self, forKey: .status) ?? d.status
        firstDetection = try c.decodeIfPresent(FirstDetection.self, forKey: .firstDetection) ?? d.firstDetection
        highPotency = try c.decodeIfPresent(HighPotency.self, forKey: .highPotency) ?? d.highPotency
        unexpectedAdulteration = try c.decodeIfPresent(Toggle.self, forKey: .unexpectedAdulteration) ?? d.unexpectedAdulteration
        signal = try c.decodeIfPresent(Signal.self, forKey: .signal) ?? d.signal
        cluster = try c.decodeIfPresent(Cluster.self, forKey: .cluster) ?? d.cluster
        eventGapDays = try c.decodeIfPresent(Int.self, forKey: .eventGapDays) ?? d.eventGapDays
        scanWindowDays = try c.decodeIfPresent(Int.self, forKey: .scanWindowDays) ?? d.scanWindowDays
    }

    /// Whether bulletins of `trigger` skip the review (only triggers 1–2 may).
    public func publishesImmediately(_ trigger: TriggerKind) -> Bool {
        switch trigger {
        case .firstDetection: firstDetection.publishImmediately
        case .highPotency: highPotency.publishImmediately
        default: false
        }
    }
}
