import DrugCheckAccess
import DrugCheckBulletins
import DrugCheckModel
import DrugCheckPostgres
import DrugCheckStore
import Foundation
import Testing
import WebhookTestReceiver

/// The bulletin review, subscriber changes and access (labs, users, tokens) written on
/// PostgreSQL (issue #18): the same steps
/// on a copy give what they give on SQLite (bulletins, messages, deliveries, the bulletins' own
/// audit trail and the tamper-evident log), and writers in several processes at once keep the
/// audit chain whole.
@Suite("PostgreSQL: the bulletin review, subscribers and access written as on SQLite")
struct PostgresWorkflowTests {
    static let addresses = WebhookAddressPolicy(allowList: ["127.0.0.1:9"])
    static let reviewedAt = QueuedOutbox.publishedAt

    /// Drafts from a trigger scan of the examples and two subscribers, on SQLite, copied to a new
    /// PostgreSQL database.
    static func withDrafts(_ body: (DrugCheckDatabase, PostgresSession) throws -> Void) throws {
        let (database, directory) = try PostgresBackendTests.sqlite()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try QueuedOutbox.fill(database, subscribers: [:], port: 9, addresses: addresses, publishing: false)
        let subscribers = Subscribers(database: database, addresses: addresses)
        try subscribers.add(Subscriber(name: "poison-centre", url: "http://127.0.0.1:9/hook/pc", secret: "pc"), at: reviewedAt)
        try subscribers.add(Subscriber(name: "opioids-only", url: "http://127.0.0.1:9/hook/oo", secret: "oo", format: .json,
                                       classes: [.anySyntheticOpioid]), at: reviewedAt)
        let server = try TestPostgres()
        let session = try server.connect()
        defer { session.close() }
        _ = try DatabaseCopy.run(from: database, to: session)
        try body(database, session)
    }

    /// The review every bulletin goes through here: refused steps, approval, publication, and the
    /// second bulletin declared an error. Returns the refusals in plain words.
    static func review(on writer: any StoredRowWriter) throws -> [String] {
        let workflow = BulletinWorkflow(writer: writer)
        let ids = try BulletinStore(reader: writer).bulletins().map(\.id)
        var refusals: [String] = []
        func refused(_ step: () throws -> Void) {
            do { try step() } catch { refusals.append("\(error)") }
        }
        refused { try workflow.approve(ids[0], by: "scanner", at: reviewedAt) }
        refused { try workflow.publish(ids[0], by: "reviewer", at: reviewedAt) }
        refused { try workflow.approve(999_999, by: "reviewer", at: reviewedAt) }
        for (n, id) in ids.enumerated() {
            try workflow.approve(id, by: "reviewer", at: reviewedAt.addingTimeInterval(Double(n)))
            try workflow.publish(id, by: "publisher", at: reviewedAt.addingTimeInterval(Double(n) + 0.5))
        }
        refused { try workflow.approve(ids[0], by: "reviewer", at: reviewedAt) }
        try workflow.cancel(ids[1], by: "reviewer", note: "Issued in error", error: true, at: reviewedAt.addingTimeInterval(3600))
        refused { try workflow.cancel(ids[1], by: "reviewer", note: "again", at: reviewedAt.addingTimeInterval(3601)) }
        return refusals
    }

    /// A published message without its audit head (the heads differ: each log stamps its own entries).
    static func withoutHead(_ message: PublishedMessage) -> PublishedMessage {
        var message = message
        message.auditHead = nil
        return message
    }

    @Test func theReviewWritesTheSameOnBothBackends() throws {
        try Self.withDrafts { database, session in
            let sqliteRefusals = try Self.review(on: database)
            #expect(try Self.review(on: session) == sqliteRefusals)
            #expect(sqliteRefusals.count == 5)
            #expect(sqliteRefusals.first?.contains("four-eyes") == true)

            let (sqlite, postgres) = (BulletinStore(database: database), BulletinStore(reader: session))
            let bulletins = try sqlite.bulletins()
            #expect(bulletins.count >= 2)
            #expect(try postgres.bulletins() == bulletins)
            #expect(bulletins.map(\.state).filter { $0 == .published }.count == bulletins.count - 1)
            for bulletin in bulletins {
                let messages = try sqlite.messages(bulletinID: bulletin.id)
                #expect(try postgres.messages(bulletinID: bulletin.id).map(Self.withoutHead) == messages.map(Self.withoutHead))
                #expect(try postgres.audit(bulletinID: bulletin.id) == sqlite.audit(bulletinID: bulletin.id))
            }
            #expect(try sqlite.messages(bulletinID: bulletins[1].id).map(\.messageType) == [.alert, .error])
            #expect(try postgres.latestMessages().map(Self.withoutHead) == sqlite.latestMessages().map(Self.withoutHead))
            #expect(try AtomFeedWriter().publishedFeed(store: postgres).body.count > 0)

            // Every published message goes to the subscribers who want it, on both.
            let deliveries = try Outbox(database: database).deliveries()
            #expect(try Outbox(reader: session).deliveries() == deliveries)
            #expect(deliveries.filter { $0.subscriber == "poison-centre" }.count == bulletins.count + 1)
            #expect(deliveries.contains { $0.subscriber == "opioids-only" })
            #expect(deliveries.count < 2 * (bulletins.count + 1))

            // Each step is in PostgreSQL's own audit log, chained onto the copied entries.
            let (sqliteLog, postgresLog) = (AuditLog(database: database), AuditLog(reader: session))
            #expect(try postgresLog.verify().isIntact)
            func steps(_ log: AuditLog) throws -> [String] { try log.entries().map { "\($0.sequence) \($0.actor) \($0.kindText) \($0.subject) \($0.details)" } }
            #expect(try steps(postgresLog) == steps(sqliteLog))
            let head = try #require(try postgresLog.head())
            let heads = try postgres.messages(bulletinID: bulletins[1].id).compactMap(\.auditHead)
            #expect(heads.last == "\(head.sequence - 1):\(try postgresLog.entries()[Int(head.sequence) - 2].entrySHA256)")
        }
    }

