import DrugCheckAccess
import DrugCheckBulletins
import DrugCheckImport
import DrugCheckStore
import DrugCheckTestSupport
import Foundation
import GRDB
import Testing

/// The audit log over real imports, then tampered with in SQLite directly (after dropping the
/// append-only triggers, as someone with the sqlite3 shell could): `verify` must name each change.
@Suite("Tamper-evident audit log")
struct AuditLogTests {
    /// Three real files and one rejected file: entries 1…4.
    func importedDatabase() throws -> TestDatabase {
        let t = try TestDatabase()
        let pipeline = ImportPipeline.standard(database: t.database, observers: [])
        for name in ["be-dca-drugchecking.csv", "be-nicc-seizures.csv", "results-example.xml", "broken-example-findings.csv"] {
            _ = try pipeline.importFile(at: PackagePaths.imports.appendingPathComponent(name), options: .init())
        }
        return t
    }

    /// Runs SQL with the audit table's triggers gone.
    func tamper(_ t: TestDatabase, _ sql: String) throws {
        try t.database.writer.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS audit_entry_no_update; DROP TRIGGER IF EXISTS audit_entry_no_delete")
            try db.execute(sql: sql)
        }
    }

    /// The report through the store's own reads, and again through ``StoredRowReader`` (the
    /// path another backend's rows take): both must say the same.
    func report(_ t: TestDatabase) throws -> AuditReport {
        let direct = try AuditLog(database: t.database).verify()
        #expect(try AuditVerifier.verify(t.database) == direct)
        return direct
    }

    /// The first batch's id and one of its findings.
    func firstFinding(_ t: TestDatabase) throws -> (batch: Int64, finding: Int64) {
        try t.database.writer.read { db in
            let row = try #require(try Row.fetchOne(db, sql: """
                SELECT a.batch_id, f.id FROM finding f JOIN analysis a ON a.id = f.analysis_id WHERE f.concentration IS NOT NULL ORDER BY f.id LIMIT 1
                """))
            return (row[0], row[1])
        }
    }

    @Test func untouchedDatabaseVerifiesClean() throws {
        let t = try importedDatabase()
        let log = AuditLog(database: t.database)
        let r = try report(t)
        #expect(r.isIntact)
        #expect(r.entryCount == 4)
        #expect(r.head == (try log.head()))
        #expect(try log.entries().map(\.kindText) == ["import", "import", "import", "rejection"])
        #expect(try log.entries().first?.batchDigests.count == 1)
    }

    @Test func theTableIsAppendOnly() throws {
        let t = try importedDatabase()
        #expect(throws: DatabaseError.self) { try t.database.writer.write { try $0.execute(sql: "UPDATE audit_entry SET actor = 'x'") } }
        #expect(throws: DatabaseError.self) { try t.database.writer.write { try $0.execute(sql: "DELETE FROM audit_entry") } }
    }

    @Test func alteredEntryIsNamed() throws {
        let t = try importedDatabase()
        try tamper(t, #"UPDATE audit_entry SET details = '{"file":"other.csv"}' WHERE seq = 2"#)
        #expect(try report(t).chainProblem == .altered(sequence: 2))
    }

    @Test func deletedEntryIsNamed() throws {
        let t = try importedDatabase()
        try tamper(t, "DELETE FROM audit_entry WHERE seq = 2")
        #expect(try report(t).chainProblem == .deleted(from: 2, through: 2))
    }

    @Test func insertedEntryIsNamed() throws {
        let t = try importedDatabase()
        // Make room after entry 2, then forge entry 3 linked to entry 2.
        try tamper(t, """
            UPDATE audit_entry SET seq = -seq WHERE seq > 2; UPDATE audit_entry SET seq = 1 - seq WHERE seq < 0;
            INSERT INTO audit_entry (seq, recorded_at, actor, kind, subject, details, batch_digests, content_sha256, previous_sha256, entry_sha256)
            SELECT 3, recorded_at, 'mallory', 'import', 'batch:99', '{}', '{}', content_sha256, entry_sha256, 'forged' FROM audit_entry WHERE seq = 2
            """)
        #expect(try report(t).chainProblem == .inserted(sequence: 3))
    }

    @Test func reorderedEntriesAreNamed() throws {
        let t = try importedDatabase()
        try tamper(t, "UPDATE audit_entry SET seq = -1 WHERE seq = 2; UPDATE audit_entry SET seq = 2 WHERE seq = 3; UPDATE audit_entry SET seq = 3 WHERE seq = -1")
        #expect(try report(t).chainProblem == .reordered(sequence: 2, follows: 3))
    }

    @Test func alteredConcentrationIsNamed() throws {
        let t = try importedDatabase()
        let (batch, finding) = try firstFinding(t)
        try tamper(t, "UPDATE finding SET concentration = concentration + 1 WHERE id = \(finding)")
        let r = try report(t)
        #expect(r.chainProblem == nil)
        #expect(r.batchProblems == [BatchProblem(batchID: batch, entrySequence: 1)])
    }

    @Test func deletedFindingIsNamed() throws {
        let t = try importedDatabase()
        let (batch, finding) = try firstFinding(t)
        try tamper(t, "DELETE FROM finding WHERE id = \(finding)")
        #expect(try report(t).batchProblems.map(\.batchID) == [batch])
    }

    @Test func insertedFindingIsNamed() throws {
        let t = try importedDatabase()
        let (batch, finding) = try firstFinding(t)
        try tamper(t, """
            INSERT INTO finding (analysis_id, reported_name, substance_id, detected) SELECT analysis_id, 'Fentanyl', 'fentanyl', 1
            FROM finding WHERE id = \(finding)
            """)
        #expect(try report(t).batchProblems.map(\.batchID) == [batch])
    }

    @Test func batchWithoutAnyEntryIsNamed() throws {
        let t = try importedDatabase()
        try tamper(t, """
            INSERT INTO import_batch (file_name, sha256, format, received_at, outcome) VALUES ('x.csv', 'x', 'findings_csv', '2026-01-01', 'imported')
            """)
        let id = try t.database.writer.read { try Int64.fetchOne($0, sql: "SELECT max(id) FROM import_batch") }
        #expect(try report(t).batchProblems == [BatchProblem(batchID: try #require(id), entrySequence: nil)])
    }

    @Test func laterFilesAndReclassificationRecordTheDigestsTheyChange() throws {
        let t = try TestDatabase()
        let pipeline = ImportPipeline.standard(database: t.database, observers: [])
        let header = "lab,sample_id,sample_type,source,sold_as,collected_on,region,technique,substance,detected,concentration,unit\n"
        let first = try t.file("first.csv", header + "BE-DCA,S1,powder,drug_checking,,2026-11-17,,GC-MS,Cocaine HCl,true,60,%w/w\n")
        // A corrected re-export: the same run replaces the first file's analysis, and the sold-as fills a gap.
        let corrected = try t.file("corrected.csv", header + "BE-DCA,S1,powder,drug_checking,cocaine,2026-11-17,,GC-MS,Cocaine HCl,true,55,%w/w\n")
        #expect(try pipeline.importFile(at: first, options: .init()).outcome == .imported)
        #expect(try pipeline.importFile(at: corrected, options: .init()).outcome == .imported)
        let log = AuditLog(database: t.database)
        #expect(try log.entries().last { $0.kind == .import }?.batchDigests.keys.sorted() == [1, 2], "the second import re-records batch 1's digest")
        #expect(try log.entries().last?.kind == .amendment, "the corrected run is an amendment")
        try Reclassification(classifier: pipeline.classifier).run(in: t.database, actor: "ana")
        #expect(try log.entries().last?.kind == .reclassification)
        #expect(try log.entries().last?.actor == "ana")
        #expect(try report(t).isIntact)
        let kinds = try log.entries(sample: ("BE-DCA", "S1")).map(\.kind)
        #expect(kinds == [.import, .import, .amendment, .reclassification], "\(kinds)")
    }
}

@Suite("Audit entries of users, tokens, subscribers and bulletins")
struct AuditMirrorTests {
    @Test func everyChangeAppendsAnEntryAndTheChainHolds() throws {
        let t = try TestDatabase()
        let scanner = BulletinScanner(database: t.database)
        let pipeline = ImportPipeline.standard(database: t.database, observers: [BulletinTriggerObserver(scanner: scanner)])
        let result = try pipeline.importFile(at: PackagePaths.imports.appendingPathComponent("be-dca-drugchecking.csv"), options: .init())
        _ = pipeline.notify([result])
        let bulletin = try #require(try BulletinStore(database: t.database).bulletins().first?.id)
        try BulletinWorkflow(database: t.database).approve(bulletin, by: "an")

        let access = AccessStore(database: t.database)
        let user = try access.createUser(name: "ana", role: .reviewer, actor: "admin-1")
        let token = try access.issueToken(userID: user.id, actor: "admin-1")
        try access.revokeToken(id: token.info.id, actor: "admin-1")
        try Subscribers(database: t.database).add(Subscriber(name: "poison-centre", url: "https://example.org/hook", secret: "s"), actor: "admin-1")
        try Subscribers(database: t.database).remove(name: "poison-centre", actor: "admin-1")

        let log = AuditLog(database: t.database)
        let entries = try log.entries()
        #expect(entries.first?.kind == .import)
        #expect(entries.contains { $0.kind == .bulletin && $0.subject == "bulletin:\(bulletin)" && $0.actor == "an" && $0.details.contains("approved") })
        #expect(entries.suffix(5).map(\.subject) == ["user:ana", "token:\(token.info.id)", "token:\(token.info.id)",
                                                      "subscriber:poison-centre", "subscriber:poison-centre"])
        #expect(entries.suffix(5).allSatisfy { $0.actor == "admin-1" })
        #expect(!entries.contains { $0.details.contains(token.secret) })
        #expect(try log.verify().isIntact)
    }
}
