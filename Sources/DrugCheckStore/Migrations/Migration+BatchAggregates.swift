import GRDB

extension SchemaMigration {
    /// Lets an import batch bring the report aggregates up to date once, at its end, instead of
    /// through the aggregate triggers on every row: a batch sets `aggregate_control.deferred` to 1
    /// inside its transaction, writes its rows (the triggers then do nothing), recomputes the
    /// aggregates of the ISO weeks it touched (`BatchAggregates`) and sets the flag back before it
    /// commits, so no other connection ever sees it set. Every other write path keeps the exact
    /// per-row triggers. (A batch now drops these triggers for its transaction instead, which is
    /// faster, see `BatchAggregates`; the flag stays in the schema, always 0.)
    static let batchAggregates = SchemaMigration("batch-aggregates") { db in
        try db.execute(sql: """
            CREATE TABLE aggregate_control (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                deferred BOOLEAN NOT NULL DEFAULT 0
            );
            INSERT INTO aggregate_control (id, deferred) VALUES (1, 0);
            """)
        let tables = ["report_week_stratum", "report_substance_week", "report_week_substance", "report_week_concentration"]
        let triggers = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            .filter { row in tables.contains { (row["sql"] as String).contains("INSERT INTO \($0)") } }
        try makeDeferrable(db, triggers: triggers.map { $0["name"] })
    }

    /// Rewrites the named triggers to fire only while no batch deferred the aggregates; only the
    /// header (up to BEGIN) changes.
    static func makeDeferrable(_ db: Database, triggers names: [String]) throws {
        let live = "NOT (SELECT deferred FROM aggregate_control WHERE id = 1)"
        for name in names {
            guard let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", arguments: [name]),
                  let begin = sql.firstRange(of: /\sBEGIN\s/) else { continue }
            let header = String(sql[..<begin.lowerBound])
            let newHeader: String
            if let when = header.firstRange(of: /\sWHEN\s/) {
                newHeader = header[..<when.lowerBound] + " WHEN (\(header[when.upperBound...])) AND \(live)"
            } else {
                newHeader = header + " WHEN \(live)"
            }
            try db.execute(sql: "DROP TRIGGER \(name)")
            try db.execute(sql: newHeader + sql[begin.lowerBound...])
        }
    }
}
