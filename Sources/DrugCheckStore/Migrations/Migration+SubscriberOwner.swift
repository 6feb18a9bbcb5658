import GRDB

extension SchemaMigration {
    /// `subscriber.owner`: the user (role `subscriber`) who manages a webhook subscription from
    /// the web app; nil for subscriptions an administrator keeps.
    static let subscriberOwner = SchemaMigration("subscriber-owner") { db in
        try db.execute(sql: "ALTER TABLE subscriber ADD COLUMN owner TEXT")
    }
}
