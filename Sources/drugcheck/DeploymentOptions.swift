import ArgumentParser
import DrugCheckBulletins
import DrugCheckImport
import DrugCheckModel
import Foundation

/// The deployment's import settings, shared by every command that imports: the reporting level
/// of regions and the verification policy.
struct DeploymentOptions: ParsableArguments {
    @Option(name: .long, help: "NUTS level regions are stored and reported at: 1, 2 (provinces, the default) or 3 (arrondissements, COROP regions); default $DRUGCHECK_REGION_LEVEL, else 2.")
    var regionLevel: Int?

    @Option(name: .long, help: "JSON file with the verification policy: {\"required\": true, \"rules\": [{\"lab\": \"BE-DCA\", \"technique\": \"LC-HRMS\", \"minimumMatchScore\": 0.9}]} (default $DRUGCHECK_VERIFICATION_CONFIG; without it results count at once).")
    var verificationConfig: String?

    var level: Int {
        regionLevel ?? ProcessInfo.processInfo.environment["DRUGCHECK_REGION_LEVEL"].flatMap(Int.init) ?? RegionCatalogue.defaultLevel
    }

    func validate() throws {
        guard (0...3).contains(level) else { throw ValidationError("--region-level (or $DRUGCHECK_REGION_LEVEL) must be 0 to 3, not \(level).") }
    }

    func verificationPolicy() throws -> VerificationPolicy {
        try VerificationPolicy.load(verificationConfig ?? ProcessInfo.processInfo.environment["DRUGCHECK_VERIFICATION_CONFIG"])
    }

    /// `pipeline` with this region level and verification policy.
    func applied(to pipeline: ImportPipeline) throws -> ImportPipeline {
        var configured = pipeline
        configured.regions.level = level
        configured.verification = try verificationPolicy()
        return configured
    }

    /// The import pipeline on `database` (SQLite or PostgreSQL) with this deployment's settings,
    /// evaluating the bulletin triggers (`bulletinConfig`'s) after each set of files when `scan`.
    func pipeline(on database: DatabaseOptions, bulletinConfig: String?, scan: Bool = true) throws -> ImportPipeline {
        try pipeline(on: try database.importBackend(), bulletinConfig: bulletinConfig, scan: scan)
    }

    func pipeline(on backend: ImportBackend, bulletinConfig: String?, scan: Bool = true) throws -> ImportPipeline {
        let scanner = BulletinScanner(writer: backend.writer, reports: backend.reports,
                                      configuration: try BulletinConfiguration.load(bulletinConfig), catalogue: .bundled)
        return try applied(to: .standard(store: backend.imports, observers: scan ? [BulletinTriggerObserver(scanner: scanner)] : []))
    }

    /// Who imports from the command line, for the four-eyes rule: `cli:` and the login name.
    static var cliActor: String {
        "cli:" + (ProcessInfo.processInfo.environment["DRUGCHECK_USER"] ?? ProcessInfo.processInfo.environment["USER"] ?? "unknown")
    }
}
