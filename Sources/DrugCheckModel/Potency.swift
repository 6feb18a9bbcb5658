/// Potency relative to morphine, read one way everywhere: the classifier's most potent
/// substance, the risk tiers, the report's highest-potency column and the bulletins.
///
/// ```swift
/// let top = Potency.mostPotent(detectedSubstances)          // nil when nothing ranks
/// let high = carfentanil.isHighPotency()                     // true (10 000× morphine)
/// let lowered = fentanyl.isHighPotency(morphineMultiple: 50) // true (100× morphine)
/// ```
public enum Potency {
    /// From this multiple of morphine an opioid is high potency: trigger 2 of the bulletins by
    /// default and the critical risk tier. 1000 catches carfentanil (≈10 000×) and sufentanil
    /// (500–1000×) but not fentanyl (≈100×); see the potency sources in the substance catalogue.
    public static let highMorphineMultiple = 1000.0

    /// Most potent first: higher rank first, ranked before unranked, ties by id.
    public static func morePotent(_ a: Substance, _ b: Substance) -> Bool {
        switch (a.potencyRank, b.potencyRank) {
        case let (x?, y?) where x != y: x > y
        case (.some, nil): true
        case (nil, .some): false
        default: a.id < b.id
        }
    }

    /// The most potent of `substances` that has a rank; nil when none has.
    public static func mostPotent(_ substances: some Sequence<Substance>) -> Substance? {
        substances.filter { $0.potencyRank != nil }.min(by: morePotent)
    }
}

extension Substance {
    /// Potency for ranking. Missing potency: an opioid without a published figure counts as
    /// morphine (1×), because it is one; any other substance without one is not ranked (nil).
    public var potencyRank: Double? { relativePotency ?? (substanceClass.isOpioid ? 1 : nil) }

    /// Nitazenes and carfentanil always, other opioids from `morphineMultiple` × morphine.
    public func isHighPotency(morphineMultiple: Double = Potency.highMorphineMultiple) -> Bool {
        guard substanceClass.isOpioid else { return false }
        return substanceClass == .nitazene || id == "carfentanil" || (relativePotency ?? 0) >= morphineMultiple
    }
}
