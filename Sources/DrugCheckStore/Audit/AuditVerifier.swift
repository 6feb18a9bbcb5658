import GRDB

/// Recomputes the audit log's hash chain and every imported batch's digest.
///
/// Entries are walked in sequence order. The first entry whose link, content or entry hash does
/// not hold is diagnosed from its neighbours: a link to an entry numbered later means reordered
/// entries; the entry after it linking to the entry before it means an inserted entry; a link to
/// no entry at all over a gap in the numbering means deleted entries. Deleting the latest entries
/// leaves a shorter, consistent chain: that is found by comparing with a head hash printed
/// earlier (a report, a bulletin, a backup manifest).
///
/// ```swift
/// let report = try AuditLog(database: db).verify()          // the SQLite store
/// let copy = try AuditLog(reader: postgresSession).verify()   // another backend's copy
/// ```
public enum AuditVerifier {
    struct Link {
        var entry: AuditLogEntry
        var contentOK: Bool

        init(_ row: Row) {
            entry = AuditLogEntry(row: row)
            contentOK = AuditLogEntry.contentHash(of: row) == (row["content_sha256"] as String?)
        }
    }

    /// Every entry, in sequence order.
    public static let entriesSQL = "SELECT \(AuditLogEntry.columns) FROM audit_entry ORDER BY seq"
    /// The batches whose results were stored (a rejected file stores none).
    public static let importedBatchesSQL = "SELECT id FROM import_batch WHERE outcome = 'imported' ORDER BY id"

    static func verify(_ db: Database) throws -> AuditReport {
        let links = try Row.fetchAll(db, sql: entriesSQL).map(Link.init)
        return try report(links, importedBatches: try Int64.fetchAll(db, sql: importedBatchesSQL)) { batch in
            try BatchDigest.compute(batchID: batch, in: db)
        }
    }

    /// The same checks on a log another backend holds, with the same report: the store's
    /// queries run there, the values hashed as that backend stores them (a copy is proven intact
    /// by its own rows, not by the file it came from).
    public static func verify(_ reader: some StoredRowReader) throws -> AuditReport {
        let links = try reader.rows(entriesSQL, []).map { Link(Row(columns: AuditLogEntry.columnNames, values: $0)) }
        let batches = try reader.rows(importedBatchesSQL, []).compactMap { values -> Int64? in
            if case let .integer(id)? = values.first { id } else { nil }
        }
        return try report(links, importedBatches: batches) { batch in try BatchDigest.compute(batchID: batch, from: reader) }
    }

    private static func report(_ links: [Link], importedBatches: [Int64], digest: (Int64) throws -> String) throws -> AuditReport {
        var latestDigest: [Int64: (sequence: Int64, digest: String)] = [:]
        for link in links {
            for (batch, digest) in link.entry.batchDigests { latestDigest[batch] = (link.entry.sequence, digest) }
        }
        var batchProblems: [BatchProblem] = []
        for batch in importedBatches {
            guard let recorded = latestDigest[batch] else {
                batchProblems.append(BatchProblem(batchID: batch, entrySequence: nil))
                continue
            }
            if try digest(batch) != recorded.digest {
                batchProblems.append(BatchProblem(batchID: batch, entrySequence: recorded.sequence))
            }
        }
        let head = links.last.map { AuditHead(sequence: $0.entry.sequence, sha256: $0.entry.entrySHA256) }
        return AuditReport(entryCount: links.count, head: head, chainProblem: firstBreak(links), batchProblems: batchProblems)
    }

    private static func firstBreak(_ links: [Link]) -> ChainProblem? {
        let position = Dictionary(links.enumerated().map { ($1.entry.entrySHA256, $0) }, uniquingKeysWith: { first, _ in first })
        for (i, link) in links.enumerated() {
            let e = link.entry
            let previous = i > 0 ? links[i - 1].entry : nil
            let linked = e.previousSHA256 == (previous?.entrySHA256 ?? AuditLogEntry.genesis)
            let selfConsistent = e.entrySHA256 == CanonicalHasher.link(previous: e.previousSHA256, content: e.contentSHA256)
            if linked, link.contentOK, selfConsistent { continue }
            let expectedPrevious = previous?.entrySHA256 ?? AuditLogEntry.genesis
            let j = position[e.previousSHA256]
            if let j, j > i { return .reordered(sequence: e.sequence, follows: links[j].entry.sequence) }
            if i + 1 < links.count, links[i + 1].entry.previousSHA256 == expectedPrevious { return .inserted(sequence: e.sequence) }
            if linked { return link.contentOK ? .hashAltered(sequence: e.sequence) : .altered(sequence: e.sequence) }
            if let j, j < i - 1 { return .inserted(sequence: links[j + 1].entry.sequence) }
            let expected = (previous?.sequence ?? 0) + 1
            if e.sequence > expected { return .deleted(from: expected, through: e.sequence - 1) }
            return link.contentOK && selfConsistent ? .hashAltered(sequence: e.sequence) : .altered(sequence: e.sequence)
        }
        return nil
    }
}
