import DrugCheckBulletins
import DrugCheckStore
import Foundation

/// What a reviewer sees of one bulletin: the current version in the four languages, the samples
/// behind it, what changed from the last published message, and the bulletin's own trail.
struct BulletinReview: Sendable {
    var document: BulletinDocument
    var bulletin: Bulletin
    var evidence: [(ref: String, week: String, found: String, status: String)]
    var changes: [(field: String, before: String, after: String)]
    var trail: [AuditEntry]

    static func load(id: Int64, database: ServerDatabase, configuration: BulletinConfiguration) throws -> BulletinReview? {
        let store = BulletinStore(reader: database.writer)
        guard let bulletin = try store.bulletin(id: id),
              let view = try BulletinView(bulletin, store: store, reviewer: true, configuration: configuration, languages: BulletinLanguage.allCases)
        else { return nil }
        let messages = try store.messages(bulletinID: id)
        var changes: [(String, String, String)] = []
        if let last = messages.last, bulletin.state != .published {
            let published = try BulletinDocument.published(last, history: messages, state: .published, configuration: configuration, languages: [.en])
            changes = Self.differences(from: published, to: view.document)
        }
        let evidence = try bulletin.facts.sampleIDs.compactMap { rowID -> (String, String, String, String)? in
            guard let stored = try database.writer.sample(rowID: rowID) else { return nil }
            let s = stored.sample
            return ("\(s.labCode)/\(s.labSampleID)", stored.week?.description ?? "", SamplePages.found(s).joined(separator: ", "), SamplePages.status(s))
        }
        return BulletinReview(document: view.document, bulletin: bulletin, evidence: evidence, changes: changes, trail: try store.audit(bulletinID: id))
    }

    /// Field by field, in English: what a reviewer must approve anew.
    static func differences(from old: BulletinDocument, to new: BulletinDocument) -> [(String, String, String)] {
        guard let a = old.texts.first, let b = new.texts.first(where: { $0.language == .en }) else { return [] }
        let fields: [(String, String, String)] = [
            ("headline", a.headline, b.headline), ("description", a.description, b.description),
            ("instruction", a.instruction, b.instruction), ("area", a.areaDescription, b.areaDescription),
            ("samples", String(old.facts.sampleCount), String(new.facts.sampleCount)),
            ("substances", old.facts.substanceNames.joined(separator: ", "), new.facts.substanceNames.joined(separator: ", ")),
            ("regions", old.facts.regions.joined(separator: ", "), new.facts.regions.joined(separator: ", ")),
        ]
        return fields.filter { $0.1 != $0.2 }
    }

    var values: [String: Any] {
        var values: [String: Any] = [
            "id": bulletin.id, "state": bulletin.state.rawValue, "version": document.version, "identifier": document.identifier,
            "flag": bulletin.reviewFlag ?? "", "approved_by": bulletin.approvedBy ?? "", "edited_by": bulletin.editedBy,
            "texts": document.texts.map { t -> [String: Any] in
                ["lang": t.language.rawValue, "headline": t.headline, "event": t.event, "description": t.description,
                 "instruction": t.instruction, "area": t.areaDescription]
            },
            "evidence": evidence.map { ["ref": $0.ref, "week": $0.week, "found": $0.found, "status": $0.status] },
            "changes": changes.map { ["field": $0.field, "before": $0.before, "after": $0.after] },
            "first_version": changes.isEmpty,
            "trail": trail.map { ["action": $0.action, "actor": $0.actor, "at": PageFormat.dateTime($0.at), "detail": $0.detail ?? ""] },
            "can_approve": bulletin.state == .draft, "can_publish": bulletin.state == .approved,
            "can_cancel": bulletin.state != .cancelled,
            "formats": ["cap", "json", "html"].map { ["format": $0, "href": "/v1/bulletins/\(bulletin.id).\($0)"] },
        ]
        if let provisional = document.facts.provisionalSamples, provisional > 0 { values["provisional"] = provisional }
        return values
    }
}
