import DrugCheckClassify
import DrugCheckImport
import DrugCheckIngest
import DrugCheckModel
import DrugCheckPostgres
import DrugCheckReports
import DrugCheckStore
import Foundation
import Testing

/// The import on PostgreSQL (issue #18): the same files, through the same pipeline, into a new
/// SQLite database and a new PostgreSQL database. Every step a lab takes gives the same outcome
/// and leaves the same rows: the examples (spectra identified on import), a sample given again
/// with a new run, a corrected re-export, an amendment, a broken file kept in quarantine, the
/// same bytes again, results for registered samples, and results refused for unknown ones.
@Suite("PostgreSQL: files imported as on SQLite")
struct PostgresImportTests {
    static let header = "lab,sample_id,sample_type,source,sold_as,collected_on,region,technique,substance,detected,concentration,unit\n"

    /// One file as a lab sends it: its options and the amendment it is sent as (if any).
    struct Sent {
        var url: URL
        var options = ImportOptions(importedBy: "analyst")
        var amending: Amendment?
    }

    /// The files, in import order.
    static func files(in directory: URL) throws -> [Sent] {
        func file(_ name: String, _ rows: String) throws -> URL {
            let url = directory.appendingPathComponent(name)
            try (header + rows).write(to: url, atomically: true, encoding: .utf8)
            return url
        }
        func instrument(_ name: String) throws -> URL {
            let url = TestPostgres.root.appendingPathComponent("../shared/refdata/csv/instrument/\(name)").standardizedFileURL
            try #require(FileManager.default.fileExists(atPath: url.path), "refdata missing: \(url.path)")
            return url
        }
        let nicc = ImportOptions(labCode: "BE-NICC", importedBy: "analyst")
        let s1 = SampleReference(lab: "BE-DCA", sampleID: "S1")
        let manifest = directory.appendingPathComponent("manifest.csv")
        try "sample_id,sample_type,source,sold_as,collected_on,region\nH2O-0001,liquid,police_seizure,e-liquid,2026-11-17,Prov. Luik\n1-16-02249-001,herbal,drug_checking,cannabis,2026-11-18,Anvers\n"
            .write(to: manifest, atomically: true, encoding: .utf8)
        return PostgresBackendTests.examples.map { Sent(url: TestPostgres.root.appendingPathComponent("Imports/\($0)")) } + [
            Sent(url: try file("first.csv", "BE-DCA,S1,powder,drug_checking,,2026-11-17,,GC-MS,Cocaine HCl,true,60,%w/w\n")),
            // The same run corrected (a new version), then a second run of another technique (merged into S1).
            Sent(url: try file("corrected.csv", "BE-DCA,S1,powder,drug_checking,,2026-11-17,,GC-MS,Cocaine HCl,true,55,%w/w\n")),
            Sent(url: try file("second-run.csv", "BE-DCA,S1,powder,drug_checking,Cocaine,2026-11-17,BE21,LC-HRMS,Fentanyl,true,,\n")),
            Sent(url: try file("amended.csv", "BE-DCA,S1,powder,drug_checking,,2026-11-17,,GC-MS,Cocaine HCl,true,52,%w/w\n"),
                 amending: Amendment(samples: [s1], reason: "integration window corrected")),
            Sent(url: TestPostgres.root.appendingPathComponent("Imports/broken-example-findings.csv")),
            Sent(url: TestPostgres.root.appendingPathComponent("Imports/be-dca-drugchecking.csv")),
            // A sample given twice in one file with different types: the whole file is refused.
            Sent(url: try file("disagreeing.csv", "BE-DCA,S9,powder,drug_checking,,2026-11-18,,GC-MS,Caffeine,true,,\n"
                      + "BE-DCA,S8,tablet,drug_checking,,2026-11-18,,GC-MS,MDMA,true,,\n"
                      + "BE-DCA,S9,tablet,drug_checking,,2026-11-18,,GC-MS,Caffeine,true,,\n")),
            // A sample registered, an instrument export attached to it, one naming unregistered samples refused.
            Sent(url: manifest, options: ImportOptions(labCode: "BE-NICC", expecting: .sampleManifest, importedBy: "analyst")),
            Sent(url: try instrument("senaite_shimadzu_gcms_QP2010.txt"), options: nicc),
            Sent(url: try instrument("senaite_shimadzu_nexera_LC2040C.txt"), options: nicc),
        ]
    }

