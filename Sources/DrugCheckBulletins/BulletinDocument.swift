import Foundation

/// One CAP message of a bulletin with its texts: what every output format (CAP, Atom entry,
/// JSON, Markdown, HTML) is written from.
///
/// ```swift
/// let doc = try BulletinDocument.current(bulletin, messages: store.messages(bulletinID: bulletin.id))
/// print(CAPWriter.xml(doc))
/// ```
public struct BulletinDocument: Sendable, Equatable {
    public var bulletinID: Int64
    public var version: Int
    public var identifier: String
    public var sender: String
    public var senderName: String
    public var sent: Date
    public var status: CAPStatus
    public var messageType: CAPMessageType
    public var state: BulletinState
    public var note: String?
    /// Earlier published messages this one updates, cancels or corrects (oldest first).
    public var references: [Reference]
    public var facts: BulletinFacts
    /// One per language, in the requested order.
    public var texts: [LocalizedTexts]
    public var baseURL: String
    /// The audit log's head (`SEQ:SHA-256`, as `drugcheck audit verify --expect-head` takes it)
    /// when the message was issued; nil for a draft.
    public var auditHead: String?

    public struct Reference: Sendable, Equatable, Codable {
        public var identifier: String
        public var sent: Date
    }

    /// Links to the evidence, as served by `drugcheck serve`: the weekly report of each week
    /// involved and each sample (by its opaque id; readable by its own lab and by reviewers).
    public var evidence: [(title: String, uri: String)] {
        facts.weeks.map { ("Weekly report \($0)", "\(baseURL)/v1/reports/weekly/\($0)") }
            + facts.sampleIDs.map { ("Sample \($0)", "\(baseURL)/v1/evidence/samples/\($0)") }
    }

    /// Where the bulletin's CAP document is served.
    public var capURL: String { "\(baseURL)/v1/bulletins/\(bulletinID).cap" }
    public var webURL: String { "\(baseURL)/v1/bulletins/\(bulletinID).html" }

    /// A published message, referencing the messages published before it.
    public static func published(_ message: PublishedMessage, history: [PublishedMessage], state: BulletinState,
                                 configuration: BulletinConfiguration = .init(), languages: [BulletinLanguage] = BulletinLanguage.allCases,
                                 texts: BulletinTexts = .bundled) throws -> BulletinDocument {
        BulletinDocument(
            bulletinID: message.bulletinID, version: message.version, identifier: message.identifier, sender: configuration.sender,
            senderName: configuration.senderName, sent: message.sent, status: configuration.status, messageType: message.messageType,
            state: state, note: message.note,
            references: history.filter { $0.version < message.version }.map { Reference(identifier: $0.identifier, sent: $0.sent) },
            facts: message.facts,
            texts: try languages.map { try texts.render(message.facts, in: $0, windowDays: configuration.cluster.windowDays) },
            baseURL: configuration.baseURL, auditHead: message.auditHead)
    }

    /// The bulletin as it stands: its latest published message, or, while a draft or approved
    /// version is pending, a preview with CAP status `Draft` and the identifier it will get.
    public static func current(_ bulletin: Bulletin, messages: [PublishedMessage], configuration: BulletinConfiguration = .init(),
                               languages: [BulletinLanguage] = BulletinLanguage.allCases,
                               texts: BulletinTexts = .bundled) throws -> BulletinDocument {
        if let last = messages.last, last.version == bulletin.version {
            return try published(last, history: messages, state: bulletin.state, configuration: configuration,
                                 languages: languages, texts: texts)
        }
        let preview = PublishedMessage(bulletinID: bulletin.id, version: bulletin.version,
                                       identifier: CAPIdentifier.make(bulletinID: bulletin.id, version: bulletin.version),
                                       sent: CAPTime.truncated(bulletin.updatedAt), messageType: bulletin.messageType,
                                       facts: bulletin.facts, note: bulletin.note)
        var document = try published(preview, history: messages, state: bulletin.state, configuration: configuration,
                                     languages: languages, texts: texts)
        if bulletin.state != .published { document.status = .draft }
        return document
    }
}
