import Crypto
import Foundation

/// An Atom 1.0 feed (RFC 4287) of published bulletins, each entry linking its CAP document
/// (`rel="alternate"`, `type="application/cap+xml"`), as CAP index feeds do.
///
/// Entry ids are derived from the sender and the bulletin id only, so an updated bulletin keeps
/// its entry and only `updated` moves; `published` is the first message's time. The feed's
/// `updated` is the newest entry's (or `emptyFeedUpdated` when there is none).
///
/// ```swift
/// let feed = try AtomFeedWriter(configuration: config, language: .en).publishedFeed(store: BulletinStore(database: db))
/// print(String(decoding: feed.body, as: UTF8.self))
/// ```
public struct AtomFeedWriter: Sendable {
    public var configuration: BulletinConfiguration
    /// Language of the entry titles and summaries.
    public var language: BulletinLanguage

    public init(configuration: BulletinConfiguration = .init(), language: BulletinLanguage = .en) {
        self.configuration = configuration
        self.language = language
    }

    /// One entry: the latest message of a bulletin and the time of its first publication.
    public struct Entry: Sendable {
        public var document: BulletinDocument
        public var firstPublished: Date

        public init(document: BulletinDocument, firstPublished: Date) {
            self.document = document
            self.firstPublished = firstPublished
        }
    }

    /// Entries of every published bulletin, newest first (ties by bulletin id, descending).
    public static func entries(store: BulletinStore, configuration: BulletinConfiguration, language: BulletinLanguage,
                               texts: BulletinTexts = .bundled) throws -> [Entry] {
        try store.latestMessages().map { latest in
            let history = try store.messages(bulletinID: latest.bulletinID)
            let state = try store.bulletin(id: latest.bulletinID)?.state ?? .published
            let document = try BulletinDocument.published(latest, history: history, state: state, configuration: configuration,
                                                          languages: [language], texts: texts)
            return Entry(document: document, firstPublished: history.first?.sent ?? latest.sent)
        }
    }

    /// The feed of every published bulletin as `drugcheck bulletins feed` prints it and
    /// `GET /v1/bulletins/feed.atom` serves it, with its `updated` time (for `Last-Modified`).
    public func publishedFeed(store: BulletinStore, texts: BulletinTexts = .bundled) throws -> (body: Data, updated: Date) {
        let entries = try Self.entries(store: store, configuration: configuration, language: language, texts: texts)
        return (Data(feed(entries).utf8), Self.updated(entries))
    }

    /// The newest entry's time, or the epoch for an empty feed.
    static func updated(_ entries: [Entry], empty: Date = Date(timeIntervalSince1970: 0)) -> Date {
        entries.map(\.document.sent).max() ?? empty
    }

    /// Where `drugcheck serve` publishes the feed.
    public static let feedPath = "/v1/bulletins/feed.atom"

    public func feed(_ entries: [Entry], emptyFeedUpdated: Date = Date(timeIntervalSince1970: 0)) -> String {
        let base = configuration.baseURL
        let updated = Self.updated(entries, empty: emptyFeedUpdated)
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"\(language.tag)\">\n"
        out += XMLText.element("id", Self.uuidURN("feed|\(configuration.sender)"), indent: 2)
        out += XMLText.element("title", "\(configuration.senderName): bulletins", indent: 2)
        out += XMLText.element("updated", Self.rfc3339(updated), indent: 2)
        out += "  <author>\n" + XMLText.element("name", configuration.senderName, indent: 4)
            + XMLText.element("email", configuration.sender, indent: 4) + "  </author>\n"
        out += "  <link rel=\"self\" type=\"application/atom+xml\" href=\"\(XMLText.escape(base + Self.feedPath))\"/>\n"
        for entry in entries { out += self.entry(entry) }
        return out + "</feed>\n"
    }

    private func entry(_ e: Entry) -> String {
        let d = e.document
        let texts = d.texts.first { $0.language == language } ?? d.texts.first
        var out = "  <entry>\n"
        out += XMLText.element("id", Self.uuidURN("bulletin|\(configuration.sender)|\(d.bulletinID)"), indent: 4)
        let prefix = d.messageType == .cancel || d.messageType == .error ? "[\(d.messageType.rawValue)] " : ""
        out += XMLText.element("title", prefix + (texts?.headline ?? d.identifier), indent: 4)
        out += XMLText.element("published", Self.rfc3339(e.firstPublished), indent: 4)
        out += XMLText.element("updated", Self.rfc3339(d.sent), indent: 4)
        out += "    <link rel=\"alternate\" type=\"application/cap+xml\" href=\"\(XMLText.escape(d.capURL))\"/>\n"
        out += "    <link rel=\"related\" type=\"text/html\" href=\"\(XMLText.escape(d.webURL))\"/>\n"
        out += "    <category term=\"\(d.facts.trigger.rawValue)\"/>\n"
        out += "    <category term=\"\(d.facts.severity.rawValue)\" scheme=\"urn:oasis:names:tc:emergency:cap:1.2#severity\"/>\n"
        out += XMLText.element("summary", texts?.description ?? "", indent: 4)
        return out + "  </entry>\n"
    }

    /// RFC 3339 time in UTC with an explicit offset.
    static func rfc3339(_ date: Date) -> String { CAPTime.string(date) }

    /// A name-based UUID (SHA-256 of `name`, shaped as version 5): the same name, the same id.
    static func uuidURN(_ name: String) -> String {
        var bytes = Array(SHA256.hash(data: Data(name.utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return "urn:uuid:" + parts.joined(separator: "-")
    }
}
