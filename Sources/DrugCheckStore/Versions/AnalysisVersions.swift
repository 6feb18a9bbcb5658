import GRDB

/// The versions of each analysis run and which one counts. A corrected re-export or an amendment
/// stores a new version of a run (`run_id` names the run's first version, `superseded_by` the
/// version that replaced one); every version is kept. Of each run exactly one non-rejected
/// version counts: the latest verified one, else the latest submitted one, so reports keep the
/// verified result until its amendment is verified in turn. The findings of versions that do not
/// count are parked in `parked_finding`, so the report aggregates, kept by triggers on `finding`,
/// count only counted versions.
enum AnalysisVersions {
    static let findingColumns = "id, analysis_id, reported_name, substance_id, detected, concentration, unit, rt_min, mz, match_score, confidence"

    /// Makes `newID` the next version of the runs of `oldIDs` (merging their runs into one).
    static func supersede(_ oldIDs: [Int64], by newID: Int64, in db: any StoredStatements) throws {
        guard !oldIDs.isEmpty else { return }
        let list = oldIDs.map(String.init).joined(separator: ",")
        let runs = try db.rows("SELECT DISTINCT COALESCE(run_id, id) FROM analysis WHERE id IN (\(list))", [])
            .compactMap { values -> Int64? in if case let .integer(run)? = values.first { run } else { nil } }
        guard let run = runs.min() else { return }
        try db.execute("UPDATE analysis SET run_id = NULLIF(?, id) WHERE COALESCE(run_id, id) IN (\(runs.map(String.init).joined(separator: ","))) OR id = ?",
                       [.integer(run), .integer(newID)])
        try db.execute("UPDATE analysis SET superseded_by = ? WHERE id IN (\(list))", [.integer(newID)])
    }

    /// Recomputes which version of each of a sample's runs counts and parks or restores findings
    /// to match, on either backend.
    static func refresh(sampleID: Int64, in db: any StoredStatements) throws {
        try db.execute("""
            UPDATE analysis SET counted = (status <> 'rejected' AND id = (
                SELECT b.id FROM analysis b WHERE b.sample_id = analysis.sample_id
                    AND COALESCE(b.run_id, b.id) = COALESCE(analysis.run_id, analysis.id) AND b.status <> 'rejected'
                ORDER BY b.status = 'verified' DESC, b.id DESC LIMIT 1))
            WHERE sample_id = ?
            """, [.integer(sampleID)])
        try park(db, where: "sample_id = ? AND NOT counted", arguments: [.integer(sampleID)])
        try restore(db, where: "sample_id = ? AND counted", arguments: [.integer(sampleID)])
    }

    /// Moves the findings of the analyses matching `condition` from `finding` to `parked_finding`.
    static func park(_ db: any StoredStatements, where condition: String, arguments: [StoredValue] = []) throws {
        let findings = "SELECT id FROM finding WHERE analysis_id IN (SELECT id FROM analysis WHERE \(condition))"
        guard try !db.rows("""
            INSERT INTO parked_finding (\(findingColumns)) SELECT \(findingColumns) FROM finding WHERE id IN (\(findings)) RETURNING id
            """, arguments).isEmpty else { return }
        try db.execute("UPDATE spectrum_identification SET parked_finding_id = finding_id WHERE finding_id IN (\(findings))", arguments)
        try db.execute("DELETE FROM finding WHERE id IN (\(findings))", arguments)
    }

    /// Moves parked findings of the analyses matching `condition` back to `finding`, with their
    /// links from the identifications they came from.
    static func restore(_ db: any StoredStatements, where condition: String, arguments: [StoredValue]) throws {
        let parked = "SELECT id FROM parked_finding WHERE analysis_id IN (SELECT id FROM analysis WHERE \(condition))"
        guard try !db.rows("""
            INSERT INTO finding (\(findingColumns)) SELECT \(findingColumns) FROM parked_finding WHERE id IN (\(parked)) RETURNING id
            """, arguments).isEmpty else { return }
        try db.execute("""
            UPDATE spectrum_identification SET finding_id = parked_finding_id, parked_finding_id = NULL WHERE parked_finding_id IN (\(parked))
            """, arguments)
        try db.execute("DELETE FROM parked_finding WHERE id IN (\(parked))", arguments)
    }
}
