import GRDB
import GRDBSQLite

/// The digest of what is stored for one import batch: the samples it first stored (their own
/// fields), the analyses it stored and every finding of those analyses, each table in row-id
/// order, through ``CanonicalHasher``. Classifications, report aggregates and spectra are
/// derived or bulky and are not covered.
///
/// A later write that changes any of these rows (a corrected re-export replacing an analysis, a
/// later file completing a sample's fields, reclassification relinking names, an amendment)
/// records the batch's new digest in its own audit entry; ``AuditLog/verify()`` compares the
/// stored rows with the latest digest recorded for each batch.
///
/// ```swift
/// let digest = try BatchDigest.compute(batchID: 12, in: db)   // 64 hex digits
/// ```
public enum BatchDigest {
    static let sampleColumns = """
        id, lab_code, lab_sample_id, sample_type, source, sold_as, sold_as_substance_id, brand, flavour, colour, logo,
        description, collected_on, region, seizure_context, attributes, iso_week, week_basis, first_batch_id
        """
    static let analysisColumns = "id, sample_id, batch_id, technique, instrument, method, analysed_on, status, verified_by, verification_rule, verified_at, rejection_reason"
    static let findingColumns = """
        f.id, f.analysis_id, f.reported_name, f.substance_id, f.detected, f.concentration, f.unit, f.rt_min, f.mz,
        f.match_score, f.confidence
        """

    static let sampleSQL = "SELECT \(sampleColumns) FROM sample WHERE first_batch_id = ? ORDER BY id"
    static let analysisSQL = "SELECT \(analysisColumns) FROM analysis WHERE batch_id = ? ORDER BY id"
    /// Columns added later are hashed only when set, so digests recorded before them still hold.
    static let versionSQL = """
        SELECT id, run_id, superseded_by FROM analysis WHERE batch_id = ? AND (run_id IS NOT NULL OR superseded_by IS NOT NULL) ORDER BY id
        """

    static func findingSQL(_ table: String) -> String {
        "SELECT \(findingColumns) FROM \(table) f JOIN analysis a ON a.id = f.analysis_id WHERE a.batch_id = ?"
    }

    /// What the digest hashes, as one query per part (label, SQL with the batch id for every `?`)
    /// in hashing order: for a backend read through ``StoredRowReader``. Counted and
    /// parked findings come as one stream in id order, as ``compute(batchID:in:)`` merges them.
    public static let parts: [(label: String, sql: String)] = {
        let plain = findingColumns.replacingOccurrences(of: "f.", with: "")
        return [("sample", sampleSQL), ("analysis", analysisSQL),
                ("finding", "SELECT \(plain) FROM (\(findingSQL("finding")) UNION ALL \(findingSQL("parked_finding"))) merged ORDER BY id"),
                ("version", versionSQL)]
    }()

    /// The digest read through any backend's queries (``parts``), as that backend stores the values.
    static func compute(batchID: Int64, from source: some StoredRowQueries) throws -> String {
        var hasher = CanonicalHasher()
        for part in parts {
            let arguments = Array(repeating: StoredValue.integer(batchID), count: part.sql.filter { $0 == "?" }.count)
            try source.forEachRow(part.sql, arguments) { hasher.row(part.label, $0.map(\.databaseValue)) }
        }
        return hasher.finalize()
    }

    /// The batch of a stored analysis, on either backend.
    static func batch(ofAnalysis analysisID: Int64, in statements: any StoredStatements) throws -> Int64? {
        if case let .integer(batch)? = try statements.rows("SELECT batch_id FROM analysis WHERE id = ?", [.integer(analysisID)]).first?.first {
            return batch
        }
        return nil
    }

