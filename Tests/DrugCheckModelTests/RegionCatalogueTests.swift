import DrugCheckModel
import Foundation
import Testing

@Suite("Region names and codes")
struct RegionCatalogueTests {
    let regions = RegionCatalogue.bundled

    /// GISCO's NUTS 2024 table (`../shared/refdata/regions/nuts.csv`, see its README).
    static func gisco() throws -> [(code: String, level: Int, name: String)] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/refdata/regions/nuts.csv")
        try #require(FileManager.default.fileExists(atPath: url.path), "refdata missing: \(url.path)")
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst().compactMap { line in
            // code,level,country,parent,name_latin,name_national: no BE/NL/LU name holds a comma.
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return ["BE", "NL", "LU"].contains(f[2]) ? (f[0], Int(f[1])!, f[4]) : nil
        }
    }

    @Test func theTableHoldsEveryBeneluxRegionOfNUTS2024AndGISCONamesFindThem() throws {
        let gisco = try Self.gisco()
        #expect(gisco.count == 120)
        #expect(Set(regions.regions.keys) == Set(gisco.map(\.code)))
        for row in gisco {
            #expect(regions.regions[row.code]?.level == row.level, "\(row.code)")
            // GISCO's own name ("Prov. Limburg (BE)", "Arr. Liège") finds the region at its own level.
            #expect(regions.code(for: row.name, level: row.level, country: String(row.code.prefix(2))) == row.code, "\(row.name)")
            let names = ["en", "nl", "fr", "de"].compactMap { regions.regions[row.code]?.names[$0] }
            #expect(names.count == 4 && names.allSatisfy { $0.count > 1 }, "\(row.code) has a name in each language")
        }
    }

    @Test func namesInFourLanguagesWithOrWithoutPrefixesAndAccentsGiveOneCode() {
        for text in ["Liège", "Liege", "LUIK", "Lüttich", "Prov. Luik", "Province de Liège", "Provincie Luik", "BE33", "be332", "Arr. Liège"] {
            #expect(regions.code(for: text, level: 2, country: "BE") == "BE33", "\(text)")
        }
        #expect(regions.code(for: "Liège", level: 3) == "BE332", "the arrondissement at arrondissement level")
        #expect(regions.code(for: "Prov. Antwerpen", level: 2) == "BE21")
        #expect(regions.code(for: "Anvers", level: 2) == "BE21")
        #expect(regions.code(for: "Henegouwen", level: 2) == "BE32")
        #expect(regions.code(for: "Bergen", level: 3) == "BE323", "Mons in Dutch")
        #expect(regions.code(for: "Bruges", level: 3) == "BE251")
        #expect(regions.code(for: "Bruxelles", level: 2) == "BE10")
        #expect(regions.code(for: "Noord-Holland", level: 2) == "NL32")
        #expect(regions.code(for: "Hollande-Septentrionale", level: 2) == "NL32")
        #expect(regions.code(for: "BE3", level: 2) == "BE3", "a coarser region stays as it is")
    }

    @Test func codesThatChangedBeforeNUTS2024AreRecoded() {
        #expect(regions.code(for: "NL329", level: 3) == "NL32B", "Groot-Amsterdam, NUTS 2021")
        #expect(regions.code(for: "NL33C", level: 3) == "NL366", "Groot-Rijnmond, NUTS 2021")
        #expect(regions.code(for: "NL33C", level: 2) == "NL36")
        #expect(regions.code(for: "BE321", level: 2) == "BE32", "Ath, NUTS 2016")
    }

    @Test func aNameOfRegionsInTwoCountriesIsReadInTheLabsCountryAndUnknownTextIsNoMatch() {
        #expect(regions.code(for: "Limburg", level: 2, country: "BE") == "BE22")
        #expect(regions.code(for: "Limburg", level: 2, country: "NL") == "NL42")
        #expect(regions.code(for: "Limburg", level: 2) == nil, "no guess between two countries")
        #expect(regions.code(for: "Luxembourg", level: 2, country: "BE") == "BE34")
        #expect(regions.code(for: "Luxembourg", level: 2, country: "LU") == "LU00")
        #expect(regions.code(for: "Atlantis", level: 2) == nil)
        #expect(regions.code(for: "BE999", level: 2) == nil)
        #expect(regions.code(for: "   ", level: 2) == nil)
    }

    @Test func namesInTheReportsLanguage() {
        #expect(regions.name(of: "BE33", in: "nl") == "Luik")
        #expect(regions.name(of: "BE33", in: "de") == "Lüttich")
        #expect(regions.name(of: "BE21", in: "fr") == "Anvers")
        #expect(regions.name(of: "NL32", in: "en") == "North Holland")
        #expect(regions.name(of: "Atlantis", in: "en") == nil)
    }
}
