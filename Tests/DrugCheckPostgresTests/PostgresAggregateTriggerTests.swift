import DrugCheckStore
import Foundation
import Testing

/// The report aggregates on PostgreSQL follow every write as SQLite's triggers do (issue #18):
/// the examples copied to PostgreSQL, then the same writes of samples, analyses, findings and
/// classifications on both (single rows, several rows in one statement, an upsert, cascades),
/// and after each the aggregate tables hold the same rows on both backends.
@Suite("PostgreSQL: the report aggregates follow every write as on SQLite")
struct PostgresAggregateTriggerTests {
    static let aggregates = ["report_week_stratum": "iso_week, sample_type, source, region, lab_code",
                             "report_week_provisional": "iso_week, sample_type, source, region, lab_code",
                             "report_substance_week": "substance_id, region, iso_week",
                             "report_week_substance": "iso_week, sample_type, source, region, lab_code, substance_id",
                             "report_week_concentration": "iso_week, sample_type, source, region, lab_code, substance_id, unit, concentration"]

    /// Every row of every aggregate table (a count back at zero stays a row, on both backends).
    static func snapshot(_ reader: any StoredRowReader) throws -> [String: [[StoredValue]]] {
        Dictionary(uniqueKeysWithValues: try aggregates.keys.map { ($0, try snapshot(reader, table: $0)) })
    }

    static func snapshot(_ reader: any StoredRowReader, table: String) throws -> [[StoredValue]] {
        try reader.rows("SELECT * FROM \(table) ORDER BY \(aggregates[table]!)", [])
    }

    static func id(_ database: DrugCheckDatabase, _ sql: String) throws -> Int64 {
        guard case let .integer(id)? = try database.rows(sql, []).first?.first else { throw Missing(sql: sql) }
        return id
    }

    struct Missing: Error { var sql: String }

    @Test func theAggregatesFollowEachWriteAsOnSQLite() throws {
        try PostgresBackendTests.withCopy { database, session in
            let counted = """
                SELECT s.id FROM sample s JOIN sample_classification c ON c.sample_id = s.id JOIN analysis a ON a.sample_id = s.id
                JOIN finding f ON f.analysis_id = a.id
                WHERE f.detected AND f.substance_id IS NOT NULL AND s.region IS NOT NULL AND NOT c.provisional
                """
            let first = try Self.id(database, counted + " ORDER BY s.id LIMIT 1")
            let second = try Self.id(database, counted + " AND s.id > \(first) ORDER BY s.id LIMIT 1")
            let third = try Self.id(database, counted + " AND s.id > \(second) ORDER BY s.id LIMIT 1")
            let finding = try Self.id(database, """
                SELECT f.id FROM finding f JOIN analysis a ON a.id = f.analysis_id
                WHERE a.sample_id = \(first) AND f.detected AND f.substance_id IS NOT NULL ORDER BY f.id LIMIT 1
                """)
            let analysis = try Self.id(database, "SELECT analysis_id FROM finding WHERE id = \(finding)")
            let leaf = """
                SELECT a.id FROM analysis a WHERE a.sample_id = %d
                AND NOT EXISTS (SELECT 1 FROM analysis b WHERE b.id <> a.id AND (b.run_id = a.id OR b.superseded_by = a.id))
                AND NOT EXISTS (SELECT 1 FROM spectrum sp WHERE sp.analysis_id = a.id) ORDER BY a.id LIMIT 1
                """
            let movable = try Self.id(database, String(format: leaf, second))
            let writes: [(String, [StoredValue])] = [
                ("UPDATE sample SET region = 'BE10' WHERE id = ?", [.integer(first)]),
                ("UPDATE sample SET iso_week = '2026-W30', week_basis = 'analysed' WHERE id = ?", [.integer(first)]),
                ("UPDATE finding SET detected = (1 = 0) WHERE id = ?", [.integer(finding)]),
                ("UPDATE finding SET detected = (1 = 1), concentration = 33.5, unit = '%w/w' WHERE id = ?", [.integer(finding)]),
                // Two findings of one substance in one statement: the sample counts for it once.
                ("""
                 INSERT INTO finding (analysis_id, reported_name, substance_id, detected, concentration, unit)
                 VALUES (?, 'Carfentanil', 'carfentanil', (1 = 1), 0.2, '%w/w'), (?, 'carfentanil', 'carfentanil', (1 = 1), 0.2, '%w/w')
                 """, [.integer(analysis), .integer(analysis)]),
                ("DELETE FROM finding WHERE analysis_id = ? AND substance_id = 'carfentanil' AND reported_name = 'Carfentanil'",
                 [.integer(analysis)]),
                ("DELETE FROM finding WHERE analysis_id = ? AND substance_id = 'carfentanil'", [.integer(analysis)]),
                ("UPDATE sample_classification SET provisional = (1 = 1) WHERE sample_id = ?", [.integer(second)]),
                ("UPDATE sample_classification SET provisional = (1 = 0), nitazene = (1 = 1), unexpected = (1 = 1) WHERE sample_id = ?",
                 [.integer(second)]),
                // The classifier's upsert: counted once, as an update.
                ("""
                 INSERT INTO sample_classification SELECT * FROM sample_classification WHERE sample_id = ?
                 ON CONFLICT (sample_id) DO UPDATE SET classic_opioid = NOT sample_classification.classic_opioid
                 """, [.integer(third)]),
                ("UPDATE analysis SET sample_id = ? WHERE id = ?", [.integer(third), .integer(movable)]),
                ("DELETE FROM analysis WHERE id = ?", [.integer(movable)]),
                ("DELETE FROM sample_classification WHERE sample_id = ?", [.integer(third)]),
                ("DELETE FROM sample WHERE id = ?", [.integer(first)]),
            ]
            #expect(try Self.snapshot(session) == Self.snapshot(database), "equal after the copy")
            var previous = try Self.snapshot(database)
            for (sql, arguments) in writes {
                for writer: any StoredRowWriter in [database, session] {
                    try writer.writeTransaction { try $0.execute(sql, arguments) }
                }
                let now = try Self.snapshot(database)
                #expect(now != previous, "\(sql) moved no count")
                for table in Self.aggregates.keys.sorted() {
                    #expect(try Self.snapshot(session, table: table) == now[table], "\(table) after \(sql)")
                }
                previous = now
            }
        }
    }
}
