import Foundation

/// NUTS 2024 region outlines of Belgium, the Netherlands and Luxembourg (levels 1–3), pre-projected
/// into one integer SVG frame per country: the bundled `Web/Assets/maps/nuts-benelux.json`, made
/// from GISCO's 1:20M file by its `build.py` (source, simplification and the attribution the
/// licence requires in that folder's README).
///
/// ```swift
/// let outlines = NUTSOutlines.bundled
/// outlines.regions(country: "BE", level: 2).map(\.code) // ["BE10", "BE21", …, "BE35"]
/// outlines.frames["BE"]?.width                           // 1000
/// ```
struct NUTSOutlines: Sendable, Decodable {
    /// A country's drawing frame, in SVG units.
    struct Frame: Sendable, Decodable {
        var width: Int
        var height: Int
    }

    struct Region: Sendable, Decodable {
        var code: String
        var level: Int
        var country: String
        /// GISCO's `NAME_LATN` (the regional language only).
        var name: String
        /// Closed rings as flat `[x0, y0, x1, y1, …]`; islands and holes are separate rings.
        var rings: [[Int]]

        /// SVG path data, one `M…Z` subpath per ring (draw with `fill-rule="evenodd"`).
        var pathData: String {
            rings.map { ring in
                stride(from: 0, to: ring.count - 1, by: 2)
                    .map { (i: Int) -> String in (i == 0 ? "M" : "L") + "\(ring[i]) \(ring[i + 1])" }
                    .joined() + "Z"
            }.joined()
        }
    }

    /// "© EuroGeographics for the administrative boundaries", as the GISCO terms require.
    var attribution: String
    var frames: [String: Frame]
    var regions: [Region]

    /// The regions of `country` (ISO alpha-2 as NUTS writes it) at NUTS `level`, by code.
    func regions(country: String, level: Int) -> [Region] {
        regions.filter { $0.country == country.uppercased() && $0.level == level }.sorted { $0.code < $1.code }
    }

    static func load(_ data: Data) throws -> NUTSOutlines {
        try JSONDecoder().decode(NUTSOutlines.self, from: data)
    }

    /// The outlines shipped in the server's bundle (`.copy("Web/Assets")` keeps the `Assets/maps` folder).
    static let bundled: NUTSOutlines = {
        guard let url = Bundle.module.url(forResource: "nuts-benelux", withExtension: "json", subdirectory: "Assets/maps") else {
            preconditionFailure("Assets/maps/nuts-benelux.json is missing from the DrugCheckServer bundle")
        }
        do { return try load(Data(contentsOf: url)) } catch {
            preconditionFailure("the bundled map outlines cannot be read: \(error)")
        }
    }()
}
