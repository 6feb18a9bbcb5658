import DrugCheckImport
import DrugCheckModel
import DrugCheckStore
import DrugCheckTestSupport
import Foundation
import GRDB
import Testing

@Suite("Regions on import")
struct RegionImportTests {
    let csv = """
        lab,sample_id,sample_type,collected_on,region,technique,substance,detected
        BE-LGE,R1,powder,2026-11-17,Liège,GC-MS,heroin,true
        BE-LGE,R2,powder,2026-11-17,BE332,GC-MS,heroin,true
        BE-LGE,R3,powder,2026-11-18,Prov. Luik,GC-MS,cocaine,true
        BE-LGE,R4,powder,2026-11-18,Lüttich,GC-MS,cocaine,true
        BE-LGE,R5,powder,2026-11-19,Atlantis,GC-MS,cocaine,true
        NL-DIMS,R6,powder,2026-11-19,Limburg,GC-MS,cocaine,true

        """

    @Test func regionTextInAnyLanguageIsOneStratumAndUnknownTextIsKeptAndListed() throws {
        let t = try TestDatabase()
        let result = try ImportPipeline.standard(database: t.database, observers: []).importFile(at: try t.file("w47.csv", csv), options: .init())
        #expect(result.outcome == .imported)
        #expect(result.unmatchedRegions == ["Atlantis"])
        #expect(result.notes.contains("regions not recognised, stored as written: Atlantis"))
        let regions = try ["R1", "R2", "R3", "R4", "R5", "R6"].map { try #require(try t.database.sample(lab: $0 == "R6" ? "NL-DIMS" : "BE-LGE", id: $0)) }
        #expect(regions.map(\.sample.region) == ["BE33", "BE33", "BE33", "BE33", "Atlantis", "NL42"], "Limburg of a Dutch lab is the Dutch province")
        #expect(regions[2].sample.attributes["region_as_written"] == "Prov. Luik")
        let strata = try t.database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT region, SUM(tested) AS n FROM report_week_stratum GROUP BY region ORDER BY region").map { "\($0["region"] as String)=\($0["n"] as Int)" }
        }
        #expect(strata == ["Atlantis=1", "BE33=4", "NL42=1"])
    }

    @Test func theDeploymentChoosesTheLevel() throws {
        let t = try TestDatabase()
        var pipeline = ImportPipeline.standard(database: t.database, observers: [])
        pipeline.regions.level = 3
        _ = try pipeline.importFile(at: try t.file("w47.csv", csv), options: .init())
        #expect(try t.database.sample(lab: "BE-LGE", id: "R2")?.sample.region == "BE332")
        #expect(try t.database.sample(lab: "BE-LGE", id: "R3")?.sample.region == "BE33", "a province stays a province")
    }
}
