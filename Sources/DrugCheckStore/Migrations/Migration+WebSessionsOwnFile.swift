import GRDB

extension SchemaMigration {
    /// Web sessions moved to a file of their own beside the database (``WebSessionStore`` in
    /// DrugCheckAccess): a login or logout committed here changed the database's data version,
    /// and with it every cached report and ministry page was rendered again. Sessions open at
    /// the upgrade end; their users log in again.
    static let webSessionsOwnFile = SchemaMigration("web-sessions-own-file") { db in
        try db.execute(sql: "DROP TABLE web_session")
    }
}