    @Test func theTriggerScanDraftsAndFlagsTheSameBulletinsOnBothBackends() throws {
        try PostgresBackendTests.withCopy { database, session in
            let postgresScanner = BulletinScanner(writer: session, reports: PostgresReportReader(session: session))
            let sqliteResult = try BulletinScanner(database: database).scan(actor: "scanner", at: Self.reviewedAt)
            #expect(sqliteResult.created.count >= 2)
            #expect(try postgresScanner.scan(actor: "scanner", at: Self.reviewedAt) == sqliteResult)
            let (sqlite, postgres) = (BulletinStore(database: database), BulletinStore(reader: session))
            #expect(try postgres.bulletins() == sqlite.bulletins())
            let again = try postgresScanner.scan(actor: "scanner", at: Self.reviewedAt.addingTimeInterval(60))
            #expect(again.created.isEmpty && again.updated.isEmpty && again.unchanged == sqliteResult.created)

            // A published bulletin whose evidence is amended is flagged for review on both.
            let bulletin = try #require(try sqlite.bulletins().first)
            let firstEvidence = try #require(bulletin.facts.sampleIDs.first)
            let evidence = try #require(try database.sample(rowID: firstEvidence))
            let reference = "\(evidence.sample.labCode)/\(evidence.sample.labSampleID)"
            for writer: any StoredRowWriter in [database, session] {
                try BulletinWorkflow(writer: writer).approve(bulletin.id, by: "reviewer", at: Self.reviewedAt)
                try BulletinWorkflow(writer: writer).publish(bulletin.id, by: "reviewer", at: Self.reviewedAt)
                #expect(try AmendedEvidence(writer: writer).flag(samples: [reference], actor: "ana", at: Self.reviewedAt) == [bulletin.id])
            }
            #expect(try postgres.bulletin(id: bulletin.id)?.reviewFlag?.contains(reference) == true)
            #expect(try postgres.bulletins() == sqlite.bulletins())
            #expect(try postgres.audit(bulletinID: bulletin.id) == sqlite.audit(bulletinID: bulletin.id))
            #expect(try AuditLog(reader: session).verify().isIntact)
        }
    }

