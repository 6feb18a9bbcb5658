import Crypto
import Foundation
import GRDB

/// One set of figures a weekly report showed, and when a report first showed it.
public struct ReportEdition: Codable, Sendable, Equatable {
    public var producedAt: Date
    public var figuresSHA256: String

    enum CodingKeys: String, CodingKey {
        case producedAt = "produced_at", figuresSHA256 = "figures_sha256"
    }

    public init(producedAt: Date, figuresSHA256: String) {
        self.producedAt = producedAt
        self.figuresSHA256 = figuresSHA256
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let text = try c.decode(String.self, forKey: .producedAt)
        guard let date = try? Date(text, strategy: .iso8601) else {
            throw DecodingError.dataCorruptedError(forKey: .producedAt, in: c, debugDescription: "expected an ISO 8601 UTC time, got '\(text)'")
        }
        producedAt = date
        figuresSHA256 = try c.decode(String.self, forKey: .figuresSHA256)
    }

    /// `produced_at` as ISO 8601 UTC text, whatever the encoder's date strategy.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(producedAt.formatted(.iso8601), forKey: .producedAt)
        try c.encode(figuresSHA256, forKey: .figuresSHA256)
    }
}

extension DrugCheckDatabase {
    /// The editions of the weekly report of `week` for `scope` (its filters), oldest first, this
    /// one (`figures`, a canonical text of its figures) recorded when it differs from the latest.
    /// Recording waits for other writers at most briefly (a report is never held up by imports)
    /// and is skipped on a read-only database: an edition not recorded now is by the next run.
    ///
    /// ```swift
    /// let editions = try database.reportEditions(week: "2026-W36", scope: "all", figures: text)
    /// if editions.count > 1 { print("figures changed since \(editions[0].producedAt)") }
    /// ```
    public func reportEditions(week: String, scope: String, figures: String, at now: Date = Date()) throws -> [ReportEdition] {
        let editions = try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT produced_at, figures_sha256 FROM report_edition WHERE iso_week = ? AND scope = ? ORDER BY produced_at
                """, arguments: [week, scope]).map { ReportEdition(storedAt: $0[0], figuresSHA256: $0[1], otherwise: now) }
        }
        guard let current = ReportEdition.next(after: editions, figures: figures, at: now) else { return editions }
        do {
            try retryingWhileBusy(waitLimit: 2) {
                try pool.write { db in
                    try db.execute(sql: "INSERT OR IGNORE INTO report_edition (iso_week, scope, produced_at, figures_sha256) VALUES (?, ?, ?, ?)",
                                   arguments: [week, scope, current.storedProducedAt, current.figuresSHA256])
                }
            }
        } catch is DatabaseBusy {
        } catch let error as DatabaseError where error.resultCode == .SQLITE_READONLY {
            // A report read from a read-only copy records nothing.
        }
        return editions + [current]
    }
}

extension ReportEdition {
    /// The edition `figures` (a canonical text of a report's figures) make at `now`, or nil when
    /// the latest of `editions` already shows them: the rule both backends record editions by.
    public static func next(after editions: [ReportEdition], figures: String, at now: Date) -> ReportEdition? {
        let sha = HexDigest.string(SHA256.hash(data: Data(figures.utf8)))
        guard editions.last?.figuresSHA256 != sha else { return nil }
        // Whole seconds, as stored: an edition reads back as it was returned.
        return ReportEdition(producedAt: Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down)), figuresSHA256: sha)
    }

    /// An edition as stored (`produced_at` as ISO 8601 text; `fallback` if it does not read).
    public init(storedAt text: String, figuresSHA256: String, otherwise fallback: Date) {
        self.init(producedAt: (try? Date(text, strategy: .iso8601)) ?? fallback, figuresSHA256: figuresSHA256)
    }

    /// `produced_at` as stored.
    public var storedProducedAt: String { producedAt.formatted(.iso8601) }
}
