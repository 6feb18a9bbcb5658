import DrugCheckModel
import Foundation

/// Evaluates the bulletin triggers after every import, with the deployment's configured
/// thresholds: the CLI, the server and the drop folder all pass this observer to the import
/// pipeline, so an import is followed by the same scan wherever it came from.
///
/// ```swift
/// let observer = BulletinTriggerObserver(scanner: BulletinScanner(database: db, configuration: config, catalogue: catalogue))
/// ```
public struct BulletinTriggerObserver: ImportObserver {
    public let scanner: BulletinScanner
    public let name = "bulletin triggers"

    public init(scanner: BulletinScanner) {
        self.scanner = scanner
    }

    /// Scans the triggers, then flags the bulletins whose evidence the files amended (``AmendedEvidence``).
    public func filesImported(_ results: [ImportResult]) throws -> String? {
        let scan = try scanner.scan(actor: "import")
        let flagged = try AmendedEvidence(writer: scanner.writer).flag(samples: results.flatMap { $0.amendedSamples ?? [] }, actor: "import")
        var parts: [String] = []
        if !(scan.created.isEmpty && scan.updated.isEmpty && scan.published.isEmpty) {
            parts.append("\(scan.created.count) new draft(s), \(scan.updated.count) updated, \(scan.published.count) published")
        }
        if !flagged.isEmpty { parts.append("\(flagged.count) flagged for review (evidence amended): \(flagged.map(String.init).joined(separator: ", "))") }
        return parts.isEmpty ? nil : "bulletins: " + parts.joined(separator: "; ")
    }
}
