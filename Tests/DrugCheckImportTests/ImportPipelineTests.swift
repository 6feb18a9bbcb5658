import DrugCheckImport
import DrugCheckClassify
import DrugCheckIngest
import DrugCheckModel
import DrugCheckStore
import DrugCheckTestSupport
import Foundation
import GRDB
import Testing

@Suite("Importing files into the store")
struct ImportPipelineTests {
    let csv = """
        lab,sample_id,sample_type,source,sold_as,collected_on,region,technique,substance,detected,concentration,unit
        BE-DCA,S1,powder,drug_checking,cocaine,2026-11-17,BE211,GC-MS,Cocaine HCl,true,60,%w/w
        BE-DCA,S1,powder,drug_checking,cocaine,2026-11-17,BE211,GC-MS,Fentanyl citrate,true,0.4,%w/w
        BE-DCA,S2,vape_refill,drug_checking,THC vape,2026-11-18,BE100,LC-HRMS,metonitazene,ja,0.8,mg/mL
        BE-DCA,S3,powder,drug_checking,heroin,2026-11-19,BE100,GC-MS,heroin,true,20,%w/w
        BE-DCA,S4,tablet,drug_checking,MDMA,2026-11-20,BE100,GC-MS,,false,,
        BE-DCA,S5,powder,drug_checking,unknown,2026-11-21,BE100,GC-MS,Zorbanitazene,true,,

        """

    @Test func importsClassifiesAndIsIdempotent() throws {
        let t = try TestDatabase()
        let importer = ImportPipeline.standard(database: t.database, observers: [])
        let url = try t.file("week47.csv", csv)
        let first = try importer.importFile(at: url, options: .init())
        #expect(first.outcome == .imported)
        #expect(first.samples == 5 && first.findings == 5)
        #expect(first.unmatched == ["Zorbanitazene"], "unknown names are stored as reported and listed, never rejected")

        let before = try t.counts()
        let again = try importer.importFile(at: url, options: .init())
        #expect(again.outcome == .alreadyImported)
        #expect(try t.counts() == before)

        let s1 = try #require(try t.database.sample(lab: "BE-DCA", id: "S1"))
        #expect(s1.week?.description == "2026-W47")
        #expect(s1.weekBasis == "collected")
        #expect(s1.sample.findings.compactMap(\.substanceID) == ["cocaine", "fentanyl"])
        #expect(s1.classification?.positiveClasses == [.fentanylAnalogue, .anySyntheticOpioid])
        #expect(s1.classification?.unexpected == true, "fentanyl in a sample sold as cocaine is unexpected")

        let s2 = try #require(try t.database.sample(lab: "BE-DCA", id: "S2"))
        #expect(s2.classification?.positiveClasses == [.nitazene, .anySyntheticOpioid])
        #expect(s2.classification?.riskTier == .critical)
        #expect(s2.classification?.unexpected == true)

        let s3 = try #require(try t.database.sample(lab: "BE-DCA", id: "S3"))
        #expect(s3.classification?.positiveClasses == [.classicOpioid])
        #expect(s3.classification?.unexpected == false)

        let s4 = try #require(try t.database.sample(lab: "BE-DCA", id: "S4"))
        #expect(s4.classification?.positiveClasses == [])
        #expect(s4.classification?.riskTier == RiskTier.none)
        #expect(s4.sample.findings.isEmpty && s4.sample.analyses.count == 1)

        let s5 = try #require(try t.database.sample(lab: "BE-DCA", id: "S5"))
        #expect(s5.sample.findings.first?.substanceID == nil)
        #expect(s5.sample.findings.first?.reportedName == "Zorbanitazene")
    }

    @Test func rejectedFileChangesNothingAndIsQuarantined() throws {
        let t = try TestDatabase()
        let importer = ImportPipeline.standard(database: t.database, observers: [])
        _ = try importer.importFile(at: try t.file("good.csv", csv), options: .init())
        let before = try t.counts()
        let bad = csv + "BE-DCA,S6,powder,drug_checking,cocaine,31/02/2026,BE100,GC-MS,cocaine,true,50,%w/w\n"
        let result = try importer.importFile(at: try t.file("bad.csv", bad), options: .init())
        #expect(result.outcome == .rejected)
        #expect(result.errors == [ImportProblem(line: 8, column: 40, message: "collected_on: '31/02/2026' is not a date as yyyy-mm-dd or dd/mm/yyyy")])
        #expect(try t.counts() == before, "a rejected file writes no sample or finding")

        let batch = try t.database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT outcome, errors, quarantine_path FROM import_batch WHERE file_name = 'bad.csv'")
        }
        #expect(batch?["outcome"] == "rejected")
        let kept = URL(fileURLWithPath: try #require(batch?["quarantine_path"] as String?))
        #expect(try Data(contentsOf: kept) == Data(bad.utf8), "the original bytes are kept")
        let report = try String(contentsOf: kept.appendingPathExtension("errors.txt"), encoding: .utf8)
        #expect(report.contains("bad.csv:8:40: collected_on"))
    }

    @Test func correctedReExportReplacesTheAnalysis() throws {
        let t = try TestDatabase()
        let importer = ImportPipeline.standard(database: t.database, observers: [])
        _ = try importer.importFile(at: try t.file("v1.csv", csv), options: .init())
        let corrected = csv.replacingOccurrences(of: "Fentanyl citrate,true,0.4", with: "Fentanyl citrate,true,0.45")
        let result = try importer.importFile(at: try t.file("v2.csv", corrected), options: .init())
        #expect(result.outcome == .imported)
        let s1 = try #require(try t.database.sample(lab: "BE-DCA", id: "S1"))
        #expect(s1.sample.analyses.count == 1)
        #expect(s1.sample.findings.map { $0.concentration?.value } == [60, 0.45])
    }

    @Test func labOptionMustMatchTheFile() throws {
        let t = try TestDatabase()
        let result = try ImportPipeline.standard(database: t.database, observers: []).importFile(at: try t.file("x.csv", csv), options: .init(labCode: "NL-DIMS"))
        #expect(result.outcome == .rejected)
        #expect(try t.counts()["sample"] == 0)
    }

    @Test func anotherLabCannotClaimAlreadyImportedBytes() throws {
        let t = try TestDatabase()
        let importer = ImportPipeline.standard(database: t.database, observers: [])
        let url = try t.file("week47.csv", csv)
        #expect(try importer.importFile(at: url, options: .init(labCode: "BE-DCA")).outcome == .imported)
        let before = try t.counts()
        let foreign = try importer.importFile(at: url, options: .init(labCode: "NL-DIMS"))
        #expect(foreign.outcome == .rejected)
        #expect(foreign.errors.count == 1 && foreign.errors[0].message.contains("belongs to lab 'BE-DCA'"))
        // The rejected batch names the uploader's lab, so only the lab table may grow.
        #expect(try t.counts().filter { $0.key != "lab" } == before.filter { $0.key != "lab" })
    }

    @Test func unrecognisedContentIsRejected() throws {
        let t = try TestDatabase()
        let result = try ImportPipeline.standard(database: t.database, observers: []).importFile(at: try t.file("x.xml", "<?xml version=\"1.0\"?><html/>"), options: .init())
        #expect(result.outcome == .rejected)
        #expect(result.errors.first?.message.contains("unrecognised content") == true)
    }
}
