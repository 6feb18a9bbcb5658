import ArgumentParser
import DrugCheckImport
import DrugCheckModel
import Foundation

/// The deployment's reporting level for regions, shared by every command that imports.
struct RegionOptions: ParsableArguments {
    @Option(name: .long, help: "NUTS level regions are stored and reported at: 1, 2 (provinces, the default) or 3 (arrondissements, COROP regions); default $DRUGCHECK_REGION_LEVEL, else 2.")
    var regionLevel: Int?

    var level: Int {
        regionLevel ?? ProcessInfo.processInfo.environment["DRUGCHECK_REGION_LEVEL"].flatMap(Int.init) ?? RegionCatalogue.defaultLevel
    }

    func validate() throws {
        guard (0...3).contains(level) else { throw ValidationError("--region-level (or $DRUGCHECK_REGION_LEVEL) must be 0 to 3, not \(level).") }
    }

    /// `pipeline` with this level.
    func applied(to pipeline: ImportPipeline) -> ImportPipeline {
        var configured = pipeline
        configured.regions.level = level
        return configured
    }
}
