import DrugCheckModel

/// The statement that stores a sample's classification, replacing the one it had: an upsert,
/// not INSERT OR REPLACE, since a replace deletes the old row without firing its delete trigger
/// and would count a reclassified sample twice in the report aggregates.
enum ClassificationUpsert {
    static let classColumns: [(column: String, reportClass: ReportClass)] = [
        ("any_synthetic_opioid", .anySyntheticOpioid), ("fentanyl_analogue", .fentanylAnalogue), ("nitazene", .nitazene),
        ("other_nso", .otherNSO), ("classic_opioid", .classicOpioid), ("xylazine_medetomidine", .xylazineMedetomidine),
        ("synthetic_cannabinoid", .syntheticCannabinoid),
    ]
    static let columns = ["sample_id"] + classColumns.map(\.column)
        + ["unexpected", "risk_tier", "highest_potency_substance_id", "suspected_new_analogue", "rules_version", "provisional"]
    static let flags: Set<String> = Set(classColumns.map(\.column) + ["unexpected", "suspected_new_analogue", "provisional"])

    /// The upsert with `flag` as each boolean's placeholder: `?` on SQLite (booleans are
    /// integers), `(? <> 0)` where they are a type of their own (PostgreSQL).
    static func sql(flag: String) -> String {
        let updated = columns.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        return """
            INSERT INTO sample_classification (\(columns.joined(separator: ", ")))
            VALUES (\(columns.map { flags.contains($0) ? flag : "?" }.joined(separator: ", ")))
            ON CONFLICT (sample_id) DO UPDATE SET \(updated)
            """
    }

    /// The values in column order, booleans as 0 and 1.
    static func values(sampleID: Int64, _ c: SampleClassification, provisional: Bool) -> [StoredValue] {
        let flag = { (value: Bool) in StoredValue.integer(value ? 1 : 0) }
        return [.integer(sampleID)] + classColumns.map { flag(c.isPositive(for: $0.reportClass)) }
            + [flag(c.unexpected), .text(c.riskTier.rawValue), c.highestPotencySubstanceID.map { .text($0) } ?? .null,
               flag(c.suspectedNewAnalogue), .text(c.rulesVersion), flag(provisional)]
    }
}
