import Foundation

/// The formats a bulletin is published in, and the one renderer of each: `drugcheck bulletins
/// show`, `GET /v1/bulletins/{id}` and the webhook deliveries all call `render`, so the same
/// message in the same format is the same bytes wherever it is read.
///
/// ```swift
/// let cap = try BulletinFormat.cap.render(document)
/// let atom = try BulletinFormat.atom.render(document, firstPublished: first, configuration: config, language: .nl)
/// ```
public enum BulletinFormat: String, CaseIterable, Sendable {
    /// OASIS CAP 1.2 XML.
    case cap
    /// A one-entry Atom 1.0 feed.
    case atom
    /// `BulletinJSON`, keys sorted.
    case json
    /// Markdown, one section per language.
    case md
    /// A self-contained HTML page.
    case html

    public var mediaType: String {
        switch self {
        case .cap: "application/cap+xml"
        case .atom: "application/atom+xml"
        case .json: "application/json"
        case .md: "text/markdown"
        case .html: "text/html"
        }
    }

    /// `document` in this format, ending with a newline. Only Atom uses `firstPublished` (the
    /// entry's `published`, by default the document's time), `configuration` and `language`
    /// (titles and summaries; by default English).
    public func render(_ document: BulletinDocument, firstPublished: Date? = nil, configuration: BulletinConfiguration = .init(),
                       language: BulletinLanguage? = nil) throws -> Data {
        switch self {
        case .cap: return Data(CAPWriter.xml(document).utf8)
        case .json: return try BulletinJSON(document).encoded() + Data("\n".utf8)
        case .md: return Data(ReadableWriters.markdown(document).utf8)
        case .html: return Data(ReadableWriters.html(document).utf8)
        case .atom:
            let entry = AtomFeedWriter.Entry(document: document, firstPublished: firstPublished ?? document.sent)
            return Data(AtomFeedWriter(configuration: configuration, language: language ?? .en).feed([entry]).utf8)
        }
    }
}

extension BulletinFormat {
    /// The format a webhook subscriber receives.
    public init(_ format: Subscriber.Format) {
        switch format {
        case .cap: self = .cap
        case .json: self = .json
        }
    }
}
