import Foundation

/// The columns of a one-row-per-sample dataset that stand for substances, resolved against the
/// file's header: flag columns (`Fentanyl Test Strip`, `lab_xylazine_any`) and list columns
/// (`['MDMA', 'Caffeine']`). Several columns naming one substance (`lab_fentanyl`,
/// `lab_fentanyl_any`) give one finding, detected when any of them says so.
///
/// ```swift
/// let columns = try FindingColumns(profile: profile, header: table.header)
/// for (substance, detected, technique) in columns.findings(in: row, detect: { _ in true }, map: { $0 }) { … }
/// ```
struct FindingColumns {
    struct Column {
        var key: String
        /// Nil for a list column: each listed name is a substance.
        var substance: String?
        var technique: String?
    }

    let columns: [Column]

    init(profile: ImportProfile, header: [String]) throws {
        var columns: [Column] = []
        for rule in profile.findingColumns ?? [] {
            if let pattern = rule.headerPattern {
                let regex = try NSRegularExpression(pattern: pattern)
                let excluding = try rule.excluding.map { try NSRegularExpression(pattern: $0) }
                for name in header {
                    guard let substance = regex.firstCapture(in: name), excluding?.matches(substance) != true else { continue }
                    columns.append(Column(key: ProfileValues.key(name), substance: substance, technique: rule.technique))
                }
            } else if let name = (rule.headers ?? []).first(where: { h in header.contains { ProfileValues.key($0) == ProfileValues.key(h) } }) {
                let isList = rule.list ?? false
                columns.append(Column(key: ProfileValues.key(name), substance: isList ? nil : rule.substance ?? name, technique: rule.technique))
            }
        }
        self.columns = columns
    }

    /// The row's findings in column order: substance (mapped through `map`), detected (a flag read
    /// by `detect`), technique (nil: the profile's). Empty and unreadable flags give no finding.
    func findings(in row: ProfileRow, detect: (String) -> Bool?, map: (String) -> String) -> [(String, Bool, String?)] {
        var found: [(String, Bool, String?)] = []
        var index: [String: Int] = [:]
        func add(_ substance: String, _ detected: Bool, _ technique: String?) {
            let name = map(substance)
            guard !name.isEmpty else { return }
            let id = name.lowercased() + "|" + (technique ?? "")
            if let i = index[id] { found[i].1 = found[i].1 || detected; return }
            index[id] = found.count
            found.append((name, detected, technique))
        }
        for column in columns {
            guard let text = row.cells[column.key]?.value, !text.isEmpty else { continue }
            if let substance = column.substance {
                if let detected = detect(text) { add(substance, detected, column.technique) }
            } else {
                for item in Self.listItems(text) { add(item, true, column.technique) }
            }
        }
        return found
    }

    /// `['MDMA', '2,4-Dinitrophenol']` (a Python list), `MDMA; Caffeine` or `MDMA|Caffeine`.
    static func listItems(_ text: String) -> [String] {
        var body = Substring(text.trimmed)
        if body.hasPrefix("["), body.hasSuffix("]") { body = body.dropFirst().dropLast() }
        var items: [String] = []
        var current = ""
        var quote: Character?
        for ch in body {
            if let q = quote {
                if ch == q { quote = nil } else { current.append(ch) }
            } else if ch == "'" || ch == "\"" {
                quote = ch
            } else if ch == "," || ch == ";" || ch == "|" {
                items.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        items.append(current)
        return items.map(\.trimmed).filter { !$0.isEmpty }
    }
}
