import DrugCheckModel
import GRDB

/// The store's labs, read and added inside a caller's transaction (access management adds a
/// lab with the user that needs it, in one write).
///
/// ```swift
/// try database.writer.write { db in
///     if try !LabRows.exists("BE-DCA", in: db) { try LabRows.insert(Lab(code: "BE-DCA", name: "DCA", country: "BE"), in: db) }
/// }
/// ```
public enum LabRows {
    public static func all(in db: Database) throws -> [Lab] {
        try LabRecord.order(Column("code")).fetchAll(db).map { Lab(code: $0.code, name: $0.name, country: $0.country) }
    }

    public static func exists(_ code: String, in db: Database) throws -> Bool {
        try LabRecord.exists(db, key: code)
    }

    /// Adds a lab; with `ignoringExisting`, a lab already there is left as it is.
    public static func insert(_ lab: Lab, ignoringExisting: Bool = false, in db: Database) throws {
        try LabRecord(code: lab.code, name: lab.name, country: lab.country).insert(db, onConflict: ignoringExisting ? .ignore : .abort)
    }
}
