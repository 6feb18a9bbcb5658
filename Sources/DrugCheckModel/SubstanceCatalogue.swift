import Foundation
import Synchronization

/// The reference list of substances DrugCheck knows by name, formula and class.
///
/// ```swift
/// let catalogue = try SubstanceCatalogue(json: data)
/// catalogue.match("Fentanyl citrate")?.id // "fentanyl"
/// ```
public struct SubstanceCatalogue: Sendable {
    public let version: String
    public let substances: [Substance]
    private let byID: [String: Int]
    private let byKey: [String: Int]
    private let memo = NameMemo<Int?>()

    public struct CatalogueError: Error, CustomStringConvertible {
        public let description: String
    }

    struct File: Codable {
        var version: String
        var substances: [Substance]
    }

    public init(version: String, substances: [Substance]) throws {
        self.version = version
        self.substances = substances
        var byID: [String: Int] = [:]
        var byKey: [String: Int] = [:]
        for (index, substance) in substances.enumerated() {
            guard byID.updateValue(index, forKey: substance.id) == nil else {
                throw CatalogueError(description: "duplicate substance id '\(substance.id)'")
            }
            do { _ = try ChemicalFormula(substance.formula) } catch {
                throw CatalogueError(description: "substance '\(substance.id)': \(error)")
            }
            for name in [substance.id, substance.name] + substance.synonyms {
                let key = SubstanceName.key(name)
                if let other = byKey[key], other != index {
                    throw CatalogueError(description: "name '\(name)' of '\(substance.id)' also names '\(substances[other].id)'")
                }
                byKey[key] = index
            }
        }
        self.byID = byID
        self.byKey = byKey
    }

    public init(json: Data) throws {
        let file = try JSONDecoder().decode(File.self, from: json)
        try self.init(version: file.version, substances: file.substances)
    }

    public subscript(id: String) -> Substance? { byID[id].map { substances[$0] } }

    /// The substance a free-text name refers to, ignoring case, accents, spacing and salt form.
    public func match(_ name: String) -> Substance? {
        let index = memo.value(of: name) { name in
            let key = SubstanceName.key(name)
            return key.isEmpty ? nil : byKey[key]
        }
        return index.map { substances[$0] }
    }

    /// Substances whose [M+H]+ lies within `ppm` of `mz`, closest first; isomers in catalogue order.
    public func candidates(protonatedMZ mz: Double, ppm: Double) -> [(substance: Substance, errorPPM: Double)] {
        substances.compactMap { s -> (Substance, Double)? in
            guard let m = s.protonatedMass else { return nil }
            let error = (mz - m) / m * 1e6
            return abs(error) <= ppm ? (s, error) : nil
        }.sorted { abs($0.1) < abs($1.1) }
    }
}

/// Names already looked up, so the same name (a file repeats a few dozen substance names and
/// regions a million times) is normalised once. Bounded: it starts afresh past `limit` names.
final class NameMemo<Value: Sendable>: Sendable {
    private let known = Mutex<[String: Value]>([:])
    private let limit = 50_000

    func value(of name: String, compute: (String) -> Value) -> Value {
        if let hit = known.withLock({ $0[name] }) { return hit }
        let value = compute(name)
        known.withLock { names in
            if names.count >= limit { names.removeAll(keepingCapacity: true) }
            names[name] = value
        }
        return value
    }
}
