import DrugCheckBulletins
import DrugCheckClassify
import DrugCheckImport
import DrugCheckIngest
import DrugCheckModel
import DrugCheckReports
import DrugCheckStore
import DrugCheckTestSupport
import Foundation
import GRDB
import Testing

@Suite("Import stage: spectra identified on import, whole-or-nothing at any size, several labs, observers")
struct ImportStageTests {
    static func pipeline(_ db: DrugCheckDatabase) -> ImportPipeline { ImportPipeline.standard(database: db, observers: []) }

    @Test func mzMLSpectraAreIdentifiedOnImportAndTheWeeklyReportCountsTheSample() throws {
        let t = try TestDatabase()
        let result = try Self.pipeline(t.database).importFile(at: PackagePaths.imports.appendingPathComponent("mzml-example.mzML"), options: .init())
        #expect(result.outcome == .imported, "\(result.errors)")
        let stored = try #require(try t.database.sample(lab: "BE-NICC", id: "NICC-2026-0478"))
        let identified = try #require(stored.sample.findings.first { $0.confidence?.assessedBy == "drugcheck" })
        #expect(identified.substanceID == "fentanyl" && identified.detected)
        #expect(identified.confidence?.level == .level2a)
        #expect(stored.classification?.isPositive(for: .fentanylAnalogue) == true)

        // The weekly report of the sample's week counts it as positive right after the import.
        let week = try #require(stored.week)
        let report = try WeeklyReportBuilder(database: t.database, catalogue: .bundled).report(for: week)
        let cell = try #require(report.cells.first { $0.reportClass == .fentanylAnalogue && $0.sampleType == WeeklyReport.all
            && $0.source == WeeklyReport.all && $0.region == WeeklyReport.all && $0.lab == WeeklyReport.all })
        #expect(cell.tested == 1 && cell.positive == 1)
    }

    @Test func animlSpectraAreIdentifiedOnImportWithTheCurrentVersions() throws {
        let t = try TestDatabase()
        let result = try Self.pipeline(t.database).importFile(at: PackagePaths.imports.appendingPathComponent("animl-example.animl"), options: .init())
        #expect(result.outcome == .imported, "\(result.errors)")
        #expect(result.notes.contains { $0.hasPrefix("1 spectra identified with drugcheck-default") }, "\(result.notes)")
        let reference = try ReferenceData.load()
        let classifier = StoredSpectraClassifier(identifier: try reference.identifier(adding: SpectralLibraryStore(database: t.database)),
                                                 classifier: SampleClassifier(catalogue: reference.catalogue))
        let again = try classifier.classify(.all, in: t.database)
        #expect(again.map(\.status) == [.unchanged], "identified during the import: nothing to redo")
        #expect(again.first?.spectra.count == 1)
    }

    /// `copies` × the 110 real rows of `Imports/be-dca-drugchecking.csv`, each copy with its own
    /// sample ids (ending in `idSuffix`); `corruptLine` gets an impossible collection date.
    static func largeCSV(copies: Int, in t: TestDatabase, name: String, idSuffix: String = "", corruptLine: Int? = nil) throws -> (URL, samples: Int) {
        let text = try String(contentsOf: PackagePaths.imports.appendingPathComponent("be-dca-drugchecking.csv"), encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let header = lines.removeFirst()
        let samplesPerCopy = Set(lines.map { $0.split(separator: ",")[1] }).count
        var out = header + "\n"
        out.reserveCapacity(text.utf8.count * copies)
        var line = 1
        for copy in 0..<copies {
            for row in lines {
                line += 1
                var fields = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                fields[1] += "-\(copy)\(idSuffix)"
                if line == corruptLine { fields[6] = "2026-13-45" }
                out += fields.joined(separator: ",") + "\n"
            }
        }
        return (try t.file(name, out), samplesPerCopy * copies)
    }

    @Test func aLargeFileImportsWholeAndABadRowNearItsEndRejectsItAll() throws {
        let t = try TestDatabase()
        let copies = 300 // 33,000 rows
        let (good, samples) = try Self.largeCSV(copies: copies, in: t, name: "large.csv")
        let imported = try Self.pipeline(t.database).importFile(at: good, options: .init())
        #expect(imported.outcome == .imported, "\(imported.errors.prefix(3))")
        #expect(imported.samples == samples)
        #expect(try t.counts()["sample"] == samples)
        #expect(try t.counts()["sample_classification"] == samples)

        let before = try t.counts()
        let lastLine = copies * 110 + 1
        let (bad, _) = try Self.largeCSV(copies: copies, in: t, name: "large-bad.csv", idSuffix: "b", corruptLine: lastLine - 3)
        let rejected = try Self.pipeline(t.database).importFile(at: bad, options: .init())
        #expect(rejected.outcome == .rejected)
        #expect(rejected.errors.map(\.line) == [lastLine - 3])
        #expect(rejected.errors.first?.message.contains("collected_on") == true)
        #expect(try t.counts() == before, "nothing of the rejected file stays")
    }

    @Test func theAggregatesOfABatchEqualThoseTheRowTriggersKeep() throws {
        let t = try TestDatabase()
        for name in ["be-dca-drugchecking.csv", "be-nicc-seizures.csv", "nl-dims-export.tsv", "results-example.xml"] {
            #expect(try Self.pipeline(t.database).importFile(at: PackagePaths.imports.appendingPathComponent(name), options: .init()).outcome == .imported)
        }
        let tables = ["report_week_stratum", "report_substance_week", "report_week_substance", "report_week_concentration"]
        let batch = try t.snapshot(tables)
        // Rebuild every aggregate through the per-row triggers: reclassifying deletes and re-adds each classification.
        try t.database.write { tx in
            for id in try tx.sampleIDs() {
                let classification = try #require(try tx.classification(of: id))
                try tx.removeClassification(of: id)
                try tx.classify(id, as: classification, provisional: try tx.storedSample(id: id).isProvisional)
            }
        }
        #expect(try t.snapshot(tables) == batch)
    }

    @Test func aCollationOfSeveralLabsImportsWithoutALabButNotForALab() throws {
        let t = try TestDatabase()
        let csv = """
            lab,sample_id,sample_type,collected_on,substance,detected
            BE-DCA,S1,powder,2026-11-16,cocaine,true
            NL-DIMS,S1,powder,2026-11-17,heroin,true
            """
        let file = try t.file("collation.csv", csv)
        let refused = try Self.pipeline(t.database).importFile(at: file, options: .init(labCode: "BE-DCA"))
        #expect(refused.outcome == .rejected)
        #expect(refused.errors.first?.message.contains("belongs to lab 'NL-DIMS', not 'BE-DCA'") == true)
        let imported = try Self.pipeline(t.database).importFile(at: file, options: .init())
        #expect(imported.outcome == .imported && imported.samples == 2)
        #expect(try t.database.sample(lab: "NL-DIMS", id: "S1")?.sample.findings.first?.substanceID == "heroin")
        #expect(try t.database.importBatch(id: try #require(imported.batchID))?.labCode == nil, "a batch of several labs names none")
    }

    @Test func fourImportersAtOnceOnANewDatabaseAllSucceed() throws {
        let t = try TestDatabase()
        let path = t.directory.appendingPathComponent("shared.sqlite").path
        let files = try (0..<4).map { n in try Self.largeCSV(copies: 45, in: t, name: "lab\(n).csv").0 }
        // Each importer opens the new database itself, as four processes would.
        let outcomes = Outcomes()
        let directory = t.directory
        DispatchQueue.concurrentPerform(iterations: 4) { n in
            do {
                var text = try String(contentsOf: files[n], encoding: .utf8)
                text = text.replacingOccurrences(of: "DCA-", with: "DCA\(n)-")
                let own = directory.appendingPathComponent("own\(n).csv")
                try Data(text.utf8).write(to: own)
                outcomes.add(try Self.pipeline(try DrugCheckDatabase(path: path)).importFile(at: own, options: .init()).outcome)
            } catch {
                outcomes.add(error)
            }
        }
        #expect(outcomes.all.count == 4)
        #expect(outcomes.all.allSatisfy { ($0 as? ImportOutcome) == .imported }, "\(outcomes.all)")
        let db = try DrugCheckDatabase(path: path)
        #expect(try db.write { tx in try tx.sampleIDs().count } == 4 * 45 * 57)
    }

    @Test func aFailingObserverNeverUndoesOrHidesTheImport() throws {
        let t = try TestDatabase()
        // The bulletin tables are damaged outside DrugCheck, so the trigger scan fails for real.
        try t.database.writer.write { db in try db.execute(sql: "ALTER TABLE bulletin RENAME TO bulletin_damaged") }
        let scanner = BulletinScanner(database: t.database, configuration: BulletinConfiguration(), catalogue: .bundled)
        let pipeline = ImportPipeline.standard(database: t.database, observers: [BulletinTriggerObserver(scanner: scanner)])
        let result = try pipeline.importFile(at: PackagePaths.imports.appendingPathComponent("be-dca-drugchecking.csv"), options: .init())
        let reports = pipeline.notify([result])
        #expect([result].map(\.outcome) == [.imported])
        #expect(reports.count == 1)
        #expect(reports.first?.observer == "bulletin triggers")
        #expect(reports.first?.failure?.contains("bulletin") == true, "\(reports)")
        #expect(try t.counts()["sample"] == 57)
    }
}

/// Results collected from concurrent importers.
final class Outcomes: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var all: [Any] = []

    func add(_ value: Any) {
        lock.lock()
        all.append(value)
        lock.unlock()
    }
}