    /// What a lab sees of an import: everything but where a rejected file was kept and the batch's
    /// id (PostgreSQL's identities leave a gap where a transaction rolled back; SQLite's row ids do not).
    static func outcome(_ result: ImportResult) -> String {
        "\(result.file) \(result.outcome) \(result.format) \(result.samples) \(result.findings) "
            + "\(result.errors.map(\.description)) \(result.unmatched) \(result.amendedSamples ?? []) "
            + "\(result.notes.filter { !$0.hasPrefix("kept in quarantine") && !$0.hasPrefix("same bytes") })"
    }

    static func importAll(_ pipeline: ImportPipeline, _ files: [Sent]) throws -> [String] {
        try files.map { try outcome(pipeline.importFile(at: $0.url, options: $0.options, amending: $0.amending)) }
    }

    @Test func everyStepOfAnImportLeavesTheSameRowsOnBothBackends() throws {
        try PostgresBackendTests.withEmptyBackends(Self.importTheSameFiles)
    }

    /// An import that cannot get its turn gives up after its wait limit, in plain words and with
    /// nothing written, as on SQLite; once the writer before it is done, the same file imports.
    @Test func anImportWaitsForItsTurnAtMostItsWaitLimit() throws {
        let server = try TestPostgres()
        let (holder, importer) = (try server.connect(), try server.connect())
        defer { holder.close(); importer.close() }
        _ = try PostgresMigrator.migrate(importer)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dc-pg-busy-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var pipeline = ImportPipeline.standard(store: StatementImportStore(writer: importer, quarantineDirectory: directory), observers: [])
        pipeline.waitLimit = 1
        let file = TestPostgres.root.appendingPathComponent("Imports/be-dca-drugchecking.csv")

        try holder.query("BEGIN")
        try holder.query("SELECT pg_advisory_xact_lock(\(PostgresSession.writeLock))")
        let started = Date()
        #expect {
            try pipeline.importFile(at: file, options: .init())
        } throws: { error in
            (error as? DatabaseBusy)?.description.contains("stayed locked by other writers for 1 s: nothing was written") == true
        }
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(try importer.rows("SELECT count(*) FROM import_batch", []) == [[.integer(0)]])
        try holder.query("COMMIT")
        #expect(try pipeline.importFile(at: file, options: .init()).outcome == .imported)
    }

    static func importTheSameFiles(_ database: DrugCheckDatabase, _ session: PostgresSession, _ directory: URL) throws {
        let quarantine = directory.appendingPathComponent("pg-quarantine")
        let files = try files(in: directory)

        let onSQLite = try importAll(.standard(database: database, observers: []), files)
        let postgres = StatementImportStore(writer: session, quarantineDirectory: quarantine)
        let onPostgres = try importAll(.standard(store: postgres, observers: []), files)
        #expect(onPostgres == onSQLite)
        #expect(onSQLite.filter { $0.contains(" imported ") }.count == PostgresBackendTests.examples.count + 6, "\(onSQLite)")
        #expect(onSQLite.contains { $0.contains("alreadyImported") } && onSQLite.filter { $0.contains(" rejected ") }.count == 3)
        #expect(onSQLite.last?.contains("not registered for lab BE-NICC") == true)
        #expect(onSQLite.contains { $0.contains("BE-DCA/S1") }, "the corrected re-export and the amendment supersede S1's run")
        // The rejected file is kept with its error report in the folder given for PostgreSQL.
        let kept = try FileManager.default.contentsOfDirectory(atPath: quarantine.path)
        #expect(kept.contains { $0.hasSuffix("broken-example-findings.csv") } && kept.contains { $0.hasSuffix(".errors.txt") })

        // The samples as read back (each import's automatic verification stamped with its own time).
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func documents(_ samples: [SampleDocument]) throws -> String {
            String(decoding: try encoder.encode(samples), as: UTF8.self).replacingOccurrences(of: #""at":[0-9.]+"#, with: "\"at\":0", options: .regularExpression)
        }
        #expect(try documents(SampleQuery().fetch(from: session).map(SampleDocument.init)) == documents(SampleQuery().fetch(in: database).map(SampleDocument.init)))
        let versions = try #require(try session.analysisVersions(lab: "BE-DCA", sampleID: "S1"))
        #expect(versions.count == 4 && versions.filter { $0.supersededBy != nil }.count == 2)
        for table in tables {
            let (pg, sq) = (try content(session, table), try content(database, table))
            #expect(pg == sq, "\(table): \(zip(pg, sq).first { $0 != $1 }.map { "\n\($0)\n\($1)" } ?? "\(pg.count) against \(sq.count) rows")")
        }

        // The same audit entries in PostgreSQL's own intact log, covering the same batches.
        let (sqliteLog, postgresLog) = (AuditLog(database: database), AuditLog(reader: session))
        #expect(try postgresLog.verify().isIntact)
        func entries(_ log: AuditLog) throws -> [String] {
            var numbers: [Int64: Int] = [:]
            func number(_ batch: Int64) -> Int { if let n = numbers[batch] { return n }; numbers[batch] = numbers.count + 1; return numbers.count }
            return try log.entries().map { entry in
                let subject = entry.subject.hasPrefix("batch:") ? "batch #\(number(Int64(entry.subject.dropFirst(6))!))" : entry.subject
                return "\(entry.actor) \(entry.kindText) \(subject) \(entry.details) \(entry.batchDigests.keys.map(number).sorted())"
            }
        }
        #expect(try entries(postgresLog) == entries(sqliteLog))
        #expect(try postgresLog.entries().contains { $0.kind == .amendment })

        // Every week's report (its audit head aside: each log stamps its own entries).
        let now = Date()
        let year = try WeeklyReportBuilder(database: database).report(for: ISOWeek("2026-W52")!, trendWeeks: 52, now: now)
        let weeks = Set(year.trend.filter { $0.tested > 0 }.map(\.week)).sorted()
        #expect(weeks.count >= 4)
        for week in weeks {
            let onSQLite = try WeeklyReportBuilder(database: database).report(for: week, now: now)
            var onPostgres = try WeeklyReportBuilder(source: PostgresReportReader(session: session)).report(for: week, now: now)
            onPostgres.auditHead = onSQLite.auditHead
            #expect(try WeeklyReportRenderer.render(onPostgres, as: .json) == WeeklyReportRenderer.render(onSQLite, as: .json), "\(week)")
        }
    }

    /// The tables an import writes or derives, compared without row ids.
    static let tables = ["sample", "analysis", "finding", "parked_finding", "spectrum_identification", "chromatogram", "sample_classification", "lab"]
        + PostgresVerificationTests.derivedTables.filter { !["sample_classification", "parked_finding"].contains($0) }

    /// A table's rows with each row's sample named by lab and id instead of the row ids that
    /// point to it, and without the times each run stamps, sorted.
    static func content(_ reader: any StoredRowReader, _ table: String) throws -> [String] {
        let analysis = "JOIN analysis a ON a.id = t.analysis_id JOIN sample s ON s.id = a.sample_id"
        let from = switch table {
        case "sample": "sample t JOIN sample s ON s.id = t.id"
        case "analysis", "sample_classification": "\(table) t JOIN sample s ON s.id = t.sample_id"
        case "finding", "parked_finding", "chromatogram": "\(table) t \(analysis)"
        case "spectrum_identification": "spectrum_identification t JOIN spectrum p ON p.id = t.spectrum_id JOIN analysis a ON a.id = p.analysis_id JOIN sample s ON s.id = a.sample_id"
        default: "\(table) t"
        }
        let key = from.contains(" s ON ") ? "s.lab_code AS sample_lab, s.lab_sample_id AS sample_key, " : ""
        let ids: Set<String> = ["id", "sample_id", "analysis_id", "batch_id", "first_batch_id", "finding_id", "parked_finding_id",
                                "spectrum_id", "run_id", "superseded_by", "verified_at", "classified_at"]
        let (columns, rows) = try reader.namedRows("SELECT \(key)t.* FROM \(from)", [])
        return rows.map { values in zip(columns, values).filter { !ids.contains($0.0) }.map { "\($0.0)=\($0.1)" }.joined(separator: " ") }.sorted()
    }
}
