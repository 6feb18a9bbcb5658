import DrugCheckModel
import Foundation

/// Tells a file's format from its first bytes: the XML root element and namespace; for text, the
/// canonical findings CSV when its header names `sample_id`, else a lab export read through a
/// mapping profile. The file name's extension is never consulted.
public enum FormatDetector {
    /// How many leading bytes are inspected.
    public static let sniffLength = 64 * 1024

    public static func detect(head: Data) -> ImportFormat {
        var bytes = head
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let firstNonSpace = bytes.firstIndex(where: { !isSpace($0) }) else { return .unknown }
        guard bytes[firstNonSpace] == UInt8(ascii: "<") else { return isFindingsCSV(head) ? .findingsCSV : .labExport }
        guard let root = rootElement(of: Data(bytes[firstNonSpace...])) else { return .unknown }
        switch root.localName {
        case "mzML", "indexedmzML": return .mzML
        case "AnIML": return .animl
        case "results" where root.namespace == ResultsNamespace.uri: return .resultsXML
        default: return .unknown
        }
    }

    /// Whether the first line of text is a findings CSV header (`Schemas/findings-csv.md`): it names
    /// the `sample_id` column, which that format requires.
    static func isFindingsCSV(_ head: Data) -> Bool {
        let text: String = ProfileDocument.decode(head).0
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
        guard let firstLine = lines.first(where: { !String($0).trimmed.isEmpty }) else { return false }
        let cells = firstLine.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "\t" })
        let quotes = CharacterSet(charactersIn: "\"")
        let names: [String] = cells.map { String($0).trimmed.trimmingCharacters(in: quotes) }
        return names.contains { FindingsCSVColumn(header: $0) == .sampleID }
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    /// The first element start tag that is not a declaration, comment, processing instruction or DOCTYPE.
    static func rootElement(of data: Data) -> (localName: String, namespace: String?)? {
        let text = String(decoding: data, as: UTF8.self)
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<") {
            let after = rest[rest.index(after: open)...]
            if after.hasPrefix("?") || after.hasPrefix("!") {
                let terminator = after.hasPrefix("!--") ? "-->" : ">"
                guard let end = after.range(of: terminator) else { return nil }
                rest = after[end.upperBound...]
                continue
            }
            guard let close = after.firstIndex(of: ">") else { return nil }
            let tag = after[..<close]
            let name = tag.prefix { !$0.isWhitespace && $0 != "/" }
            let prefix = name.contains(":") ? String(name.split(separator: ":")[0]) : nil
            let local = String(name.split(separator: ":").last ?? "")
            let attribute = prefix.map { "xmlns:\($0)" } ?? "xmlns"
            return (local, attributeValue(attribute, in: tag))
        }
        return nil
    }

    static func attributeValue(_ name: String, in tag: Substring) -> String? {
        guard let r = tag.range(of: name + "=") else { return nil }
        let valueStart = tag[r.upperBound...]
        guard let quote = valueStart.first, quote == "\"" || quote == "'" else { return nil }
        let inner = valueStart.dropFirst()
        guard let end = inner.firstIndex(of: quote) else { return nil }
        return String(inner[..<end])
    }
}

/// The namespace of DrugCheck's own results XML (`Schemas/drugcheck-results-1.0.xsd`).
public enum ResultsNamespace {
    public static let uri = "urn:drugcheck:results:1.0"
}
