import DrugCheckBulletins
import Foundation

/// A bulletin as one caller may see it. Reviewers see the bulletin as it stands (a pending draft
/// as a CAP `Draft` preview); everyone else sees its latest published message, and nothing at
/// all of a bulletin that was never published.
struct BulletinView {
    var document: BulletinDocument
    var state: BulletinState

    init?(_ bulletin: Bulletin, store: BulletinStore, reviewer: Bool, configuration: BulletinConfiguration,
          languages: [BulletinLanguage]) throws {
        let messages = try store.messages(bulletinID: bulletin.id)
        if reviewer {
            document = try BulletinDocument.current(bulletin, messages: messages, configuration: configuration, languages: languages)
            state = bulletin.state
        } else {
            guard let last = messages.last else { return nil }
            // A published bulletin with an update under review still reads as published.
            state = bulletin.state == .cancelled ? .cancelled : .published
            document = try BulletinDocument.published(last, history: messages, state: state, configuration: configuration,
                                                      languages: languages)
        }
    }
}

/// One line of `GET /v1/bulletins`: enough to decide whether to fetch the bulletin, and where.
struct BulletinSummary: Encodable {
    struct Links: Encodable {
        var cap: String
        var json: String
        var html: String
    }

    var id: Int64
    var state: String
    var version: Int
    var identifier: String
    var msgType: String
    var status: String
    var sent: String
    var trigger: String
    var severity: String
    var headline: String
    var links: Links
    /// For reviewers: why the bulletin needs review again (its evidence was amended).
    var reviewFlag: String?

    enum CodingKeys: String, CodingKey {
        case id, state, version, identifier, msgType = "msg_type", status, sent, trigger, severity, headline, links, reviewFlag = "review_flag"
    }

    init(_ d: BulletinDocument, state: BulletinState, reviewFlag: String? = nil) {
        self.reviewFlag = reviewFlag
        id = d.bulletinID
        self.state = state.rawValue
        version = d.version
        identifier = d.identifier
        msgType = d.messageType.rawValue
        status = d.status.rawValue
        sent = CAPTime.string(d.sent)
        trigger = d.facts.trigger.rawValue
        severity = d.facts.severity.rawValue
        headline = d.texts.first?.headline ?? d.identifier
        let path = "/v1/bulletins/\(d.bulletinID)"
        links = Links(cap: path + ".cap", json: path + ".json", html: path + ".html")
    }
}
