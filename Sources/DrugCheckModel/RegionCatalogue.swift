import Foundation

/// One NUTS 2024 region with its names in English, Dutch, French and German.
public struct NUTSRegion: Hashable, Sendable {
    public var code: String
    /// 0 (country) to 3 (arrondissement, COROP region).
    public var level: Int
    public var country: String
    /// Names by language code: `en`, `nl`, `fr`, `de`.
    public var names: [String: String]

    /// The name in `language` (`en`, `nl`, `fr`, `de`), else the English one.
    public func name(in language: String) -> String {
        names[language.lowercased()] ?? names["en"] ?? code
    }
}

/// The NUTS 2024 regions of Belgium, the Netherlands and Luxembourg (Eurostat GISCO; names in
/// four languages and older codes recoded, sources in `Resources/regions/README.md`), and the one
/// rule turning a lab's region text into a code: region names in any of the four languages, with or
/// without "Prov."/"Arr."/"Provincie"/"Province de", accents or not, and NUTS codes (2021 codes that
/// changed are recoded) all map to one NUTS code at the deployment's reporting level.
///
/// ```swift
/// let regions = RegionCatalogue.bundled
/// regions.code(for: "Prov. Luik", level: 2)    // "BE33"
/// regions.code(for: "BE332", level: 2)         // "BE33"
/// regions.code(for: "Groot-Amsterdam", level: 3) // "NL32B"
/// regions.code(for: "Atlantis", level: 2)      // nil: kept as written and listed as unmatched
/// ```
public struct RegionCatalogue: Sendable {
    public let regions: [String: NUTSRegion]
    /// Normalised name → codes carrying that name (a province and its main arrondissement share one).
    private let byName: [String: [String]]
    private let recodes: [String: String]
    private let memo = NameMemo<String?>()

    /// The reporting level when a deployment sets none: provinces (NUTS 2) in Belgium and the
    /// Netherlands; Luxembourg is one region at every level.
    public static let defaultLevel = 2

    public init(regions: [NUTSRegion], aliases: [String: [String]], recodes: [String: String]) {
        self.regions = Dictionary(uniqueKeysWithValues: regions.map { ($0.code, $0) })
        var byName: [String: [String]] = [:]
        for region in regions {
            for name in Set(region.names.values).union(aliases[region.code] ?? []) {
                let key = Self.normalise(name)
                if !(byName[key] ?? []).contains(region.code) { byName[key, default: []].append(region.code) }
            }
        }
        self.byName = byName
        self.recodes = recodes
    }

    /// The NUTS code `text` names, at `level` (a finer region is given as its ancestor at that
    /// level; a coarser one stays as it is). A name of regions in two countries ("Limburg",
    /// "Luxembourg") is read in `country` (the lab's), and is no match without it. Nil when the
    /// text names no known region.
    public func code(for text: String, level: Int = RegionCatalogue.defaultLevel, country: String? = nil) -> String? {
        memo.value(of: "\(level)|\(country ?? "")|\(text)") { _ in lookUp(text, level: level, country: country) }
    }

    private func lookUp(_ text: String, level: Int, country: String?) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        let upper = trimmed.uppercased()
        if let code = recodes[upper] ?? (regions[upper] != nil ? upper : nil) { return ancestor(of: code, level: level) }
        let (key, named) = Self.parse(trimmed)
        guard var codes = byName[key] else { return nil }
        if Set(codes.compactMap { regions[$0]?.country }).count > 1 {
            codes = codes.filter { regions[$0]?.country == country?.uppercased() }
        }
        // "Liège" names the province and its arrondissement: "Prov."/"Arr." say which, else the
        // one at the reporting level, else the finest.
        let wanted = named ?? level
        let best = codes.first { regions[$0]?.level == wanted } ?? codes.max { (regions[$0]?.level ?? 0) < (regions[$1]?.level ?? 0) }
        return best.map { ancestor(of: $0, level: level) }
    }

    /// The region of `code` at `level`: NUTS codes nest by prefix (`BE332` → `BE33` → `BE3` → `BE`).
    public func ancestor(of code: String, level: Int) -> String {
        guard let region = regions[code], region.level > level else { return code }
        let ancestor = String(code.prefix(2 + max(level, 0)))
        return regions[ancestor] != nil ? ancestor : code
    }

    /// Whether the table holds the regions of this country (ISO 3166 alpha-2, as NUTS writes it).
    public func covers(country: String) -> Bool {
        regions[country] != nil
    }

    /// The region's name in `language`, or nil for text that is not a known code.
    public func name(of code: String, in language: String) -> String? {
        regions[code]?.name(in: language)
    }

    /// Lower case, accents and punctuation folded, administrative prefixes and country qualifiers
    /// removed: "Prov. Liège", "provincie Luik" and "LIEGE" compare equal to their bare names.
    static func normalise(_ name: String) -> String { parse(name).key }

    /// The normalised name, and the level its prefix names ("Prov." a province, "Arr." an arrondissement).
    static func parse(_ name: String) -> (key: String, level: Int?) {
        var s = name.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: Locale(identifier: "en"))
            .replacingOccurrences(of: "’", with: "'")
        for qualifier in ["(be)", "(nl)", "(lu)", "(b)"] { s = s.replacingOccurrences(of: qualifier, with: " ") }
        let words = s.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "'" }).map(String.init)
        var start = 0, level: Int?
        while start < words.count - 1, let prefix = prefixes[words[start]] {
            level = level ?? prefix
            start += 1
        }
        return (words[start...].joined(separator: " "), level)
    }

    /// Words that may precede a region's name, with the NUTS level they name (0 for none).
    static let prefixes: [String: Int?] = [
        "prov": 2, "province": 2, "provincie": 2, "provinz": 2,
        "arr": 3, "arrondissement": 3, "bezirk": 3,
        "de": nil, "du": nil, "of": nil, "van": nil,
    ]
}

extension RegionCatalogue {
    /// The bundled table (`Resources/regions/nuts-benelux.json`, made by its `build.py`).
    public static let bundled: RegionCatalogue = {
        guard let url = Bundle.module.url(forResource: "nuts-benelux", withExtension: "json", subdirectory: "Resources/regions") else {
            preconditionFailure("the region table is missing from the DrugCheckModel bundle")
        }
        do { return try load(Data(contentsOf: url)) } catch {
            preconditionFailure("the bundled region table cannot be read: \(error)")
        }
    }()

    /// Reads the table's JSON: `{"regions": [{"code", "level", "country", "names": {"en", …}, "aliases": […]}], "recodes": {old: new}}`.
    public static func load(_ data: Data) throws -> RegionCatalogue {
        struct Row: Decodable {
            var code: String
            var level: Int
            var country: String
            var names: [String: String]
            var aliases: [String]
        }
        struct Table: Decodable {
            var regions: [Row]
            var recodes: [String: String]
        }
        let table = try JSONDecoder().decode(Table.self, from: data)
        return RegionCatalogue(regions: table.regions.map { NUTSRegion(code: $0.code, level: $0.level, country: $0.country, names: $0.names) },
                               aliases: Dictionary(uniqueKeysWithValues: table.regions.map { ($0.code, $0.aliases) }),
                               recodes: table.recodes)
    }
}