    static func compute(batchID: Int64, in db: Database) throws -> String {
        var hasher = CanonicalHasher()
        for (label, sql) in [("sample", sampleSQL), ("analysis", analysisSQL)] {
            let statement = try db.makeStatement(sql: sql)
            try statement.setArguments([batchID])
            try hashRows(of: statement, label: label, into: &hasher, db: db)
        }
        try hashFindings(batchID: batchID, in: db, into: &hasher)
        let versions = try Row.fetchCursor(db, sql: versionSQL, arguments: [batchID])
        while let row = try versions.next() { hasher.row("version", Array(row.databaseValues)) }
        return hasher.finalize()
    }

    /// Counted and parked findings alike (``AnalysisVersions``), in id order: parking is no change.
    /// The few parked ones are merged into the stream of counted ones.
    private static func hashFindings(batchID: Int64, in db: Database, into hasher: inout CanonicalHasher) throws {
        let query = { (table: String) in findingSQL(table) + " ORDER BY f.id" }
        var parked = try Row.fetchAll(db, sql: query("parked_finding"), arguments: [batchID])[...]
        if parked.isEmpty {
            let statement = try db.makeStatement(sql: query("finding"))
            try statement.setArguments([batchID])
            return try hashRows(of: statement, label: "finding", into: &hasher, db: db)
        }
        let rows = try Row.fetchCursor(db, sql: query("finding"), arguments: [batchID])
        while let row = try rows.next() {
            let id: Int64 = row[0]
            while let next = parked.first, (next[0] as Int64) < id { hasher.row("finding", Array(next.databaseValues)); parked.removeFirst() }
            hasher.row("finding", Array(row.databaseValues))
        }
        for row in parked { hasher.row("finding", Array(row.databaseValues)) }
    }

    /// The batches whose digest covers a sample's rows: the batch that first stored it and
    /// those of its analyses.
    static func batches(ofSample sampleID: Int64, in db: any StoredStatements) throws -> Set<Int64> {
        Set(try db.rows("SELECT first_batch_id FROM sample WHERE id = ? UNION SELECT batch_id FROM analysis WHERE sample_id = ?",
                        [.integer(sampleID), .integer(sampleID)]).compactMap { if case let .integer(id)? = $0.first { id } else { nil } })
    }

    /// The batch of a stored analysis.
    static func batch(ofAnalysis analysisID: Int64, in db: Database) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT batch_id FROM analysis WHERE id = ?"), arguments: [analysisID])
    }

    /// Feeds every row of `statement` to the hasher as ``CanonicalHasher/row(_:_:)`` would from
    /// GRDB's `Row`s, read through the C API: a `Row` and a `String` per value were most of the
    /// digest's time over a million findings (BENCHMARKS.md, "Import").
    private static func hashRows(of statement: Statement, label: String, into hasher: inout CanonicalHasher, db: Database) throws {
        let s = statement.sqliteStatement
        defer { sqlite3_reset(s) }
        let columns = sqlite3_column_count(s)
        while true {
            let code = sqlite3_step(s)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                                    sql: statement.sql)
            }
            hasher.beginRow(label)
            for i in 0..<columns {
                switch sqlite3_column_type(s, i) {
                case SQLITE_NULL: hasher.null()
                case SQLITE_INTEGER: hasher.integer(sqlite3_column_int64(s, i))
                case SQLITE_FLOAT: hasher.real(sqlite3_column_double(s, i))
                case SQLITE_TEXT:
                    let text = sqlite3_column_text(s, i)!
                    let bytes = UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(s, i)))
                    // GRDB reads text as a C string (up to a NUL, invalid UTF-8 repaired): the same
                    // bytes for plain ASCII; anything else goes the way GRDB would read it.
                    if bytes.allSatisfy({ $0 != 0 && $0 < 0x80 }) {
                        hasher.text(bytes)
                    } else {
                        hasher.text(String(cString: text).utf8)
                    }
                default:
                    let count = Int(sqlite3_column_bytes(s, i))
                    hasher.blob(count == 0 ? UnsafeRawBufferPointer(start: nil, count: 0)
                                           : UnsafeRawBufferPointer(start: sqlite3_column_blob(s, i), count: count))
                }
            }
            hasher.endRow()
        }
    }
}
