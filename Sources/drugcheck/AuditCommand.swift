import ArgumentParser
import DrugCheckPostgres
import DrugCheckReports
import DrugCheckStore
import Foundation

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check and read the tamper-evident audit log.",
        subcommands: [AuditVerifyCommand.self, AuditShowCommand.self]
    )
}

struct AuditVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the audit log's hash chain and every import batch's digest.",
        discussion: """
            Prints the first altered, deleted, inserted or reordered entry and every batch whose stored samples, \
            analyses or findings no longer match the digest the log holds for it; exits 1 if there is any. \
            On success prints the entry count and the head hash: compare it with the head printed in a report, \
            a bulletin or a backup manifest to find deleted latest entries (--expect-head does that). \
            On PostgreSQL (--db postgres://…) the same checks run on PostgreSQL's own rows; 'show' reads it there too.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "A head printed earlier, as SEQ:HASH: the log must still hold that entry unchanged.")
    var expectHead: String?

    func run() throws {
        let log = try database.auditLog()
        let report = try log.verify()
        var failed = false
        if let problem = report.chainProblem {
            print("chain broken: \(problem)")
            failed = true
        }
        for problem in report.batchProblems {
            print("results changed: \(problem)")
            failed = true
        }
        if let expectHead {
            let parts = expectHead.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, let sequence = Int64(parts[0]) else { throw ValidationError("--expect-head is SEQ:HASH, e.g. 42:3f5a…") }
            if try log.entries().first(where: { $0.sequence == sequence })?.entrySHA256 != parts[1] {
                print("chain broken: entry \(sequence) with hash \(parts[1]) is no longer in the log (it was deleted or rewritten)")
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
        print("audit log intact: \(report.entryCount) entries, head \(report.head?.description ?? "none (empty log)")")
    }
}

struct AuditShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "List audit entries, oldest first.",
        discussion: "Example: drugcheck audit show --since 2026-09-01 --sample BE-DCA/DCA-47012 --format json"
    )

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "Only entries recorded on or after this date (YYYY-MM-DD) or time (ISO 8601, UTC).")
    var since: String?

    @Option(name: .long, help: "Only entries about this sample (LAB/ID): its own, and the imports and changes of its batches.")
    var sample: String?

    @Option(name: .long, help: "table or json.")
    var format: AuditFormat = .table

    enum AuditFormat: String, ExpressibleByArgument, CaseIterable { case table, json }

    func run() throws {
        let sinceDate = try since.map { text -> Date in
            let full = text.count == 10 ? text + "T00:00:00Z" : text
            guard let date = try? Date(full, strategy: .iso8601) else {
                throw ValidationError("--since is a date (2026-09-01) or an ISO 8601 UTC time (2026-09-01T12:00:00Z), not '\(text)'")
            }
            return date
        }
        let target = try sample.map { text -> (lab: String, id: String) in
            let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ValidationError("--sample is LAB/ID, e.g. BE-DCA/DCA-47012") }
            return (parts[0], parts[1])
        }
        let entries = try database.auditLog().entries(since: sinceDate, sample: target)
        switch format {
        case .json: print(try json(entries))
        case .table:
            print(entries.isEmpty ? "No audit entries match.\n" : TextTable(header: ["seq", "recorded (UTC)", "actor", "kind", "subject", "details"],
                rows: entries.map { [String($0.sequence), $0.recordedAt, $0.actor, $0.kindText, $0.subject, $0.details] }).rendered,
                terminator: "")
        }
    }

    private func json(_ entries: [AuditLogEntry]) throws -> String {
        let objects: [[String: Any]] = entries.map { e in
            [
                "sequence": e.sequence, "recorded_at": e.recordedAt, "actor": e.actor, "kind": e.kindText, "subject": e.subject,
                "details": (try? JSONSerialization.jsonObject(with: Data(e.details.utf8))) ?? e.details,
                "batch_digests": Dictionary(uniqueKeysWithValues: e.batchDigests.map { (String($0.key), $0.value) }),
                "content_sha256": e.contentSHA256, "previous_sha256": e.previousSHA256, "entry_sha256": e.entrySHA256,
            ]
        }
        let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}

extension DatabaseOptions {
    /// Opens the database, refusing to create one where there is none.
    func openExisting() throws -> DrugCheckDatabase {
        guard PostgresLocation.isURL(path) || FileManager.default.fileExists(atPath: path) else { throw ValidationError("no database at \(path)") }
        return try open()
    }

    /// The audit log of the existing SQLite file, or of the PostgreSQL database `--db` names.
    func auditLog() throws -> AuditLog {
        if let location = try postgres() { return AuditLog(reader: try PostgresMigrator.connectToCurrentSchema(location)) }
        return AuditLog(database: try openExisting())
    }
}
