import DrugCheckBulletins
import DrugCheckImport
import DrugCheckIngest
import DrugCheckStore
import Foundation

/// A database with deliveries waiting in its outbox, made the way a deployment makes them: the
/// example exports of `Imports/` imported through the real pipeline, a trigger scan, and every
/// bulletin approved and published (at ``publishedAt``) for subscribers who want everything.
public enum QueuedOutbox {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static let examples = ["be-dca-drugchecking.csv", "be-nicc-seizures.csv", "nl-dims-export.tsv", "mzml-example.mzML",
                                  "results-example.xml"]
    /// 2026-10-20T09:00:00Z: when the bulletins are published, so when their deliveries are first due.
    public static let publishedAt = Date(timeIntervalSince1970: 1_792_486_800)

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Fills `database` and returns how many deliveries it queued; `subscribers` maps each
    /// subscriber's name to its secret, each hooked to `http://127.0.0.1:PORT/hook/NAME`.
    public static func fill(_ database: DrugCheckDatabase, subscribers: [String: String], port: Int,
                            addresses: WebhookAddressPolicy, publishing: Bool = true) throws -> Int {
        for name in examples {
            let result = try ImportPipeline.standard(database: database, observers: [])
                .importFile(at: root.appendingPathComponent("Imports/\(name)"), options: ImportOptions())
            guard result.outcome == .imported else { throw Failure(description: "\(name) not imported: \(result.errors)") }
        }
        try BulletinScanner(database: database).scan(actor: "scanner", at: publishedAt)
        let list = Subscribers(database: database, addresses: addresses)
        for (name, secret) in subscribers.sorted(by: { $0.key < $1.key }) {
            _ = try list.add(Subscriber(name: name, url: "http://127.0.0.1:\(port)/hook/\(name)", secret: secret), at: publishedAt)
        }
        let workflow = BulletinWorkflow(database: database)
        for bulletin in try BulletinStore(database: database).bulletins() where publishing {
            try workflow.approve(bulletin.id, by: "reviewer", at: publishedAt)
            try workflow.publish(bulletin.id, by: "reviewer", at: publishedAt)
        }
        return try Outbox(database: database).deliveries().filter { $0.state == .pending }.count
    }
}
