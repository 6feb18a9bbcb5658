import DrugCheckModel
import DrugCheckStore
import Foundation
import GRDB

/// Someone who receives bulletins by webhook, with what they want to receive.
///
/// ```swift
/// let s = Subscriber(name: "poison-centre", url: "https://example.org/hook", secret: "…",
///                    classes: [.nitazene], regions: ["BE2"], minimumSeverity: .severe, languages: [.nl, .fr])
/// try Subscribers(database: db).add(s)
/// ```
public struct Subscriber: Codable, Sendable, Equatable {
    public enum Format: String, Codable, CaseIterable, Sendable { case cap, json }

    public var id: Int64?
    public var name: String
    public var url: String
    /// Shared secret of the HMAC-SHA256 signature.
    public var secret: String
    public var format: Format
    /// Report classes of interest; empty means all.
    public var classes: [ReportClass]
    /// Region code prefixes (NUTS: `BE2` covers `BE251`); empty means everywhere.
    public var regions: [String]
    public var minimumSeverity: CAPSeverity
    /// Languages of the CAP `info` blocks sent; empty means all four.
    public var languages: [BulletinLanguage]
    /// The subscriber user who manages it in the web app; nil when an administrator does.
    public var owner: String?

    public init(id: Int64? = nil, name: String, url: String, secret: String, format: Format = .cap, classes: [ReportClass] = [],
                regions: [String] = [], minimumSeverity: CAPSeverity = .unknown, languages: [BulletinLanguage] = [], owner: String? = nil) {
        self.id = id
        self.name = name
        self.url = url
        self.secret = secret
        self.format = format
        self.classes = classes
        self.regions = regions
        self.minimumSeverity = minimumSeverity
        self.languages = languages
        self.owner = owner
    }

    /// Whether a bulletin with these facts goes to this subscriber. A national bulletin (no
    /// region) goes to every regional subscriber too.
    public func wants(_ facts: BulletinFacts) -> Bool {
        (classes.isEmpty || !Set(classes).isDisjoint(with: facts.classes))
            && (regions.isEmpty || facts.regions.isEmpty || facts.regions.contains { r in regions.contains { r.hasPrefix($0) } })
            && facts.severity >= minimumSeverity
    }

    public var effectiveLanguages: [BulletinLanguage] { languages.isEmpty ? BulletinLanguage.allCases : languages }
}

/// Adds, lists and removes subscribers, on SQLite or PostgreSQL (any ``StoredRowWriter``).
public struct Subscribers: Sendable {
    public let writer: any StoredRowWriter
    public let addresses: WebhookAddressPolicy

    public init(writer: any StoredRowWriter, addresses: WebhookAddressPolicy = .fromEnvironment) {
        self.writer = writer
        self.addresses = addresses
    }

    public init(database: DrugCheckDatabase, addresses: WebhookAddressPolicy = .fromEnvironment) {
        self.init(writer: database, addresses: addresses)
    }

    public struct InvalidSubscriber: Error, CustomStringConvertible {
        public var description: String
    }

    /// Adds a subscriber; the change is recorded in the audit log as `actor`'s.
    @discardableResult
    public func add(_ subscriber: Subscriber, at now: Date = Date(), actor: String = "cli") throws -> Int64 {
        try Self.checkName(subscriber.name)
        do {
            try addresses.checkResolvedIfKnown(try addresses.checkURL(subscriber.url))
        } catch let refused as WebhookAddressPolicy.Refused {
            throw InvalidSubscriber(description: refused.description)
        }
        guard !subscriber.secret.isEmpty else { throw InvalidSubscriber(description: "a signing secret is required") }
        for region in subscriber.regions { try Self.checkRegion(region) }
        return try writer.writeTransaction { db in
            guard try db.rows("SELECT 1 FROM subscriber WHERE name = ?", [.text(subscriber.name)]).isEmpty else {
                throw InvalidSubscriber(description: "a subscriber named '\(subscriber.name)' already exists")
            }
            let id = try db.insertReturningID(SubscriberRecord(subscriber, createdAt: now))
            try AuditLog.append(.subscriber, subject: "subscriber:\(subscriber.name)", actor: actor,
                                details: ["action": "added", "url": subscriber.url, "format": subscriber.format.rawValue], in: db)
            return id
        }
    }

    /// A name to show and log: 1–100 characters, no control characters.
    static func checkName(_ name: String) throws {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty, name.count <= 100,
              !name.unicodeScalars.contains(where: { [.control, .format, .lineSeparator, .paragraphSeparator].contains($0.properties.generalCategory) }) else {
            throw InvalidSubscriber(description: "subscriber name: expected 1 to 100 characters without control characters")
        }
    }

