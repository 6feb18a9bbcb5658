import DrugCheckClassify
import DrugCheckImport
import DrugCheckIngest
import DrugCheckModel
@testable import DrugCheckStore
import DrugCheckTestSupport
import Foundation
import GRDB
import Testing

/// An import batch adds its new samples' counts to the report aggregates and sold-as rollups and
/// rebuilds only the weeks of samples it changed: after every kind of batch (real datasets,
/// results waiting for a second person, samples given again in the same file and in a later one)
/// all five aggregate tables equal a recount written here from the rules alone, and the rollups a
/// rebuild of every week.
@Suite("Report aggregates after import batches")
struct BatchAggregateTests {
    static let tables = ["report_week_stratum", "report_week_provisional", "report_substance_week",
                         "report_week_substance", "report_week_concentration"]

    /// The aggregates from their definitions: classified samples with a week per stratum (the
    /// provisional ones apart); detected, identified findings per substance and week, everywhere
    /// and per region; verified samples per substance; verified quantified findings per value.
    static func recount(_ t: TestDatabase) throws -> [String: [String]] {
        let classes = ReportClass.allCases.map(\.rawValue)
        let strata = "s.iso_week AS iso_week, s.sample_type AS sample_type, s.source AS source, COALESCE(s.region, '') AS region, s.lab_code AS lab_code"
        let counts = ["COUNT(*) AS tested", "SUM(s.week_basis = 'analysed') AS analysed_basis"]
            + classes.map { "SUM(c.\($0)) AS pos_\($0)" } + classes.map { "SUM(c.unexpected AND c.\($0)) AS unexp_\($0)" }
        let classified = "FROM sample s JOIN sample_classification c ON c.sample_id = s.id WHERE s.iso_week IS NOT NULL"
        let findings = """
            FROM sample s JOIN analysis a ON a.sample_id = s.id JOIN finding f ON f.analysis_id = a.id
            WHERE f.detected AND f.substance_id IS NOT NULL AND s.iso_week IS NOT NULL
            """
        let verified = "AND EXISTS (SELECT 1 FROM sample_classification c WHERE c.sample_id = s.id AND NOT c.provisional)"
        let queries = [
            "report_week_stratum": "SELECT \(strata), \(counts.joined(separator: ", ")) \(classified) GROUP BY 1, 2, 3, 4, 5",
            "report_week_provisional": "SELECT \(strata), \(counts.joined(separator: ", ")) \(classified) AND c.provisional GROUP BY 1, 2, 3, 4, 5",
            "report_substance_week": """
                SELECT f.substance_id AS substance_id, '' AS region, s.iso_week AS iso_week, COUNT(*) AS findings \(findings) GROUP BY 1, 3
                UNION ALL
                SELECT f.substance_id, s.region, s.iso_week, COUNT(*) \(findings) AND s.region IS NOT NULL GROUP BY 1, 2, 3
                """,
            "report_week_substance": "SELECT \(strata), f.substance_id AS substance_id, COUNT(DISTINCT s.id) AS samples \(findings) \(verified) GROUP BY 1, 2, 3, 4, 5, 6",
            "report_week_concentration": """
                SELECT \(strata), f.substance_id AS substance_id, f.unit AS unit, f.concentration AS concentration, COUNT(*) AS findings
                \(findings) \(verified) AND f.concentration IS NOT NULL AND f.unit IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
                """,
        ]
        return try t.database.writer.read { db in
            var result: [String: [String]] = [:]
            for (table, sql) in queries {
                let columns = try db.columns(in: table).map(\.name)
                result[table] = try Row.fetchAll(db, sql: sql).map { row in
                    columns.map { "\($0)=\(row[$0] as DatabaseValue)" }.joined(separator: ",")
                }.sorted()
            }
            return result
        }
    }

    func expectAggregatesEqualTheRecount(_ t: TestDatabase, _ step: String) throws {
        let stored = try t.snapshot(Self.tables)
        let recount = try Self.recount(t)
        for table in Self.tables {
            #expect(!(recount[table] ?? []).isEmpty, "\(step): \(table) has no rows to compare")
            #expect(stored[table] == recount[table], "\(step): \(table) differs from the recount")
        }
        try WeekRollupTests.expectCurrent(t, after: step)
    }

