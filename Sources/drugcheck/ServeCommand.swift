import ArgumentParser
import DrugCheckBulletins
import DrugCheckServer
import DrugCheckStore
import Foundation

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP service: labs upload results, the ministry pulls reports, subscribers read bulletins.",
        discussion: """
            Serves the same SQLite database as the other commands. Every route except /healthz needs \
            a bearer token (create one with 'drugcheck tokens create'). Settings come from the flags, \
            else $DRUGCHECK_HOST, $DRUGCHECK_PORT and $DRUGCHECK_DB, else the defaults below. \
            The API is described in Schemas/openapi.yaml.
            """
    )

    @Option(name: .long, help: "SQLite database file (default: $DRUGCHECK_DB, else ./drugcheck.sqlite).")
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
        if let publicUrl { config.bulletins.baseURL = publicUrl.hasSuffix("/") ? String(publicUrl.dropLast()) : publicUrl }
        let database = try DrugCheckDatabase(path: config.databasePath)
        EventLoopExecutor.install()
        try await DrugCheckApp(configuration: config, database: database).application.runService()
    }
}
