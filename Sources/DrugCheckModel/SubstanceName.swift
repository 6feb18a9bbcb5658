import Foundation

/// Normalises substance names the way labs write them, so that "Fentanyl citrate",
/// "FENTANYL", "fentanyl HCl" and "chlorhydrate de fentanyl" all become `fentanyl`.
///
/// Case, accents, whitespace, punctuation and salt forms are ignored.
public enum SubstanceName {
    /// Salt and form words in English, Dutch, French and German. Each is removed as a whole word.
    static let saltWords: Set<String> = [
        "citrate", "citraat", "citrat", "hydrochloride", "hydrochlorid", "chlorhydrate", "chloorhydraat", "hcl",
        "hydrobromide", "bromhydrate", "hbr", "sulfate", "sulphate", "sulfaat", "sulfat", "phosphate", "fosfaat",
        "tartrate", "bitartrate", "tartraat", "mesylate", "maleate", "fumarate", "oxalate", "base", "freebase",
        "salt", "zout", "sel", "de", "d", "van", "free", "monohydrate", "dihydrate", "hydrate",
    ]

    /// The normalised key of a name: lowercase ASCII letters and digits only, salt words removed.
    ///
    /// ```swift
    /// SubstanceName.key("Chlorhydrate de Cocaïne") // "cocaine"
    /// ```
    public static func key(_ name: String) -> String {
        let folded = name.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .lowercased()
        let words = folded.split(whereSeparator: { !($0.isLetter || $0.isNumber) })
        // Keep "base" etc. when it is the only word, so the name never becomes empty.
        let kept = words.count > 1 ? words.filter { !saltWords.contains(String($0)) } : words
        let joined = (kept.isEmpty ? words : kept).joined()
        return String(joined.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) && $0.isASCII }.map(Character.init))
    }
}
