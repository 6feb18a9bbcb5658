/// A molecular formula parsed into element counts, with its monoisotopic mass.
///
/// ```swift
/// try ChemicalFormula("C22H28N2O").monoisotopicMass // 336.2202
/// ```
public struct ChemicalFormula: Hashable, Sendable, CustomStringConvertible {
    public let counts: [String: Int]

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case unknownElement(String)
        case malformed(String)

        public var description: String {
            switch self {
            case .unknownElement(let e): "unknown element symbol '\(e)'"
            case .malformed(let f): "malformed formula '\(f)'"
            }
        }
    }

    /// Masses of the most abundant isotope of each element, in unified atomic mass units (Da).
    /// Source: Wang M. et al., "The AME 2020 atomic mass evaluation (II)", Chinese Physics C 45 (2021)
    /// 030003, as tabulated by NIST, "Atomic Weights and Isotopic Compositions with Relative Atomic
    /// Masses" (physics.nist.gov/Comp, SRD 144).
    public static let monoisotopicMasses: [String: Double] = [
        "H": 1.00782503223,
        "C": 12.0,
        "N": 14.00307400443,
        "O": 15.99491461957,
        "F": 18.99840316273,
        "Na": 22.9897692820,
        "P": 30.97376199842,
        "S": 31.9720711744,
        "Cl": 34.968852682,
        "K": 38.9637064864,
        "Br": 78.9183376,
        "I": 126.9044719,
        "Si": 27.97692653465,
        "B": 11.00930536,
        "Se": 79.9165218,
    ]

    /// Proton mass in Da, CODATA 2018 (physics.nist.gov/cgi-bin/cuu/Value?mpu).
    public static let protonMass = 1.007276466621
    /// Electron mass in Da, CODATA 2018 (physics.nist.gov/cgi-bin/cuu/Value?meu).
    public static let electronMass = 0.000548579909065

    public init(_ text: String) throws {
        var counts: [String: Int] = [:]
        let chars = Array(text.filter { !$0.isWhitespace })
        guard !chars.isEmpty else { throw ParseError.malformed(text) }
        var i = 0
        while i < chars.count {
            guard chars[i].isUppercase, chars[i].isASCII else { throw ParseError.malformed(text) }
            var symbol = String(chars[i])
            i += 1
            while i < chars.count, chars[i].isLowercase, chars[i].isASCII {
                symbol.append(chars[i])
                i += 1
            }
            var digits = ""
            while i < chars.count, chars[i].isASCII, chars[i].isNumber {
                digits.append(chars[i])
                i += 1
            }
            guard Self.monoisotopicMasses[symbol] != nil else { throw ParseError.unknownElement(symbol) }
            counts[symbol, default: 0] += digits.isEmpty ? 1 : Int(digits)!
        }
        self.counts = counts
    }

    /// Summed in element order, so one formula has one mass to the last bit in every process
    /// (a dictionary's order changes between runs, and isomers must tie exactly).
    public var monoisotopicMass: Double {
        counts.keys.sorted().reduce(0) { $0 + Double(counts[$1]!) * Self.monoisotopicMasses[$1]! }
    }

    /// Hill order: C, H, then the rest alphabetically (alphabetical throughout without carbon).
    public var description: String {
        let hasCarbon = counts["C"] != nil
        let keys = counts.keys.sorted { a, b in
            if hasCarbon {
                let rank = { (s: String) in s == "C" ? 0 : s == "H" ? 1 : 2 }
                if rank(a) != rank(b) { return rank(a) < rank(b) }
            }
            return a < b
        }
        return keys.map { counts[$0]! == 1 ? $0 : "\($0)\(counts[$0]!)" }.joined()
    }
}
