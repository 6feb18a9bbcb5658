import Foundation

/// One data row of a lab export as a profile sees it: cells by header name, the compound of its
/// block or column group, and the key/value pairs of the header block above the table.
public struct ProfileRow: Sendable {
    /// Line of the row in the file.
    public var line: Int
    /// Cells keyed by ``ProfileValues/key(_:)`` of their header; the first column of a name wins.
    public var cells: [String: CSVField]
    /// The compound named by the row's block (`Name<TAB>CBD`) or column group (`CBD Results`).
    public var compound: String?
    /// The preamble's `key<TAB>value` pairs, keyed like cells (`Data File Name` → `datafilename`).
    public var metadata: [String: String]
}

/// Finds the table a profile describes and yields its rows: skips preamble lines, remembers
/// `key,value` header blocks and `[Section]` markers, finds the header row by the names it must
/// contain, reads group labels above a two-row header, and follows one block per compound.
///
/// ```swift
/// let table = ProfileTableScanner(profile: profile).scan(document)
/// print(table.header, table.rows.count)
/// ```
public struct ProfileTableScanner: Sendable {
    public let profile: ImportProfile

    public init(profile: ImportProfile) { self.profile = profile }

    public struct Table: Sendable {
        /// Header names of the first table found, as written.
        public var header: [String]
        public var headerLine: Int?
        public var rows: [ProfileRow]
    }

    public func scan(_ document: ProfileDocument) throws -> Table {
        let layout = profile.table
        let headerKeys = Set(layout.header.map(ProfileValues.key))
        let wantedSection = layout.section.map(ProfileValues.key)
        let compoundKey = layout.compoundKey.map(ProfileValues.key)
        let skips = try (layout.skipRows ?? []).map { ($0.columns.map(ProfileValues.key), try NSRegularExpression(pattern: $0.matches)) }
        var table = Table(header: [], headerLine: nil, rows: [])
        var section: String?
        var metadata: [String: String] = [:]
        var header: [String]?
        var groups: [String]?
        var compound: String?
        var previous: [CSVField] = []

        for record in document.records {
            let values = record.map { $0.value.trimmed }
            let filled = values.filter { !$0.isEmpty }
            if filled.isEmpty {
                if layout.kind == .compoundBlocks { header = nil }
                continue
            }
            if filled.count == 1, let only = filled.first, only.hasPrefix("["), only.hasSuffix("]") {
                section = ProfileValues.key(only)
                header = nil
                continue
            }
            let inSection = wantedSection == nil || section == nil || section == wantedSection
            if let compoundKey, values.count >= 2, ProfileValues.key(values[0]) == compoundKey {
                compound = values[1]
                header = nil
                continue
            }
            if header == nil, inSection, headerKeys.isSubset(of: Set(values.map(ProfileValues.key))) {
                header = values.map(ProfileValues.key)
                groups = layout.kind == .compoundGroups ? Self.groupLabels(previous, width: values.count) : nil
                if table.headerLine == nil { (table.header, table.headerLine) = (values, record[0].line) }
                continue
            }
            guard let header, inSection else {
                if values.count >= 2, !values[0].isEmpty, !values[1].isEmpty {
                    metadata[ProfileValues.key(values[0])] = values[1]
                }
                previous = record
                continue
            }
            var cells: [String: CSVField] = [:]
            for (name, field) in zip(header, record) where !name.isEmpty && cells[name] == nil {
                cells[name] = CSVField(value: field.value.trimmed, line: field.line, column: field.column)
            }
            if skips.contains(where: { keys, regex in keys.contains { cells[$0].map { regex.matches($0.value) } ?? false } }) { continue }
            let row = ProfileRow(line: record[0].line, cells: cells, compound: compound, metadata: metadata)
            if let groups { table.rows += try split(row, record: record, header: header, groups: groups) } else { table.rows.append(row) }
        }
        return table
    }

    /// Group labels filled to the right (`Sample,,,TestInterims Results,,` labels six columns).
    static func groupLabels(_ record: [CSVField], width: Int) -> [String]? {
        let labels = record.map { $0.value.trimmed }
        guard labels.contains(where: { !$0.isEmpty }) else { return nil }
        var current = ""
        return (0..<width).map { i in
            if i < labels.count, !labels[i].isEmpty { current = labels[i] }
            return current
        }
    }

    /// One row per compound group: the row's cells outside any compound group (sample columns)
    /// plus the group's own cells, named by their field header.
    func split(_ row: ProfileRow, record: [CSVField], header: [String], groups: [String]) throws -> [ProfileRow] {
        let compoundPattern = try NSRegularExpression(pattern: profile.table.compoundGroup ?? "^(.+?) Results$")
        let skip = try profile.table.skipGroups.map { try NSRegularExpression(pattern: $0) }
        var shared: [String: CSVField] = [:]
        var perCompound: [(String, [String: CSVField])] = []
        for (i, field) in record.enumerated() where i < header.count && !header[i].isEmpty {
            let cell = CSVField(value: field.value.trimmed, line: field.line, column: field.column)
            guard let compound = compoundPattern.firstCapture(in: groups[i]) else {
                if shared[header[i]] == nil { shared[header[i]] = cell }
                continue
            }
            if skip?.matches(groups[i]) == true { continue }
            if perCompound.last?.0 != compound { perCompound.append((compound, [:])) }
            if perCompound[perCompound.count - 1].1[header[i]] == nil { perCompound[perCompound.count - 1].1[header[i]] = cell }
        }
        return perCompound.map { compound, cells in
            ProfileRow(line: row.line, cells: shared.merging(cells) { $1 }, compound: compound, metadata: row.metadata)
        }
    }
}

extension NSRegularExpression {
    func matches(_ text: String) -> Bool {
        firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// Capture group 1 of the first match (the whole match when the pattern has no group).
    func firstCapture(in text: String) -> String? {
        guard let match = firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        let range = match.numberOfRanges > 1 ? match.range(at: 1) : match.range
        return Range(range, in: text).map { String(text[$0]).trimmed }
    }
}
