import Foundation
import GRDB
import GRDBSQLite

/// One prepared INSERT run with values bound straight through the SQLite C API.
///
/// GRDB's `Statement.execute(arguments:)` builds an array of `DatabaseValue`s per row; in the
/// profile of a 100,000-row import that boxing (retain/release, malloc) was over a third of the
/// writing thread's time, more than SQLite itself (BENCHMARKS.md, "Import"). The batch writer's
/// three hot inserts (sample, analysis, finding) bind here instead; GRDB still prepares the
/// statement and owns the connection and the transaction.
///
/// ```swift
/// let insert = try FastInsert(db, sql: "INSERT INTO t (a, b) VALUES (?, ?)")
/// try insert.run { b in b.text("x"); b.double(nil) }
/// ```
final class FastInsert {
    private let statement: Statement
    private let db: Database

    init(_ db: Database, sql: String) throws {
        self.db = db
        statement = try db.makeStatement(sql: sql)
    }

    /// Binds the values `bind` gives, in parameter order, and steps the statement once.
    func run(_ bind: (inout Binder) -> Void) throws {
        let s = statement.sqliteStatement
        var binder = Binder(statement: s)
        bind(&binder)
        let code = sqlite3_step(s)
        sqlite3_reset(s)
        guard code == SQLITE_DONE else {
            let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }

    /// Binds values to consecutive parameters, from the first.
    struct Binder {
        let statement: OpaquePointer
        private var index: Int32 = 1
        // SQLite copies the text before the call returns.
        private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

        init(statement: OpaquePointer) {
            self.statement = statement
        }

        mutating func text(_ value: String?) {
            if var value {
                value.withUTF8 { bytes in
                    _ = bytes.withMemoryRebound(to: CChar.self) {
                        sqlite3_bind_text(statement, index, $0.baseAddress, Int32($0.count), Self.transient)
                    }
                }
            } else {
                sqlite3_bind_null(statement, index)
            }
            index += 1
        }

        mutating func double(_ value: Double?) {
            if let value { sqlite3_bind_double(statement, index, value) } else { sqlite3_bind_null(statement, index) }
            index += 1
        }

        mutating func integer(_ value: Int64?) {
            if let value { sqlite3_bind_int64(statement, index, value) } else { sqlite3_bind_null(statement, index) }
            index += 1
        }

        mutating func bool(_ value: Bool) { integer(value ? 1 : 0) }
    }
}
