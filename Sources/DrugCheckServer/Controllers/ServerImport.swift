import DrugCheckBulletins
import DrugCheckImport
import DrugCheckIngest
import DrugCheckModel
import DrugCheckStore
import Foundation
import Logging

/// One file through the import pipeline as every server entry point runs it (`POST
/// /v1/imports`, the lab pages): format detected from content, spectra identified, one
/// transaction, then the bulletin triggers with the deployment's thresholds. A trigger failure
/// is logged and returned; the import stands.
///
/// ```swift
/// let (result, failures) = try await imports.run(file, name: "export.csv", options: options)
/// ```
struct ServerImport: Sendable {
    let database: ServerDatabase
    let metrics: ServerMetrics
    let bulletins: BulletinConfiguration
    let regionLevel: Int

    func run(_ file: URL, name: String, options: ImportOptions) async throws -> (result: ImportResult, observerFailures: [String]) {
        let (database, bulletins, regionLevel) = (database, bulletins, regionLevel)
        let (result, reports) = try await Blocking.run { () -> (ImportResult, [ObserverReport]) in
            let scanner = BulletinScanner(writer: database.writer, reports: database.reports, configuration: bulletins, catalogue: .bundled)
            let observers = options.expecting == .results ? [BulletinTriggerObserver(scanner: scanner)] : []
            var pipeline = ImportPipeline.standard(store: database.imports, observers: observers)
            pipeline.regions.level = regionLevel
            let result = try pipeline.importFile(at: file, displayName: Self.safeName(name), options: options)
            return (result, pipeline.notify([result]))
        }
        let failures = reports.compactMap { r in r.failure.map { "\(r.observer): \($0)" } }
        for failure in failures { Logger(label: "drugcheck.server").error("after import \(result.file): \(failure)") }
        metrics.recordImport(outcome: result.outcome.rawValue)
        return (result, failures)
    }

    /// A display name without folders or control characters.
    static func safeName(_ name: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? "upload"
        let cleaned = String(last.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) }.map(Character.init))
        return cleaned.isEmpty ? "upload" : String(cleaned.prefix(200))
    }
}
