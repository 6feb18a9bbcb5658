import ArgumentParser
import DrugCheckBulletins
import DrugCheckPostgres
import DrugCheckStore
import Foundation

struct BulletinsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bulletins",
        abstract: "Early-warning bulletins: find events, review them (four eyes), publish and deliver them.",
        discussion: """
            'scan' evaluates the five triggers (first detection, high-potency opioid, unexpected synthetic \
            opioid, statistical signal, cluster) and creates draft bulletins; a repeated event updates its \
            bulletin. A draft is approved by someone other than its author, then published; publishing \
            queues one signed webhook delivery per matching subscriber, sent by 'deliver'.
            """,
        subcommands: [List.self, Show.self, Approve.self, Publish.self, Cancel.self, Scan.self, Deliver.self, Feed.self]
    )
}

extension BulletinConfiguration {
    /// The configuration in the JSON file at `path`, or the defaults when no file is given.
    static func load(_ path: String?) throws -> BulletinConfiguration {
        guard let path else { return BulletinConfiguration() }
        do { return try BulletinConfiguration(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ValidationError("\(path): not a valid bulletin configuration (\(error))")
        }
    }
}

/// `--config` and `--user`, shared by the bulletin commands.
struct BulletinOptions: ParsableArguments {
    @Option(name: .long, help: "JSON file with trigger thresholds, sender and base URL (see README, Bulletins).")
    var config: String?

    @Option(name: .long, help: "Who you are, for the audit log and the four-eyes rule (default: $DRUGCHECK_USER).")
    var user: String?

    func configuration() throws -> BulletinConfiguration { try BulletinConfiguration.load(config) }

    func actor() throws -> String {
        guard let name = user ?? ProcessInfo.processInfo.environment["DRUGCHECK_USER"], !name.isEmpty else {
            throw ValidationError("say who you are: --user NAME or DRUGCHECK_USER")
        }
        return name
    }
}

extension BulletinFormat: ExpressibleByArgument {}

extension BulletinLanguage: ExpressibleByArgument {}

extension BulletinsCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List bulletins with their state, trigger and headline.")
        @OptionGroup var database: DatabaseOptions
        @Option(name: .long, help: "Only bulletins in this state: draft, approved, published or cancelled.")
        var state: String?

