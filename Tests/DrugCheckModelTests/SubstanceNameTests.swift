import DrugCheckModel
import Testing

@Suite("Substance name normalisation")
struct SubstanceNameTests {
    @Test("case, accents, spacing and salt forms are ignored", arguments: [
        ("Fentanyl citrate", "fentanyl"), ("FENTANYL", "fentanyl"), ("fentanyl HCl", "fentanyl"),
        ("  fentanyl  ", "fentanyl"), ("Chlorhydrate de cocaïne", "cocaine"), ("Cocaïne", "cocaine"),
        ("cocaine hydrochloride", "cocaine"), ("Kokain-Hydrochlorid", "kokain"), ("para-Fluorofentanyl", "parafluorofentanyl"),
        ("4-ANPP", "4anpp"), ("N-pyrrolidino etonitazene", "npyrrolidinoetonitazene"), ("héroïne base", "heroine"), ("chlorhydrate d'héroïne", "heroine"), ("cocaine free base", "cocaine"),
        ("base", "base"),
    ])
    func keys(name: String, key: String) {
        #expect(SubstanceName.key(name) == key)
    }

    @Test func catalogueMatching() throws {
        let catalogue = try SubstanceCatalogue(version: "t", substances: [
            Substance(id: "fentanyl", name: "Fentanyl", synonyms: ["fentanil"], formula: "C22H28N2O", substanceClass: .fentanylAnalogue, source: "test"),
            Substance(id: "cocaine", name: "Cocaine", formula: "C17H21NO4", substanceClass: .stimulant, source: "test"),
        ])
        #expect(catalogue.match("Fentanil citraat")?.id == "fentanyl")
        #expect(catalogue.match("chlorhydrate de cocaïne")?.id == "cocaine")
        #expect(catalogue.match("benzocaine") == nil)
        #expect(catalogue.candidates(protonatedMZ: 337.2274, ppm: 5).first?.substance.id == "fentanyl")
        #expect(catalogue.candidates(protonatedMZ: 337.2374, ppm: 5).isEmpty)
        #expect(throws: SubstanceCatalogue.CatalogueError.self) {
            try SubstanceCatalogue(version: "t", substances: [
                Substance(id: "a", name: "X citrate", formula: "C", substanceClass: .other, source: "t"),
                Substance(id: "b", name: "X", formula: "C", substanceClass: .other, source: "t"),
            ])
        }
    }
}