    @Test func subscribersAreAddedAndRemovedAsOnSQLite() throws {
        try Self.withDrafts { database, session in
            for writer: any StoredRowWriter in [database, session] {
                let subscribers = Subscribers(writer: writer, addresses: Self.addresses)
                try subscribers.add(Subscriber(name: "focal-point", url: "http://127.0.0.1:9/hook/fp", secret: "fp", regions: ["BE2"]),
                                    at: Self.reviewedAt, actor: "admin")
                #expect(throws: Subscribers.InvalidSubscriber.self) {
                    try subscribers.add(Subscriber(name: "focal-point", url: "http://127.0.0.1:9/hook/x", secret: "x"), actor: "admin")
                }
                #expect(try subscribers.setFilters(name: "focal-point", classes: [.anySyntheticOpioid], regions: ["BE"], minimumSeverity: .severe,
                                                   languages: [.nl], actor: "admin"))
                #expect(try !subscribers.setFilters(name: "nobody", classes: [], regions: [], minimumSeverity: .unknown, languages: [],
                                                    actor: "admin"))
                #expect(try subscribers.remove(name: "poison-centre", actor: "admin"))
                #expect(try !subscribers.remove(name: "poison-centre", actor: "admin"))
            }
            #expect(try Subscribers.list(from: session) == Subscribers(database: database).list())
            #expect(try Subscribers.list(from: session).map(\.name) == ["opioids-only", "focal-point"])
            let (sqliteLog, postgresLog) = (AuditLog(database: database), AuditLog(reader: session))
            #expect(try postgresLog.verify().isIntact)
            #expect(try postgresLog.entries().map(\.details) == sqliteLog.entries().map(\.details))
        }
    }

    @Test func labsUsersAndTokensAreManagedAsOnSQLite() throws {
        try PostgresBackendTests.withCopy { database, session in
            var secrets: [[String]] = []
            for store: any StoredRowWriter in [database, session] {
                let access = AccessStore(store: store)
                try access.createLab(Lab(code: "BE-NEW", name: "New lab", country: "BE"), actor: "admin")
                #expect(throws: AccessStoreError.self) { try access.createLab(Lab(code: "BE-NEW", name: "Again", country: "BE")) }
                let uploader = try access.createUser(name: "uploader", role: .lab, labCode: "NL-NEW", actor: "admin")
                let analyst = try access.createUser(name: "analyst", role: .ministry, actor: "admin")
                #expect(throws: AccessStoreError.self) { _ = try access.createUser(name: "analyst", role: .ministry) }
                let (kept, revoked, disabled) = (try access.issueToken(userID: uploader.id, actor: "admin"),
                                                 try access.issueToken(userID: uploader.id, actor: "admin"),
                                                 try access.issueToken(userID: analyst.id, actor: "admin"))
                #expect(throws: AccessStoreError.self) { _ = try access.issueToken(userID: 999_999) }
                #expect(try access.authenticate(kept.secret)?.labCode == "NL-NEW")
                #expect(try access.revokeToken(id: revoked.info.id, actor: "admin"))
                #expect(try !access.revokeToken(id: revoked.info.id, actor: "admin"))
                #expect(try access.authenticate(revoked.secret) == nil)
                #expect(try access.authenticate(disabled.secret)?.role == .ministry)
                try access.setPasswordHash("$2b$12$notarealhashbutstoredasgiven", userName: "analyst", actor: "admin")
                try access.setTOTPSecret("JBSWY3DPEHPK3PXP", userName: "analyst", actor: "admin")
                try access.disable(userName: "analyst", actor: "admin")
                #expect(throws: AccessStoreError.self) { try access.disable(userName: "nobody") }
                #expect(try access.authenticate(disabled.secret) == nil)
                try access.setLanguage("nl", userID: uploader.id)
                secrets.append([kept.secret, revoked.secret, disabled.secret])
            }
            let (sqlite, postgres) = (AccessStore(database: database), AccessStore(store: session))
            #expect(try postgres.labs() == sqlite.labs())
            #expect(try postgres.labs().map(\.code).contains("NL-NEW"))
            func accounts(_ access: AccessStore) throws -> [String] {
                try access.accounts().map { "\($0.user.id) \($0.user.name) \($0.user.role) \($0.user.labCode ?? "-") \($0.passwordHash ?? "-") "
                    + "\($0.totpSecret ?? "-") \($0.language ?? "-") \($0.isDisabled)" }
            }
            #expect(try accounts(postgres) == accounts(sqlite))
            let uploader = try #require(try postgres.account(named: "uploader")?.user)
            #expect(try postgres.tokens(userID: uploader.id).map { "\($0.id) \($0.revokedAt != nil)" }
                    == sqlite.tokens(userID: uploader.id).map { "\($0.id) \($0.revokedAt != nil)" })
            // Each backend answers for its own secrets only (a token is a hash in one database).
            #expect(try postgres.authenticate(secrets[1][0])?.userName == "uploader")
            #expect(try postgres.authenticate(secrets[0][0]) == nil)
            let (sqliteLog, postgresLog) = (AuditLog(database: database), AuditLog(reader: session))
            #expect(try postgresLog.verify().isIntact)
            func steps(_ log: AuditLog) throws -> [String] { try log.entries().map { "\($0.actor) \($0.kindText) \($0.subject) \($0.details)" } }
            #expect(try steps(postgresLog) == steps(sqliteLog))
        }
    }

    /// Two processes changing subscribers at once: every change lands, one audit entry each, and
    /// the chain stays whole (each write transaction waits for the other's advisory lock).
    @Test func writersInTwoProcessesKeepTheAuditChainWhole() async throws {
        let server = try TestPostgres()
        let setup = try server.connect()
        _ = try PostgresMigrator.migrate(setup)
        setup.close()
        let location = server.location
        let perWriter = 15
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in ["a", "b"] {
                group.addTask {
                    let session = try PostgresSession.connect(to: location)
                    defer { session.close() }
                    let subscribers = Subscribers(writer: session, addresses: Self.addresses)
                    for n in 0..<perWriter {
                        try subscribers.add(Subscriber(name: "\(writer)-\(n)", url: "http://127.0.0.1:9/hook/\(writer)\(n)", secret: "s"),
                                            actor: writer)
                    }
                }
            }
            try await group.waitForAll()
        }
        let session = try server.connect()
        defer { session.close() }
        #expect(try Subscribers.list(from: session).count == 2 * perWriter)
        let log = AuditLog(reader: session)
        #expect(try log.count() == 2 * perWriter)
        #expect(try log.verify().isIntact)
    }
}
