import DrugCheckClassify
import DrugCheckImport
import DrugCheckModel
import DrugCheckPostgres
import DrugCheckReports
import DrugCheckStore
import Foundation
import Testing

/// The PostgreSQL backend against the SQLite store on real files: the two schemas agree, a copy
/// holds every row (same digests, same audit head), and the weekly report reads the same on both.
@Suite("PostgreSQL backend: schema in step with SQLite, copy, the weekly report on both")
struct PostgresBackendTests {
    static let examples = ["be-dca-drugchecking.csv", "be-nicc-seizures.csv", "nl-dims-export.tsv", "be-lge-export-cp1252.csv",
                           "mzml-example.mzML", "animl-example.animl", "results-example.xml"]

    /// A fresh SQLite database in a temporary folder.
    static func sqlite() throws -> (DrugCheckDatabase, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dc-pg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return (try DrugCheckDatabase(path: directory.appendingPathComponent("source.sqlite").path), directory)
    }

    /// A fresh SQLite database and a fresh PostgreSQL database with DrugCheck's schema, with the
    /// SQLite file's temporary folder.
    static func withEmptyBackends(_ body: (DrugCheckDatabase, PostgresSession, URL) throws -> Void) throws {
        let (database, directory) = try sqlite()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try TestPostgres()
        let session = try server.connect()
        defer { session.close() }
        _ = try PostgresMigrator.migrate(session)
        try body(database, session, directory)
    }

    /// The example exports imported through the real pipeline (spectra identified on import).
    static func populated() throws -> (DrugCheckDatabase, URL) {
        let (database, directory) = try sqlite()
        for name in examples {
            let result = try ImportPipeline.standard(database: database, observers: [])
                .importFile(at: TestPostgres.root.appendingPathComponent("Imports/\(name)"), options: .init())
            #expect(result.outcome == .imported, "\(name): \(result.errors)")
        }
        return (database, directory)
    }

    /// The examples imported into SQLite and copied into a new PostgreSQL database.
    /// With `amended`, sample BE-DCA/S1 is imported and then corrected first, so the copy also
    /// holds a superseded result with its findings parked.
    static func withCopy(amended: Bool = false, _ body: (DrugCheckDatabase, PostgresSession) throws -> Void) throws {
        let (database, directory) = try populated()
        defer { try? FileManager.default.removeItem(at: directory) }
        let header = "lab,sample_id,sample_type,source,sold_as,collected_on,region,technique,substance,detected,concentration,unit\n"
        for (name, percent) in amended ? [("first", 60), ("corrected", 55)] : [] {
            let file = directory.appendingPathComponent("\(name).csv")
            try (header + "BE-DCA,S1,powder,drug_checking,,2026-11-17,,GC-MS,Cocaine HCl,true,\(percent),%w/w\n").write(to: file, atomically: true, encoding: .utf8)
            #expect(try ImportPipeline.standard(database: database, observers: []).importFile(at: file, options: .init()).outcome == .imported)
        }
        let server = try TestPostgres()
        let session = try server.connect()
        defer { session.close() }
        _ = try DatabaseCopy.run(from: database, to: session)
        try body(database, session)
    }

