import DrugCheckModel
import Foundation

/// Number parsing shared by the spectral readers: strict, finite, with a helpful message.
enum PeakParsing {
    /// A finite, non-negative number, or `nil`.
    static func number(_ text: Substring) -> Double? {
        guard let v = Double(text), v.isFinite, v >= 0 else { return nil }
        return v
    }

    /// Splits a peak line into tokens on whitespace, commas, semicolons and colons, dropping
    /// a trailing quoted annotation (`"b2 ion"`), as written by NIST MSP exporters.
    static func tokens(_ line: String) -> [Substring] {
        var body = Substring(line)
        if let quote = body.firstIndex(of: "\"") { body = body[..<quote] }
        return body.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," || $0 == ";" || $0 == ":" })
    }

    /// Sorts peaks by m/z (stable for equal m/z), as search expects.
    static func sorted(mz: [Double], intensity: [Double]) -> ([Double], [Double]) {
        if zip(mz, mz.dropFirst()).allSatisfy({ $0 <= $1 }) { return (mz, intensity) }
        let order = mz.indices.sorted { mz[$0] < mz[$1] || (mz[$0] == mz[$1] && $0 < $1) }
        return (order.map { mz[$0] }, order.map { intensity[$0] })
    }

    static func polarity(_ text: String) -> Polarity? {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "p", "pos", "positive", "+": .positive
        case "n", "neg", "negative", "-": .negative
        default: nil
        }
    }
}