    /// A region filter is a NUTS code (or its prefix); in a country the region table covers, one it knows.
    static func checkRegion(_ code: String) throws {
        let nuts = code.count >= 2 && code.count <= 5 && code.prefix(2).allSatisfy { $0.isASCII && $0.isUppercase }
            && code.dropFirst(2).allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber) }
        let catalogue = RegionCatalogue.bundled
        guard nuts, code.count == 2 || !catalogue.covers(country: String(code.prefix(2))) || catalogue.name(of: code, in: "en") != nil else {
            throw InvalidSubscriber(description: "region '\(code)': expected a NUTS code such as BE2 or BE251 (see Sources/DrugCheckModel/Resources/regions)")
        }
    }

    /// Every subscriber, or those one user manages.
    public func list(owner: String? = nil) throws -> [Subscriber] {
        try Self.list(from: writer, owner: owner)
    }

    /// The same from any backend (the SQLite store or a PostgreSQL session).
    public static func list(from reader: any StoredRowReader, owner: String? = nil) throws -> [Subscriber] {
        try SubscriberRecord.read(from: reader, owner.map { ("WHERE owner = ? ORDER BY id", [.text($0)]) } ?? ("ORDER BY id", [])).map(\.model)
    }

    /// Changes what a subscriber receives (classes, regions, minimum severity, languages); the
    /// address and secret stay. Recorded in the audit log as `actor`'s. Returns whether it existed.
    @discardableResult
    public func setFilters(name: String, classes: [ReportClass], regions: [String], minimumSeverity: CAPSeverity,
                           languages: [BulletinLanguage], actor: String) throws -> Bool {
        for region in regions { try Self.checkRegion(region) }
        func json<T: Encodable>(_ v: T) throws -> String { String(decoding: try JSONEncoder().encode(v), as: UTF8.self) }
        return try writer.writeTransaction { db in
            guard try !db.rows("""
                UPDATE subscriber SET classes = ?, regions = ?, min_severity = ?, languages = ? WHERE name = ? RETURNING id
                """, [.text(try json(classes)), .text(try json(regions)), .text(minimumSeverity.rawValue), .text(try json(languages)),
                      .text(name)]).isEmpty else { return false }
            try AuditLog.append(.subscriber, subject: "subscriber:\(name)", actor: actor, details: [
                "action": "filters changed", "classes": classes.map(\.rawValue).joined(separator: ","),
                "regions": regions.joined(separator: ","), "min_severity": minimumSeverity.rawValue,
            ], in: db)
            return true
        }
    }

    /// Removes a subscriber by name; its pending deliveries go with it. Returns whether it existed.
    /// The removal is recorded in the audit log as `actor`'s.
    @discardableResult
    public func remove(name: String, actor: String = "cli") throws -> Bool {
        try writer.writeTransaction { db in
            guard try !db.rows("DELETE FROM subscriber WHERE name = ? RETURNING id", [.text(name)]).isEmpty else { return false }
            try AuditLog.append(.subscriber, subject: "subscriber:\(name)", actor: actor, details: ["action": "removed"], in: db)
            return true
        }
    }
}

struct SubscriberRecord: Codable, ReadableRecord, EncodableRecord, TableRecord {
    static let databaseTableName = "subscriber"
    static let readColumns = ["id", "name", "url", "secret", "format", "classes", "regions", "min_severity", "languages", "created_at", "owner"]
    var id: Int64?
    var name: String
    var url: String
    var secret: String
    var format: String
    var classes: String
    var regions: String
    var minSeverity: String
    var languages: String
    var createdAt: Date
    var owner: String?

    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    init(_ s: Subscriber, createdAt: Date) {
        func json<T: Encodable>(_ v: T) -> String { String(decoding: try! JSONEncoder().encode(v), as: UTF8.self) }
        id = s.id
        name = s.name
        url = s.url
        secret = s.secret
        format = s.format.rawValue
        classes = json(s.classes)
        regions = json(s.regions)
        minSeverity = s.minimumSeverity.rawValue
        languages = json(s.languages)
        self.createdAt = createdAt
        owner = s.owner
    }

    var model: Subscriber {
        func decode<T: Decodable>(_ t: T.Type, _ text: String) -> T? { try? JSONDecoder().decode(t, from: Data(text.utf8)) }
        return Subscriber(id: id, name: name, url: url, secret: secret, format: Subscriber.Format(rawValue: format) ?? .cap,
                          classes: decode([ReportClass].self, classes) ?? [], regions: decode([String].self, regions) ?? [],
                          minimumSeverity: CAPSeverity(rawValue: minSeverity) ?? .unknown,
                          languages: decode([BulletinLanguage].self, languages) ?? [], owner: owner)
    }
}
