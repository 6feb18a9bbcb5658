import DrugCheckModel
import GRDB

/// The store's labs, read and added inside a caller's transaction (access management adds a
/// lab with the user that needs it, in one write).
///
/// ```swift
/// try database.writeTransaction { db in          // or a PostgresSession
///     if try !LabRows.exists("BE-DCA", in: db) { try LabRows.insert(Lab(code: "BE-DCA", name: "DCA", country: "BE"), in: db) }
/// }
/// ```
public enum LabRows {
    public static func all(from source: some StoredRowQueries) throws -> [Lab] {
        try source.rows("SELECT code, name, country FROM lab ORDER BY code", []).map { values in
            let text = values.map { if case let .text(s) = $0 { s } else { "" } }
            return Lab(code: text[0], name: text[1], country: text[2])
        }
    }

    public static func exists(_ code: String, in statements: any StoredStatements) throws -> Bool {
        try !statements.rows("SELECT 1 FROM lab WHERE code = ?", [.text(code)]).isEmpty
    }

    /// Adds a lab; with `ignoringExisting`, a lab already there is left as it is.
    public static func insert(_ lab: Lab, ignoringExisting: Bool = false, in statements: any StoredStatements) throws {
        try statements.execute("INSERT INTO lab (code, name, country) VALUES (?, ?, ?)" + (ignoringExisting ? " ON CONFLICT (code) DO NOTHING" : ""),
                               [.text(lab.code), .text(lab.name), .text(lab.country)])
    }
}
