import DrugCheckBulletins
import DrugCheckModel
import Foundation

/// How `drugcheck serve` runs: where it listens, which database it serves and its limits.
/// Flags win over the environment (`DRUGCHECK_HOST`, `DRUGCHECK_PORT`, `DRUGCHECK_DB`), which
/// wins over the defaults.
///
/// ```swift
/// var config = ServerConfiguration(environment: ProcessInfo.processInfo.environment)
/// config.port = 8080
/// ```
public struct ServerConfiguration: Sendable {
    /// Loopback by default: exposing the service is a deliberate choice.
    public var host = "127.0.0.1"
    public var port = 8080
    public var databasePath = "drugcheck.sqlite"
    /// Largest `POST /v1/imports` body, in bytes.
    public var importBodyLimit = 200 * 1024 * 1024
    /// Largest body of every other request, in bytes.
    public var bodyLimit = 1024 * 1024
    /// Requests per second each token (or anonymous address) may make on average; 0 turns limiting off.
    public var rateLimitPerSecond = 20.0
    /// Requests a caller may make in a burst above the average.
    public var rateLimitBurst = 100.0
    /// An idle keep-alive connection is closed after this many seconds.
    public var idleTimeoutSeconds: Int64 = 60
    /// Sender, base URL of links and triggers of the bulletins the server shows and reviews.
    public var bulletins = BulletinConfiguration()
    /// NUTS level imported regions are stored at (``RegionResolution``).
    public var regionLevel = RegionCatalogue.defaultLevel
    /// The drop folder watched beside the server (`serve --watch`), shown on the admin page.
    public var dropFolder: String?
    /// Render the ministry's first views (latest week and its trend, in each language) at start
    /// and after every import, before anyone asks (~2 s of one core per import on a national
    /// database), and load the bundled spectral library of the sample pages at start.
    public var renderAhead = true

    public init() {}

    public init(environment: [String: String]) {
        if let host = environment["DRUGCHECK_HOST"], !host.isEmpty { self.host = host }
        if let port = environment["DRUGCHECK_PORT"].flatMap(Int.init) { self.port = port }
        if let db = environment["DRUGCHECK_DB"], !db.isEmpty { databasePath = db }
        if let level = environment["DRUGCHECK_REGION_LEVEL"].flatMap(Int.init), (0...3).contains(level) { regionLevel = level }
    }
}
