import DrugCheckImport
import DrugCheckModel
@testable import DrugCheckStore
import DrugCheckTestSupport
import Foundation
import GRDB
import XCTest

/// The ministry page's "sold as → found" table comes from one aggregate query
/// (``DrugCheckDatabase/soldAsFound(week:region:limit:substances:)``); it must count what the
/// page counted before from every decoded sample of the week (`SampleQuery(...).fetch`).
final class SoldAsFoundTests: XCTestCase {
    /// The example exports of `Imports/`, every week and region they hold: the same rows.
    func testAggregateEqualsACountOverTheWeeksSamples() throws {
        let t = try TestDatabase()
        let importer = ImportPipeline.standard(database: t.database, observers: [])
        for name in try FileManager.default.contentsOfDirectory(atPath: PackagePaths.imports.path).sorted() where !name.hasPrefix("broken") {
            _ = try importer.importFile(at: PackagePaths.imports.appendingPathComponent(name), options: .init())
        }
        // A rejected result still shows on its sample (and so counted before): it must stay counted.
        try t.database.writer.write { db in
            try db.execute(sql: "UPDATE analysis SET status = 'rejected' WHERE id = (SELECT MIN(id) FROM analysis)")
        }
        let weeks = try t.database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT iso_week FROM sample WHERE iso_week IS NOT NULL ORDER BY 1").compactMap(ISOWeek.init)
        }
        XCTAssertGreaterThan(weeks.count, 3)
        var compared = 0
        for week in weeks {
            let regions = try t.database.writer.read { db in
                try String.fetchAll(db, sql: "SELECT DISTINCT region FROM sample WHERE iso_week = ? AND region IS NOT NULL", arguments: [week.description])
            }
            for region in [nil] + regions {
                let expected = Self.countedInSwift(try SampleQuery(week: week, region: region).fetch(in: t.database))
                XCTAssertEqual(try t.database.soldAsFound(week: week, region: region, limit: nil, substances: nil), expected, "\(week) \(region ?? "all")")
                compared += expected.count
            }
            // The page's cut: the first 12 rows with their first 6 substances, in the same order.
            let all = Self.countedInSwift(try SampleQuery(week: week).fetch(in: t.database))
            XCTAssertEqual(try t.database.soldAsFound(week: week),
                           all.prefix(12).map { SoldAsFoundRow(soldAs: $0.soldAs, samples: $0.samples, found: Array($0.found.prefix(6))) })
        }
        XCTAssertGreaterThan(compared, 20, "the examples fill the table")
    }

    func testTheWeekIsReadByKeyAndRebuiltThroughItsIndexes() throws {
        let t = try TestDatabase()
        let read = try t.database.soldAsFoundPlan().joined(separator: "\n")
        XCTAssertTrue(read.contains("SEARCH report_week_sold_as USING PRIMARY KEY (iso_week=?)"), read)
        XCTAssertTrue(read.contains("SEARCH report_week_sold_as_found USING PRIMARY KEY (iso_week=?)"), read)
        // The rebuild of a week's rollup, as an import or a verification runs it.
        let lines = try t.database.writer.write { db in
            try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS rollup_week (iso_week TEXT PRIMARY KEY) WITHOUT ROWID")
            return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + WeekRollups.soldAsRows(weeks: "IN (SELECT iso_week FROM temp.rollup_week)",
                                                                                           join: "CROSS JOIN", distinct: false)).map { $0["detail"] as String }
        }
        let plan = lines.joined(separator: "\n")
        XCTAssertTrue(plan.contains("sample_week"), plan)
        XCTAssertTrue(plan.contains("finding_analysis") && plan.contains("parked_finding_analysis"), "findings by analysis: \(plan)")
        XCTAssertFalse(plan.contains("finding_substance"), plan)
        XCTAssertFalse(lines.contains { $0.hasPrefix("SCAN f") || $0.hasPrefix("SCAN s ") || $0 == "SCAN s" }, "no table scan: \(plan)")
    }

    /// The count the page made before, from decoded samples: per sold-as label (catalogue id, else
    /// the sold-as text in lower case) the samples with results, and per detected substance the
    /// samples it was found in; most samples first, ties by name.
    static func countedInSwift(_ samples: [StoredSample]) -> [SoldAsFoundRow] {
        var bySoldAs: [String: (samples: Int, found: [String: Int])] = [:]
        for stored in samples where !stored.sample.analyses.isEmpty {
            let s = stored.sample
            guard let soldAs = s.soldAsSubstanceID ?? s.soldAs?.lowercased(), !soldAs.isEmpty else { continue }
            var entry = bySoldAs[soldAs] ?? (0, [:])
            entry.samples += 1
            for substance in Set(s.analyses.flatMap(\.findings).filter(\.detected).map { $0.substanceID ?? $0.reportedName }) {
                entry.found[substance, default: 0] += 1
            }
            bySoldAs[soldAs] = entry
        }
        return bySoldAs.sorted { ($0.value.samples, $1.key) > ($1.value.samples, $0.key) }.map { soldAs, entry in
            SoldAsFoundRow(soldAs: soldAs, samples: entry.samples,
                           found: entry.found.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { .init(substance: $0.key, samples: $0.value) })
        }
    }
}