    @Test func theTwoBackendsHaveTheSameTablesAndColumns() throws {
        let (database, directory) = try Self.sqlite()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try TestPostgres()
        let session = try server.connect()
        defer { session.close() }
        #expect(try PostgresMigrator.migrate(session) == ["v1-schema", "audit-append-only", "web-sessions-own-file", "sample-filters",
                                                          "sample-week-region", "week-rollups", "aggregate-triggers", "web-sessions-shared",
                                                          "sample-lab-week-by-id"])
        #expect(try PostgresMigrator.migrate(session).isEmpty, "a second run has nothing to do")

        let tables = try database.storedTables()
        #expect(tables.count > 25)
        var columns = try session.tableColumns()
        #expect(PostgresSchemaComparison.differences(sqlite: tables, postgres: columns) == [])

        // The comparison notices a column one backend lacks.
        try session.query("ALTER TABLE sample ADD COLUMN colour_code TEXT")
        columns = try session.tableColumns()
        #expect(PostgresSchemaComparison.differences(sqlite: tables, postgres: columns).count == 1)
    }

    @Test func aCopyHoldsEveryRowAndTheReportReadsTheSameOnBothBackends() throws {
        let (database, directory) = try Self.populated()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try TestPostgres()
        let session = try server.connect()
        defer { session.close() }

        let result = try DatabaseCopy.run(from: database, to: session)
        let source = try database.digests(of: try database.storedTables())
        for table in result.tables {
            #expect(table.rows == source[table.name]?.rows && table.sha256 == source[table.name]?.hex, "\(table.name)")
        }
        let rows = Dictionary(uniqueKeysWithValues: result.tables.map { ($0.name, $0.rows) })
        #expect(rows["sample"]! > 100 && rows["finding"]! > 100 && rows["spectrum"]! > 0 && rows["audit_entry"]! >= Self.examples.count)
        #expect(result.auditHead == (try AuditLog(database: database).head()))

        // The weekly report of every week with samples (and of a week without): identical figures,
        // trend, signals, notes and audit head, in every region and in one.
        let now = Date()
        let year = try WeeklyReportBuilder(database: database).report(for: ISOWeek("2026-W52")!, trendWeeks: 52, now: now)
        let weeks = Set(year.trend.filter { $0.tested > 0 }.map(\.week)).sorted()
        #expect(weeks.count >= 3, "the examples span several weeks")
        for week in weeks + [ISOWeek("2026-W52")!] {
            for region in [nil, "BE33"] as [String?] {
                let onSQLite = try WeeklyReportBuilder(database: database).report(for: week, region: region, now: now)
                let onPostgres = try WeeklyReportBuilder(source: PostgresReportReader(session: session)).report(for: week, region: region, now: now)
                #expect(try WeeklyReportRenderer.render(onPostgres, as: .json) == WeeklyReportRenderer.render(onSQLite, as: .json),
                        "\(week) \(region ?? "all")")
                #expect(onPostgres.auditHead == result.auditHead)
            }
        }
    }

    /// A PostgreSQL database that already holds data when `week-rollups` arrives: the migration
    /// fills the rollups from its own rows, the same rows SQLite keeps.
    @Test func theWeekRollupsMigrationFillsTheTablesFromTheDataAlreadyThere() throws {
        try Self.withCopy { database, session in
            let rollups = ["report_week_margin", "report_week_margin_provisional", "report_week_sold_as", "report_week_sold_as_found"]
            let tables = try database.storedTables().filter { rollups.contains($0.name) }
            #expect(tables.count == rollups.count)
            let onSQLite = try database.digests(of: tables)
            #expect(onSQLite["report_week_margin"]!.rows > 10 && onSQLite["report_week_sold_as_found"]!.rows > 0)

            // The database as it was before the migration: no rollup tables, the migration not applied.
            for table in rollups { try session.query("DROP TABLE \(table)") }
            try session.query("DELETE FROM drugcheck_migration WHERE identifier = 'week-rollups'")
            #expect(try PostgresMigrator.migrate(session) == ["week-rollups"])

            let columns = try session.tableColumns()
            for table in tables {
                let filled = try session.digest(of: table, columns: columns[table.name]!)
                #expect(filled.rows == onSQLite[table.name]!.rows && filled.hex == onSQLite[table.name]!.hex, "\(table.name)")
            }
        }
    }

    /// `samples` and `samples show` on PostgreSQL: the same samples, results, findings,
    /// classifications and result versions as on SQLite, for each filter.
    @Test func samplesAndTheirHistoryReadTheSameOnBothBackends() throws {
        try Self.withCopy(amended: true) { database, session in
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            func json(_ samples: [StoredSample]) throws -> String {
                String(decoding: try encoder.encode(samples.map(SampleDocument.init)), as: UTF8.self)
            }
            var submitted = SampleQuery(), verified = SampleQuery(), one = SampleQuery(labCode: "BE-DCA")
            (submitted.status, verified.status, one.labSampleID) = (.submitted, .verified, "S1")
            let queries = [SampleQuery(), SampleQuery(week: ISOWeek("2026-W36")), SampleQuery(reportClass: .nitazene),
                           SampleQuery(reportClass: .fentanylAnalogue, labCode: "BE-DCA"), SampleQuery(afterID: 20, limit: 15),
                           submitted, verified, one]
            for query in queries {
                let onSQLite = try query.fetch(in: database)
                #expect(try json(query.fetch(from: session)) == json(onSQLite), "\(query)")
            }
            let all = try SampleQuery().fetch(in: database)
            #expect(all.count > 100 && all.contains { $0.classification?.positiveClasses.count ?? 0 > 1 })
            for stored in all {
                let (lab, id) = (stored.sample.labCode, stored.sample.labSampleID)
                let onSQLite = try #require(try database.analysisVersions(lab: lab, sampleID: id))
                let onPostgres = try #require(try session.analysisVersions(lab: lab, sampleID: id))
                #expect(try encoder.encode(onPostgres) == encoder.encode(onSQLite), "\(lab)/\(id)")
            }
            #expect(try database.analysisVersions(lab: "BE-DCA", sampleID: "S1")?.compactMap(\.supersededBy).count == 1)
            #expect(try session.analysisVersions(lab: "BE-XX", sampleID: "none") == nil)
        }
    }

    @Test func aCopyIsRefusedIntoADatabaseThatHoldsData() throws {
        let (database, directory) = try Self.sqlite()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try TestPostgres()
        let session = try server.connect()
        defer { session.close() }
        _ = try DatabaseCopy.run(from: database, to: session)
        try session.query("INSERT INTO lab (code, name) VALUES ('BE-XX', 'Another lab')")
        #expect(throws: PostgresTrouble.notEmpty(server.location.description)) { try DatabaseCopy.run(from: database, to: session) }
    }

    @Test func theAuditLogIsAppendOnlyOnPostgreSQL() throws {
        try Self.withCopy { database, session in
            #expect(throws: PostgresTrouble.self) { try session.query("UPDATE audit_entry SET actor = 'someone else' WHERE seq = 1") }
            #expect(throws: PostgresTrouble.self) { try session.query("DELETE FROM audit_entry") }
            let entries = try session.query("SELECT count(*) FROM audit_entry").first!.decode(Int64.self)
            #expect(entries == Int64(try AuditLog(database: database).count()))
        }
    }

    @Test func theAuditLogIsVerifiedOnPostgreSQLsOwnRows() throws {
        try Self.withCopy(amended: true) { database, session in
            #expect(try session.query("SELECT count(*) FROM parked_finding").first!.decode(Int64.self) > 0)

            let (sqliteLog, postgresLog) = (AuditLog(database: database), AuditLog(reader: session))
            let onSQLite = try sqliteLog.verify()
            #expect(onSQLite.isIntact && onSQLite.entryCount > Self.examples.count)
            #expect(try postgresLog.verify() == onSQLite)
            // `audit show` reads the same entries there: all, since a time, about one sample.
            #expect(try postgresLog.entries() == sqliteLog.entries())
            #expect(try postgresLog.head() == sqliteLog.head() && postgresLog.count() == onSQLite.entryCount)
            let third = try sqliteLog.entries()[2]
            let since = try #require(try Date(third.recordedAt, strategy: .iso8601))
            #expect(try postgresLog.entries(since: since) == sqliteLog.entries(since: since))
            #expect(try postgresLog.entries(sample: ("BE-DCA", "S1")).map(\.kind) == [.import, .import, .amendment])
            #expect(try postgresLog.entries(sample: ("BE-DCA", "S1")) == sqliteLog.entries(sample: ("BE-DCA", "S1")))

            // Tampering on the server is found there: a changed concentration names its batch, a
            // rewritten entry (its append-only trigger disabled by the table's owner) breaks the chain.
            let finding = try session.query("""
                SELECT a.batch_id, f.id FROM finding f JOIN analysis a ON a.id = f.analysis_id WHERE f.concentration IS NOT NULL ORDER BY f.id LIMIT 1
                """).first!.decode((Int64, Int64).self)
            try session.query("UPDATE finding SET concentration = concentration + 1 WHERE id = \(finding.1)")
            let batchEntry = try #require(try AuditLog(database: database).entries().last { $0.batchDigests[finding.0] != nil })
            #expect(try postgresLog.verify().batchProblems == [BatchProblem(batchID: finding.0, entrySequence: batchEntry.sequence)])
            try session.query("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_no_update")
            try session.query(#"UPDATE audit_entry SET details = '{"file":"other.csv"}' WHERE seq = 2"#)
            #expect(try postgresLog.verify().chainProblem == .altered(sequence: 2))
        }
    }

    @Test func aDatabaseWithoutTheCurrentSchemaIsSaidPlainly() throws {
        let server = try TestPostgres()
        let session = try server.connect()
        defer { session.close() }
        let everyStep = try PostgresMigrator.pending(session)
        #expect(everyStep.first == "v1-schema" && everyStep.count > 4)
        #expect(throws: PostgresTrouble.schemaNotCurrent(server.location.description, missing: everyStep)) {
            try PostgresMigrator.connectToCurrentSchema(server.location)
        }
        #expect(try PostgresMigrator.migrate(session) == everyStep)
        #expect(try PostgresMigrator.pending(session).isEmpty)
        try PostgresMigrator.connectToCurrentSchema(server.location).close()
        try session.query("DELETE FROM drugcheck_migration WHERE identifier = 'sample-week-region'")
        do {
            try PostgresMigrator.connectToCurrentSchema(server.location).close()
            Issue.record("an older schema was accepted")
        } catch let trouble as PostgresTrouble {
            #expect(trouble.localizedDescription.contains("has an older DrugCheck schema (missing sample-week-region): update it with drugcheck db migrate"))
        }
    }

    @Test func aServerThatIsNotThereIsSaidPlainly() throws {
        let nowhere = try PostgresLocation(parsing: "postgres://drugcheck@127.0.0.1:1/drugcheck")
        do {
            _ = try PostgresSession.connect(to: nowhere)
            Issue.record("connected to port 1")
        } catch let trouble as PostgresTrouble {
            #expect(trouble.localizedDescription.hasPrefix("No PostgreSQL server answers at postgres://drugcheck@127.0.0.1:1/drugcheck"))
        }
        #expect(throws: PostgresTrouble.self) { try PostgresLocation(parsing: "postgres://localhost") }
        #expect(throws: PostgresTrouble.self) { try PostgresLocation(parsing: "postgres://u@h/db?sslmode=sometimes") }
        let parsed = try PostgresLocation(parsing: "postgresql://ana:secret@db.example.org:6543/surveillance", environment: [:])
        #expect(parsed == PostgresLocation(host: "db.example.org", port: 6543, user: "ana", password: "secret", database: "surveillance"))
        #expect(parsed.description == "postgres://ana@db.example.org:6543/surveillance")
    }
}
