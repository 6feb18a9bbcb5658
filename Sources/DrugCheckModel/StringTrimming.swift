import Foundation

extension String {
    /// The text without leading and trailing white space and line breaks. Most values of a file
    /// have none: those are returned as they are, without Foundation's character-set scan (which
    /// was a tenth of a CSV import's time in the profile; BENCHMARKS.md, "Import").
    public var trimmed: String {
        guard let first = utf8.first, let last = utf8.last else { return self }
        if (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) { return self }
        return trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