    @Test func everyKindOfBatchLeavesTheAggregatesARecountGives() throws {
        let t = try TestDatabase()
        var pipeline = ImportPipeline.standard(database: t.database, observers: [])
        // Some results wait for a second person: their samples are provisional.
        pipeline.verification = VerificationPolicy(required: true, rules: [AutomaticVerificationRule(lab: "BE-DCA", technique: .gcms)])
        let dataset = PackagePaths.root.appendingPathComponent("../shared/refdata/datasets/drugcheckingbc_full_data_2018-06_to_2020-11-04.csv")
            .standardizedFileURL
        let bc = try pipeline.importFile(at: dataset, options: .init(labCode: "CA-DCBC"))
        #expect(bc.outcome == .imported, "\(bc.errors)")
        for name in ["be-dca-drugchecking.csv", "be-nicc-seizures.csv", "nl-dims-export.tsv", "results-example.xml"] {
            let result = try pipeline.importFile(at: PackagePaths.imports.appendingPathComponent(name), options: .init())
            #expect(result.outcome == .imported, "\(name): \(result.errors)")
        }
        let provisional = try t.database.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM sample_classification WHERE provisional") }
        #expect((provisional ?? 0) > 0, "the policy left some results waiting")
        try expectAggregatesEqualTheRecount(t, "after the datasets and examples")

        // A stored sample gets a second analysis; a new sample's rows come apart in the file; in
        // weeks that already hold samples. Another week holds only new samples, one of them with
        // the same substance in two runs (one sample per substance).
        let header = "lab,sample_id,sample_type,source,sold_as,collected_on,region,technique,instrument,analysed_on,substance,detected,concentration,unit"
        let more = try t.file("more.csv", """
            \(header)
            BE-DCA,DCA-36004,powder,drug_checking,speed,2026-09-03,BE100,LC-HRMS,Orbitrap Exploris 120,2026-09-08,fentanyl,true,0.4,%w/w
            BE-DCA,DCA-39901,powder,drug_checking,cocaine,2026-09-04,BE251,GC-MS,Agilent 8890/5977B,2026-09-06,cocaine,true,71.5,%w/w
            BE-DCA,DCA-39902,powder,drug_checking,heroin,2026-09-04,BE251,LC-HRMS,Orbitrap Exploris 120,2026-09-06,heroin,true,20.5,%w/w
            BE-DCA,DCA-39901,powder,drug_checking,cocaine,2026-09-04,BE251,LC-HRMS,Orbitrap Exploris 120,2026-09-07,fentanyl,true,0.4,%w/w
            BE-DCA,DCA-39903,powder,drug_checking,cocaine,2026-09-04,,GC-MS,Agilent 8890/5977B,2026-09-06,cocaine,true,71.5,%w/w
            BE-DCA,DCA-39904,tablet,drug_checking,oxycodone,2026-09-10,BE251,GC-MS,Agilent 8890/5977B,2026-09-10,fentanyl,true,1.5,mg/unit
            BE-DCA,DCA-39905,powder,drug_checking,cocaine,2026-09-15,BE251,GC-MS,Agilent 8890/5977B,2026-09-16,cocaine,true,71.5,%w/w
            BE-DCA,DCA-39905,powder,drug_checking,cocaine,2026-09-15,BE251,GC-MS,Agilent 8890/5977B,2026-09-17,cocaine,true,70.1,%w/w
            """)
        let result = try pipeline.importFile(at: more, options: .init())
        #expect(result.outcome == .imported, "\(result.errors)")
        try expectAggregatesEqualTheRecount(t, "after a batch that merges samples")

        // A run analysed weeks earlier moves a sample placed by its analyses (no collection date,
        // as instrument exports give it) to another week: both weeks are counted anew.
        func batch(_ name: String, analysedOn day: String) throws {
            let sample = Sample(labCode: "BE-DCA", labSampleID: "DCA-39906", type: .tablet, source: .drugChecking, analyses: [
                Analysis(technique: .gcms, analysedOn: CalendarDate(iso: day), findings: [
                    Finding(reportedName: "fentanyl", substanceID: "fentanyl", detected: true, concentration: .init(value: 1.5, unit: .mgPerUnit)),
                ], verification: Verification(status: .verified, rule: "test", at: Date())),
            ])
            _ = try t.database.importBatch(BatchReceipt(fileName: name, sha256: name, format: .findingsCSV)) { batch in
                let written = try batch.write(sample, line: nil, classification: pipeline.classifier.classification(of: sample))
                if written.merged { try batch.reclassify(written.id, with: pipeline.classifier.classification(of:)) }
                return try batch.finish(notes: [])
            }
        }
        try batch("later-run", analysedOn: "2026-09-10")
        try expectAggregatesEqualTheRecount(t, "after a sample placed by its run")
        try batch("earlier-run", analysedOn: "2026-08-20")
        let week = try t.database.writer.read { try String.fetchOne($0, sql: "SELECT iso_week FROM sample WHERE lab_sample_id = 'DCA-39906'") }
        #expect(week == "2026-W34")
        try expectAggregatesEqualTheRecount(t, "after a batch that moves a sample to another week")
    }

    /// A large import adds its counts in many upserts (every ``AggregateDeltas`` limit's worth of
    /// keys): the stored rows must be the same as after one.
    @Test func countsAddedInManyFlushesEqualOneFlush() throws {
        let classifier = SampleClassifier(catalogue: .bundled)
        let policy = VerificationPolicy(required: true, rules: [AutomaticVerificationRule(lab: "BE-DCA", technique: .gcms)])
        let samples = try ["be-dca-drugchecking.csv", "be-nicc-seizures.csv"].flatMap { name in
            try FindingsCSVReader().read(file: PackagePaths.imports.appendingPathComponent(name), options: .init()).samples
        }.map { policy.applied(to: classifier.resolveNames(in: $0)) }
        let tables = Self.tables + WeekRollupTests.tables.keys.filter { $0.contains("sold_as") }
        func stored(flushingAfter limit: Int) throws -> [String: [String]] {
            let t = try TestDatabase()
            try t.database.writer.write { db in
                var deltas = AggregateDeltas(limit: limit)
                for sample in samples {
                    deltas.add(sample, classified: classifier.classification(of: sample), provisional: sample.isProvisional)
                    if deltas.isFull { try deltas.flush(db) }
                }
                try deltas.flush(db)
            }
            return try t.snapshot(tables.sorted())
        }
        let once = try stored(flushingAfter: 1_000_000)
        #expect(tables.allSatisfy { !(once[$0] ?? []).isEmpty })
        #expect(try stored(flushingAfter: 1) == once)
        #expect(try stored(flushingAfter: 7) == once)
    }
}