        func run() throws {
            let store = BulletinStore(reader: try database.reader())
            let filter = try state.map { s in
                guard let v = BulletinState(rawValue: s) else { throw ValidationError("--state: expected draft, approved, published or cancelled") }
                return v
            }
            let texts = BulletinTexts.bundled
            for b in try store.bulletins(state: filter) {
                let headline = (try? texts.render(b.facts, in: .en).headline) ?? b.subject
                print("\(b.id)\t\(b.state.rawValue)\tv\(b.version) \(b.messageType.rawValue)\t\(b.facts.severity.rawValue)\ttrigger \(b.trigger.number)\t\(headline)"
                      + (b.reviewFlag.map { "\tREVIEW: \($0)" } ?? ""))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print one bulletin as CAP 1.2, Atom, JSON, Markdown or HTML.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var options: BulletinOptions
        @Argument(help: "Bulletin id (see 'bulletins list').") var id: Int64
        @Option(name: .long, help: "cap, atom, json, md or html.") var format: BulletinFormat = .md
        @Option(name: .long, help: "Only this language (en, nl, fr, de); default: all four.") var lang: BulletinLanguage?

        func run() throws {
            let store = BulletinStore(reader: try database.reader())
            guard let bulletin = try store.bulletin(id: id) else { throw ValidationError("no bulletin \(id)") }
            let config = try options.configuration()
            let languages = lang.map { [$0] } ?? BulletinLanguage.allCases
            let document = try BulletinDocument.current(bulletin, messages: try store.messages(bulletinID: id),
                                                        configuration: config, languages: languages)
            let first = try store.messages(bulletinID: id).first?.sent
            FileHandle.standardOutput.write(try format.render(document, firstPublished: first, configuration: config, language: lang))
        }
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a draft (not by its author or last editor).")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var options: BulletinOptions
        @Argument(help: "Bulletin id.") var id: Int64

        func run() throws {
            try BulletinWorkflow(writer: try database.writer(), configuration: try options.configuration()).approve(id, by: try options.actor())
            print("bulletin \(id) approved")
        }
    }

    struct Publish: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Publish an approved bulletin and queue its deliveries.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var options: BulletinOptions
        @Argument(help: "Bulletin id.") var id: Int64

        func run() throws {
            let db = try database.writer()
            try BulletinWorkflow(writer: db, configuration: try options.configuration()).publish(id, by: try options.actor())
            let queued = try Outbox(reader: db).deliveries().filter { $0.bulletinID == id && $0.state == .pending }.count
            print("bulletin \(id) published; \(queued) deliveries queued (send them with 'drugcheck bulletins deliver')")
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a bulletin (CAP Cancel, or Error with --error) with a reason.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var options: BulletinOptions
        @Argument(help: "Bulletin id.") var id: Int64
        @Option(name: .long, help: "Why (sent as the CAP note).") var note = "Cancelled by the issuer."
        @Flag(name: .long, help: "The bulletin was issued in error (CAP msgType Error).") var error = false

        func run() throws {
            try BulletinWorkflow(writer: try database.writer(), configuration: try options.configuration())
                .cancel(id, by: try options.actor(), note: note, error: error)
            print("bulletin \(id) cancelled")
        }
    }

    struct Scan: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Evaluate the triggers now and create or update bulletins.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var options: BulletinOptions

        func run() throws {
            let actor = options.user ?? ProcessInfo.processInfo.environment["DRUGCHECK_USER"] ?? "drugcheck-scan"
            let (writer, reports) = try database.backend()
            let result = try BulletinScanner(writer: writer, reports: reports, configuration: try options.configuration()).scan(actor: actor)
            print("\(result.created.count) created, \(result.updated.count) updated, \(result.published.count) published immediately, "
                + "\(result.unchanged.count) unchanged")
        }
    }

    struct Deliver: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send queued webhook deliveries, retrying with backoff.",
            discussion: """
                On PostgreSQL (--db postgres://…) several deliverers may run at once (cron on two machines): \
                each delivery is claimed by one of them (FOR UPDATE SKIP LOCKED) and never sent twice. On a \
                SQLite file run one deliverer at a time; a killed run's delivery is sent by the next run.
                """)
        @OptionGroup var database: DatabaseOptions
        @Option(name: .long, help: "Attempts before a delivery is given up.") var maxAttempts = 8
        @Option(name: .long, help: "Seconds to keep retrying before returning (deliveries stay queued).") var maxWait = 60.0

        func run() async throws {
            let policy = RetryPolicy(maxAttempts: maxAttempts)
            let deliverer = if let location = try database.postgres() {
                WebhookDeliverer(queue: PostgresDeliveryQueue(session: try PostgresMigrator.connectToCurrentSchema(location)), policy: policy)
            } else {
                WebhookDeliverer(database: try database.open(), policy: policy)
            }
            let report = try await deliverer.deliverAll(maxWait: maxWait)
            print("\(report.delivered) delivered, \(report.pending) still pending, \(report.gaveUp.count) given up")
            for failure in report.gaveUp { print("given up: \(failure)") }
            if !report.gaveUp.isEmpty { throw ExitCode(1) }
        }
    }

    struct Feed: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the Atom 1.0 feed of published bulletins.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var options: BulletinOptions
        @Option(name: .long, help: "Language of titles and summaries.") var lang: BulletinLanguage = .en

        func run() throws {
            let config = try options.configuration()
            let feed = try AtomFeedWriter(configuration: config, language: lang).publishedFeed(store: BulletinStore(reader: try database.reader()))
            FileHandle.standardOutput.write(feed.body)
        }
    }
}
