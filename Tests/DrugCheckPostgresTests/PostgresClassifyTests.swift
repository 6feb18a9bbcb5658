import DrugCheckClassify
import DrugCheckImport
import DrugCheckModel
import DrugCheckPostgres
import DrugCheckStore
import DrugCheckTestSupport
import Foundation
import Testing

/// `drugcheck classify` on PostgreSQL (issue #18): the examples (mzML, AnIML and results XML
/// spectra identified on import) copied, then real MassBank records stored as a library on both
/// backends, so every sample with spectra is identified again with the new library version. The
/// results, findings, identifications, classifications, aggregates and audit entries come out the
/// same on both.
@Suite("PostgreSQL: stored spectra identified again as on SQLite")
struct PostgresClassifyTests {
    static let compared = [
        "SELECT analysis_id, reported_name, substance_id, detected, concentration, unit, match_score, confidence FROM finding",
        "SELECT spectrum_id, class, suspected_new_analogue, level, substance, basis, result, finding_id, library_version, rules_version FROM spectrum_identification",
        "SELECT * FROM sample_classification", "SELECT * FROM report_week_stratum", "SELECT * FROM report_substance_week",
        "SELECT * FROM report_week_substance", "SELECT * FROM report_week_concentration", "SELECT * FROM report_week_margin",
        "SELECT * FROM report_week_sold_as_found",
    ]

    static func rows(_ reader: any StoredRowReader, _ sql: String) throws -> [String] {
        try reader.rows(sql, []).map { "\($0)" }.sorted()
    }

    @Test func storedSpectraAreIdentifiedAgainAsOnSQLite() throws {
        try PostgresBackendTests.withCopy { database, session in
            let reference = try ReferenceData.load()
            let files = try ["fentanyl/MSBNK-Eawag-EQ364002.txt", "fentanyl/MSBNK-Eawag-EQ364003.txt", "cocaine"].map {
                try RefDataSpectra.url("massbank/\($0)")
            }
            let options = LibraryImportOptions(name: "massbank-test", version: "1", source: "MassBank/MassBank-data", licence: "CC BY")
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            var outputs: [Data] = []
            for store: any StoredRowWriter in [database, session] {
                let libraries = SpectralLibraryStore(store: store)
                _ = try LibraryImporter(store: libraries, catalogue: reference.catalogue).importLibrary(files: files, options: options)
                let classifier = StoredSpectraClassifier(identifier: try reference.identifier(adding: libraries),
                                                         classifier: SampleClassifier(catalogue: reference.catalogue))
                let results = try classifier.classify(.all, in: store, actor: "ana")
                #expect(results.filter { $0.status == .reclassified }.count >= 2)
                #expect(try classifier.classify(.sample(lab: nil, id: "none"), in: store).isEmpty)
                outputs.append(try encoder.encode(results))
            }
            #expect(outputs[1] == outputs[0])
            for sql in Self.compared {
                #expect(try Self.rows(session, sql) == Self.rows(database, sql), "\(sql)")
            }
            let (sqliteLog, postgresLog) = (AuditLog(database: database), AuditLog(reader: session))
            #expect(try postgresLog.verify().isIntact)
            func entries(_ log: AuditLog) throws -> [String] {
                try log.entries().map { "\($0.actor) \($0.kindText) \($0.subject) \($0.details) \($0.batchDigests.sorted { $0.key < $1.key })" }
            }
            #expect(try entries(postgresLog) == entries(sqliteLog))
            #expect(try postgresLog.entries().last.map { $0.kind == .reclassification && !$0.batchDigests.isEmpty } == true)
        }
    }
}
