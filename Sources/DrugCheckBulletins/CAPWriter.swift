import Foundation

/// Writes a bulletin message as a CAP 1.2 alert (OASIS, "Common Alerting Protocol Version 1.2",
/// 2010): category `Health`, one `info` block per language, the NUTS region as `geocode`, and
/// the evidence as `resource` links. Element order follows the schema's sequences.
///
/// ```swift
/// let xml = CAPWriter.xml(document)   // validates against CAP-v1.2.xsd
/// ```
public enum CAPWriter {
    public static let namespace = "urn:oasis:names:tc:emergency:cap:1.2"

    public static func xml(_ d: BulletinDocument) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<alert xmlns=\"\(namespace)\">\n"
        out += XMLText.element("identifier", d.identifier, indent: 2)
        out += XMLText.element("sender", d.sender, indent: 2)
        out += XMLText.element("sent", CAPTime.string(d.sent), indent: 2)
        out += XMLText.element("status", d.status.rawValue, indent: 2)
        out += XMLText.element("msgType", d.messageType.rawValue, indent: 2)
        out += XMLText.element("source", d.senderName, indent: 2)
        out += XMLText.element("scope", "Public", indent: 2)
        if let note = d.note { out += XMLText.element("note", note, indent: 2) }
        if !d.references.isEmpty {
            // CAP: space-separated "sender,identifier,sent" triples.
            let refs = d.references.map { "\(d.sender),\($0.identifier),\(CAPTime.string($0.sent))" }
            out += XMLText.element("references", refs.joined(separator: " "), indent: 2)
        }
        out += XMLText.element("incidents", "drugcheck-bulletin-\(d.bulletinID)", indent: 2)
        for texts in d.texts { out += info(d, texts) }
        return out + "</alert>\n"
    }

    private static func info(_ d: BulletinDocument, _ t: LocalizedTexts) -> String {
        let f = d.facts
        var out = "  <info>\n"
        out += XMLText.element("language", t.language.tag, indent: 4)
        out += XMLText.element("category", "Health", indent: 4)
        out += XMLText.element("event", t.event, indent: 4)
        out += XMLText.element("responseType", responseType(d), indent: 4)
        out += XMLText.element("urgency", f.urgency.rawValue, indent: 4)
        out += XMLText.element("severity", f.severity.rawValue, indent: 4)
        out += XMLText.element("certainty", f.certainty.rawValue, indent: 4)
        out += "    <eventCode>\n" + XMLText.element("valueName", "drugcheck:trigger", indent: 6)
            + XMLText.element("value", f.trigger.rawValue, indent: 6) + "    </eventCode>\n"
        out += XMLText.element("effective", CAPTime.string(d.sent), indent: 4)
        out += XMLText.element("senderName", d.senderName, indent: 4)
        out += XMLText.element("headline", t.headline, indent: 4)
        out += XMLText.element("description", t.description, indent: 4)
        out += XMLText.element("instruction", t.instruction, indent: 4)
        out += XMLText.element("web", d.webURL, indent: 4)
        for (name, value) in parameters(f) + (d.auditHead.map { [("drugcheck:auditHead", $0)] } ?? []) {
            out += "    <parameter>\n" + XMLText.element("valueName", name, indent: 6)
                + XMLText.element("value", value, indent: 6) + "    </parameter>\n"
        }
        for link in d.evidence {
            out += "    <resource>\n" + XMLText.element("resourceDesc", link.title, indent: 6)
                + XMLText.element("mimeType", "application/json", indent: 6)
                + XMLText.element("uri", link.uri, indent: 6) + "    </resource>\n"
        }
        out += "    <area>\n" + XMLText.element("areaDesc", t.areaDescription, indent: 6)
        for region in f.regions {
            out += "      <geocode>\n" + XMLText.element("valueName", "NUTS", indent: 8)
                + XMLText.element("value", region, indent: 8) + "      </geocode>\n"
        }
        out += "    </area>\n"
        return out + "  </info>\n"
    }

    static func responseType(_ d: BulletinDocument) -> String {
        switch d.messageType {
        case .cancel, .error: "AllClear"
        case .alert, .update: d.facts.trigger == .statisticalSignal ? "Monitor" : "Avoid"
        }
    }

    /// Machine-readable facts, `drugcheck:`-prefixed so they do not clash with other systems' names.
    static func parameters(_ f: BulletinFacts) -> [(String, String)] {
        var p: [(String, String)] = f.substanceIDs.map { ("drugcheck:substance", $0) }
        p += f.classes.map { ("drugcheck:class", $0.rawValue) }
        p += [("drugcheck:sampleCount", String(f.sampleCount)), ("drugcheck:riskTier", f.riskTier.rawValue),
              ("drugcheck:confidence", f.confidence.label)]
        if let potency = f.relativePotency { p.append(("drugcheck:relativePotencyMorphine", BulletinTexts.number(potency))) }
        if let provisional = f.provisionalSamples, provisional > 0 { p.append(("drugcheck:provisionalSamples", String(provisional))) }
        return p
    }
}
