import DrugCheckModel
import Foundation

extension SubstanceCatalogue {
    /// The catalogue shipped with DrugCheck (`Resources/substances.json`, documented in
    /// `Schemas/substances.md`).
    public static let bundled: SubstanceCatalogue = {
        guard let url = Bundle.module.url(forResource: "substances", withExtension: "json", subdirectory: "Resources"),
              let data = try? Data(contentsOf: url) else {
            fatalError("the substance catalogue resource is missing from the DrugCheckClassify bundle")
        }
        do { return try SubstanceCatalogue(json: data) } catch {
            fatalError("the bundled substance catalogue is invalid: \(error)")
        }
    }()
}
