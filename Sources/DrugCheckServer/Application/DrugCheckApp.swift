import DrugCheckAccess
import DrugCheckStore
import Hummingbird
import Logging
import NIOCore

/// The DrugCheck HTTP service: routes, middleware and server settings over one database.
///
/// ```swift
/// let database = try ServerDatabase(sqlite: DrugCheckDatabase(path: config.databasePath))
/// let app = try DrugCheckApp(configuration: config, database: database)
/// try await app.application.runService()
/// ```
/// `@unchecked Sendable`: the router is only changed while `init` builds it.
public struct DrugCheckApp: @unchecked Sendable {
    public let configuration: ServerConfiguration
    public let database: ServerDatabase
    public let metrics: ServerMetrics
    /// Every route the server answers, with the roles it admits.
    public let routes: [RegisteredRoute]
    /// Every web page the server shows (`Schemas/web-pages.md`), with the roles it admits.
    public let pages: [RegisteredRoute]
    let router: Router<DrugCheckRequestContext>
    /// Renders what readers were reading again when data arrive (runs with the application).
    let refresher: CacheRefresher

    /// The service on a SQLite file.
    public init(configuration: ServerConfiguration, database: DrugCheckDatabase, metrics: ServerMetrics = ServerMetrics()) throws {
        try self.init(configuration: configuration, database: ServerDatabase(sqlite: database), metrics: metrics)
    }

    public init(configuration: ServerConfiguration, database: ServerDatabase, metrics: ServerMetrics = ServerMetrics()) throws {
        self.configuration = configuration
        self.database = database
        self.metrics = metrics
        let access = AccessStore(store: database.writer)
        let probe = database.changes
        // Outermost first: metrics see the final status of every answer, errors become problems
        // before that, and the body and rate limits apply once the caller is known.
        let router = Router(context: DrugCheckRequestContext.self)
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: BearerAuthMiddleware(access: access, probe: probe, cache: PrincipalCache()))
        let sessions = WebSessions(store: database.sessions)
        router.add(middleware: WebSessionMiddleware(sessions: sessions, access: access, probe: probe))
        if configuration.rateLimitPerSecond > 0 {
            router.add(middleware: RateLimitMiddleware(limiter: RateLimiter(perSecond: configuration.rateLimitPerSecond,
                                                                            burst: configuration.rateLimitBurst)))
        }
        router.add(middleware: BodyLimitMiddleware(importLimit: configuration.importBodyLimit, generalLimit: configuration.bodyLimit))
        let renderer = try PageRenderer.bundled()
        router.add(middleware: PageErrorMiddleware(renderer: renderer))
        router.add(middleware: ServerTimingMiddleware())
        router.add(middleware: CSRFMiddleware(fieldLimit: configuration.bodyLimit, fileLimit: configuration.importBodyLimit))
        let catalogue = RouteCatalogue(router: router)
        let cache = RenderedCache(metrics: metrics)
        let memo = ReportMemo(database: database, probe: probe, metrics: metrics)
        OperationsController(database: database, metrics: metrics).register(in: catalogue)
        ImportsController(database: database, importBodyLimit: configuration.importBodyLimit, metrics: metrics,
                          bulletins: configuration.bulletins, regionLevel: configuration.regionLevel).register(in: catalogue)
        SamplesController(database: database).register(in: catalogue)
        VerificationController(database: database, bodyLimit: configuration.bodyLimit).register(in: catalogue)
        ReportsController(database: database, cache: cache, memo: memo).register(in: catalogue)
        BulletinsController(database: database, configuration: configuration.bulletins, bodyLimit: configuration.bodyLimit, cache: cache)
            .register(in: catalogue)
        AdminController(access: access, bodyLimit: configuration.bodyLimit).register(in: catalogue)
        SubscribersController(database: database, bodyLimit: configuration.bodyLimit).register(in: catalogue)
        SessionPages(access: access, sessions: sessions, renderer: renderer).register(in: catalogue)
        let imports = ServerImport(database: database, metrics: metrics, bulletins: configuration.bulletins, regionLevel: configuration.regionLevel)
        LabPages(database: database, imports: imports, importBodyLimit: configuration.importBodyLimit, renderer: renderer).register(in: catalogue)
        SamplePages(database: database, evidence: EvidenceViews(database: database), renderer: renderer).register(in: catalogue)
        VerificationPages(database: database, renderer: renderer).register(in: catalogue)
        ReviewPages(database: database, configuration: configuration.bulletins, renderer: renderer).register(in: catalogue)
        BulletinPages(database: database, configuration: configuration.bulletins, renderer: renderer).register(in: catalogue)
        AuditPages(database: database, renderer: renderer).register(in: catalogue)
        AdminPages(access: access, database: database, dropFolder: configuration.dropFolder, renderer: renderer).register(in: catalogue)
        SubscriberPages(database: database, renderer: renderer).register(in: catalogue)
        let ministry = MinistryPages(database: database, regionLevel: configuration.regionLevel, renderer: renderer, cache: cache, memo: memo)
        ministry.register(in: catalogue)
        catalogue.answerOtherMethods()
        self.router = router
        var refresher = CacheRefresher(cache: cache, probe: probe)
        if configuration.renderAhead {
            refresher.standing = { try ministry.standingViews() }
            refresher.warmUp = { _ = EvidenceViews.reference }
        }
        self.refresher = refresher
        routes = catalogue.routes
        pages = catalogue.pages
    }

    /// The Hummingbird application, ready to run (or to test in process).
    public var application: some ApplicationProtocol {
        var logger = Logger(label: "drugcheck.server")
        logger.logLevel = .info
        return Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: .seconds(configuration.idleTimeoutSeconds))),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "DrugCheck"),
            services: [refresher],
            logger: logger
        )
    }
}
