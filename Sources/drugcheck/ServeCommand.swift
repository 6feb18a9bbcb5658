import ArgumentParser
import DrugCheckBulletins
import DrugCheckImport
import DrugCheckPostgres
import DrugCheckServer
import DrugCheckStore
import Foundation
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP service: labs upload results, the ministry pulls reports, subscribers read bulletins.",
        discussion: """
            Serves the same database as the other commands: a SQLite file, or a PostgreSQL database \
            (--db postgres://USER@HOST:PORT/DB) that several instances may serve at once, behind one \
            address. Every route except /healthz needs \
            a bearer token (create one with 'drugcheck tokens create'). Settings come from the flags, \
            else $DRUGCHECK_HOST, $DRUGCHECK_PORT and $DRUGCHECK_DB, else the defaults below. \
            The API is described in Schemas/openapi.yaml.
            """
    )

    @Option(name: .long, help: "SQLite database file or postgres:// URL (default: $DRUGCHECK_DB, else ./drugcheck.sqlite).")
    var db: String?

    @Option(name: .long, help: "Address to listen on (default: $DRUGCHECK_HOST, else 127.0.0.1, loopback only).")
    var host: String?

    @Option(name: .long, help: "Port to listen on (default: $DRUGCHECK_PORT, else 8080).")
    var port: Int?

    @Option(name: .long, help: "Largest upload to POST /v1/imports, in MB.")
    var importLimitMb = 200

    @Option(name: .long, help: "Largest body of any other request, in KB.")
    var bodyLimitKb = 1024

    @Option(name: .long, help: "Requests per second per token (or per address without one); 0 turns limiting off.")
    var rateLimit = 20.0

    @Option(name: .long, help: "Requests a caller may make in a burst above the rate limit.")
    var rateBurst = 100.0

    @Option(name: .long, help: "JSON file with the bulletin sender and trigger settings (as for 'drugcheck bulletins --config').")
    var bulletinConfig: String?

    @Option(name: .long, help: "Public address of this service, used in bulletin links and the Atom feed (e.g. https://ews.example.org).")
    var publicUrl: String?

    @OptionGroup var deployment: DeploymentOptions

    @Option(name: .long, help: "Drop folder to import from while serving, as 'drugcheck watch DIR' (subfolders name labs).")
    var watch: String?

    @Flag(name: .long, inversion: .prefixedNo,
          help: "Render the ministry's first views (latest week and its trend, each language) at start and after every import, before anyone asks.")
    var renderAhead = true

    func validate() throws {
        var isDirectory: ObjCBool = false
        if let watch, !(FileManager.default.fileExists(atPath: watch, isDirectory: &isDirectory) && isDirectory.boolValue) {
            throw ValidationError("no such folder: \(watch) (create it, then point instruments and the LIMS at it)")
        }
    }

    func run() async throws {
        var config = ServerConfiguration(environment: ProcessInfo.processInfo.environment)
        if let db { config.databasePath = db }
        if let host { config.host = host }
        if let port { config.port = port }
        config.importBodyLimit = importLimitMb * 1024 * 1024
        config.bodyLimit = bodyLimitKb * 1024
        config.rateLimitPerSecond = rateLimit
        config.rateLimitBurst = rateBurst
        config.bulletins = try BulletinConfiguration.load(bulletinConfig)
        config.regionLevel = deployment.level
        config.dropFolder = watch
        config.renderAhead = renderAhead
        if let publicUrl { config.bulletins.baseURL = publicUrl.hasSuffix("/") ? String(publicUrl.dropLast()) : publicUrl }
        let database = try Self.database(at: config.databasePath)
        if let watch { Self.startWatching(watch, pipeline: try deployment.applied(to: .standard(store: database.imports, observers: [
            BulletinTriggerObserver(scanner: BulletinScanner(writer: database.writer, reports: database.reports,
                                                             configuration: config.bulletins, catalogue: .bundled)),
        ]))) }
        EventLoopExecutor.install()
        try await DrugCheckApp(configuration: config, database: database).application.runService()
    }

    /// The SQLite file, or the PostgreSQL database a URL names (uploads rejected there are kept
    /// in `$DRUGCHECK_QUARANTINE`, else `./drugcheck-quarantine`).
    static func database(at path: String) throws -> ServerDatabase {
        guard PostgresLocation.isURL(path) else { return try ServerDatabase(sqlite: DatabaseOptions.open(path)) }
        return try ServerDatabase(postgres: try PostgresLocation(parsing: path), quarantine: DatabaseOptions.postgresQuarantine)
    }

    /// The drop folder on a thread of its own, beside the HTTP service; each file and each
    /// trigger scan is logged. A crash or stop at any moment is safe (see ``DropFolder``).
    static func startWatching(_ folder: String, pipeline: ImportPipeline) {
        let drop = DropFolder(root: URL(fileURLWithPath: folder), pipeline: pipeline, labCode: nil)
        let logger = Logger(label: "drugcheck.watch")
        let thread = Thread {
            logger.info("watching drop folder \(drop.root.path)")
            while true {
                do {
                    try drop.watch(.forever(interval: 2), handled: { logger.info("\(DropFolder.summary($0, root: drop.root))") }, observed: { reports in
                        for r in reports {
                            if let failure = r.failure { logger.error("after import: the import stands, but the \(r.observer) failed: \(failure)") }
                        }
                    })
                } catch {
                    logger.error("drop folder \(drop.root.path): \(error); trying again in 10 seconds")
                    Thread.sleep(forTimeInterval: 10)
                }
            }
        }
        thread.start()
    }
}
