/// A laboratory that submits results: a forensic lab, a drug-checking service or a customs lab.
///
/// ```swift
/// let lab = Lab(code: "BE-DC01", name: "Antwerp drug checking", country: "BE")
/// ```
public struct Lab: Codable, Hashable, Sendable {
    /// Short stable code used in files and tokens, e.g. `BE-NICC`.
    public var code: String
    public var name: String
    /// ISO 3166-1 alpha-2 country code.
    public var country: String

    public init(code: String, name: String, country: String) {
        self.code = code
        self.name = name
        self.country = country
    }

    /// The country a lab code starts with (`BE-NICC` → `BE`), or "" when it starts with none.
    public static func country(ofCode code: String) -> String {
        let prefix = code.prefix { $0 != "-" && $0 != "_" }
        return prefix.count == 2 && prefix.allSatisfy(\.isLetter) ? prefix.uppercased() : ""
    }
}
