import DrugCheckImport
import DrugCheckIngest
import DrugCheckModel
import DrugCheckStore
import DrugCheckTestSupport
import Foundation
import GRDB
import Testing

@Suite("Registering samples before their results")
struct RegistrationTests {
    let manifest = """
        sample_id,sample_type,source,sold_as,collected_on,region,brand
        H2O-0001,vape_refill,police_seizure,THC vape,2026-11-17,BE211,Cali Plates
        H2O-0002,powder,drug_checking,cocaine,,BE100,

        """
    let registering = ImportOptions(labCode: "BE-NICC", expecting: .sampleManifest)

    /// Tested samples in the week's report aggregate (all strata).
    func tested(_ t: TestDatabase, week: String) throws -> Int {
        try t.database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(tested), 0) FROM report_week_stratum WHERE iso_week = ?", arguments: [week]) ?? 0
        }
    }

    @Test func aManifestRegistersSamplesThatCountInNoReportUntilResultsArrive() throws {
        let t = try TestDatabase()
        let pipeline = ImportPipeline.standard(database: t.database, observers: [])
        let result = try pipeline.importFile(at: try t.file("manifest.csv", manifest), options: registering)
        #expect(result.outcome == .imported && result.format == .sampleManifest)
        #expect(result.samples == 2 && result.findings == 0)

        let first = try #require(try t.database.sample(lab: "BE-NICC", id: "H2O-0001"))
        #expect(first.sample.type == .vapeRefill && first.sample.source == .policeSeizure)
        #expect(first.sample.soldAs == "THC vape" && first.sample.description.brand == "Cali Plates")
        #expect(first.sample.region == "BE21" && first.sample.attributes["region_as_written"] == "BE211", "the province, as reported")
        #expect(first.sample.analyses.isEmpty && first.classification == nil)
        #expect(first.week?.description == "2026-W47")
        let second = try #require(try t.database.sample(lab: "BE-NICC", id: "H2O-0002"))
        #expect(second.sample.collectedOn == nil && second.week == nil, "the week comes from the first analysis once there is one")
        #expect(try tested(t, week: "2026-W47") == 0, "a registered sample is not a tested negative")

        // The results arrive (here as the canonical CSV) and the sample counts from then on.
        let results = """
            sample_id,sample_type,collected_on,technique,substance,detected,concentration,unit
            H2O-0001,vape_refill,2026-11-17,GC-MS,Fentanyl,yes,0.2,mg/mL

            """
        let imported = try pipeline.importFile(at: try t.file("results.csv", results), options: .init(labCode: "BE-NICC"))
        #expect(imported.outcome == .imported)
        let analysed = try #require(try t.database.sample(lab: "BE-NICC", id: "H2O-0001"))
        #expect(analysed.sample.soldAs == "THC vape", "the registered fields stay")
        #expect(analysed.classification?.positiveClasses.contains(.fentanylAnalogue) == true)
        #expect(try tested(t, week: "2026-W47") == 1)

        #expect(try pipeline.importFile(at: try t.file("again.csv", manifest), options: registering).outcome == .alreadyImported)
    }

    @Test func aManifestWithResultColumnsOrTwiceTheSameSampleIsRejectedWhole() throws {
        let t = try TestDatabase()
        let pipeline = ImportPipeline.standard(database: t.database, observers: [])
        let withResults = try t.file("results.csv", "sample_id,sample_type,substance,detected\nX1,powder,cocaine,yes\n")
        let rejected = try pipeline.importFile(at: withResults, options: registering)
        #expect(rejected.outcome == .rejected)
        #expect(rejected.errors.first?.message.contains("result columns (substance, detected)") == true)

        let twice = try t.file("twice.csv", "sample_id,sample_type\nX1,powder\nX1,tablet\nX2,\n")
        let problems = try pipeline.importFile(at: twice, options: registering).errors
        #expect(problems.contains { $0.line == 3 && $0.message.contains("'X1' is registered twice, also on line 2") })
        #expect(problems.contains { $0.line == 4 && $0.message.contains("sample_type: missing value") })
        #expect(try t.counts()["sample"] == 0, "nothing of a rejected manifest is kept")

        let mzML = try RefDataSpectra.url("../mzml/hupo_tiny.pwiz.1.1.mzML")
        let notCSV = try pipeline.importFile(at: mzML, options: registering)
        #expect(notCSV.outcome == .rejected && notCSV.errors[0].message.contains("a registration manifest is a CSV"))
    }

    @Test func aLabRegistersOnlyItsOwnSamples() throws {
        let t = try TestDatabase()
        let pipeline = ImportPipeline.standard(database: t.database, observers: [])
        let other = try t.file("other.csv", "lab,sample_id,sample_type\nNL-DIMS,X1,powder\n")
        let result = try pipeline.importFile(at: other, options: registering)
        #expect(result.outcome == .rejected && result.errors[0].message.contains("not 'BE-NICC'"))
    }
}
