import DrugCheckModel
import Foundation

/// Parsers for the values of the canonical findings CSV. Each returns nil when the text is not
/// acceptable; the caller turns that into a located error naming what was expected.
enum FieldParsers {
    /// `true/false`, `yes/no`, `1/0`, Dutch `ja/nee`, French `oui/non` (also `y/n`, `waar/onwaar`, `vrai/faux`).
    static func bool(_ text: String) -> Bool? {
        switch text {
        case "true", "yes", "TRUE", "1": return true
        case "false", "no", "FALSE", "0": return false
        default: break
        }
        return switch text.trimmed.lowercased() {
        case "true", "yes", "y", "1", "ja", "j", "oui", "o", "waar", "vrai", "detected", "positive", "pos": true
        case "false", "no", "n", "0", "nee", "non", "onwaar", "faux", "not detected", "negative", "neg": false
        default: nil
        }
    }

    /// ISO 8601 `yyyy-mm-dd` (time part ignored) or European `dd/mm/yyyy` (also `dd.mm.yyyy`, `dd-mm-yyyy`).
    static func date(_ text: String) -> CalendarDate? {
        let t = text.trimmed
        if let iso = CalendarDate(iso: t) { return iso }
        let datePart = t.split(separator: " ").first.map(String.init) ?? t
        for sep in ["/", ".", "-"] as [Character] {
            let parts = datePart.split(separator: sep, omittingEmptySubsequences: false)
            guard parts.count == 3, parts[2].count == 4, (1...2).contains(parts[0].count), (1...2).contains(parts[1].count),
                  let d = Int(parts[0]), let m = Int(parts[1]), let y = Int(parts[2]) else { continue }
            return CalendarDate(year: y, month: m, day: d)
        }
        return nil
    }

    /// A decimal number with a point, or with a comma when the dialect uses decimal commas
    /// (a lone comma is read as a decimal mark: labs do not write thousands separators in results).
    static func number(_ text: String) -> Double? {
        var t = text.trimmed
        if t.isEmpty { return nil }
        // On the UTF-8 bytes: Foundation's `contains` on the String was a tenth of the reading time.
        let commas = t.utf8.count { $0 == UInt8(ascii: ",") }
        if commas > 0, !t.utf8.contains(UInt8(ascii: ".")) {
            guard commas == 1 else { return nil }
            t = String(t.map { $0 == "," ? "." : $0 })
        }
        guard let value = Double(t), value.isFinite else { return nil }
        return value
    }

    /// Matches enum raw values ignoring case, spaces, hyphens and underscores (`Vape refill` → `vape_refill`).
    static func enumValue<E: RawRepresentable & CaseIterable>(_ text: String, _: E.Type, aliases: [String: E] = [:]) -> E? where E.RawValue == String {
        if let exact = E(rawValue: text) { return exact }
        let key = squash(text)
        if let alias = aliases[key] { return alias }
        return E.allCases.first { squash($0.rawValue) == key }
    }

    static func squash(_ s: String) -> String {
        String(s.lowercased().filter { $0.isLetter || $0.isNumber || $0 == "%" })
    }

    static let techniqueAliases: [String: Technique] = [
        "gcms": .gcms, "gc": .gcms, "lcmsms": .lcmsms, "lcms": .lcmsms, "lcqtof": .lchrms, "lcqtofms": .lchrms,
        "lchrms": .lchrms, "hrms": .lchrms, "lcorbitrap": .lchrms, "ftir": .ftir, "ir": .ftir, "atrftir": .ftir,
        "raman": .raman, "nmr": .nmr, "immunoassay": .immunoassay, "teststrip": .testStrip, "fts": .testStrip,
        "fentanylteststrip": .testStrip,
    ]

    static let unitAliases: [String: ConcentrationUnit] = [
        "%": .percentWW, "%ww": .percentWW, "percent": .percentWW, "mgml": .mgPerML, "mgunit": .mgPerUnit,
        "mgtablet": .mgPerUnit, "mgtab": .mgPerUnit, "mgcapsule": .mgPerUnit, "ngml": .ngPerML,
    ]

    static let sourceAliases: [String: SampleSource] = [
        "police": .policeSeizure, "customs": .customsSeizure, "drugchecking": .drugChecking, "harmreduction": .drugChecking,
    ]

    static let sampleTypeAliases: [String: SampleType] = [
        "vape": .vapeRefill, "vapecartridge": .vapeRefill, "cartridge": .vapeRefill, "pod": .vapeRefill,
        "eliquid": .eLiquid, "poeder": .powder, "poudre": .powder, "pil": .tablet, "pill": .tablet, "comprime": .tablet,
        "capsule": .capsule, "capsules": .capsule,
    ]
}
