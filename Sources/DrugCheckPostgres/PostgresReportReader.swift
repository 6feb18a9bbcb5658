import DrugCheckModel
import DrugCheckStore
import Foundation
import PostgresNIO

/// The weekly report's reads on PostgreSQL: the same four queries over the same aggregate
/// tables as ``ReportAggregateReader`` (one text each, `?` numbered for PostgreSQL), the audit
/// head, and the report's editions.
///
/// ```swift
/// let source = PostgresReportReader(session: try PostgresSession.connect(to: location))   // or (sessions: pool)
/// let report = try WeeklyReportBuilder(source: source).report(for: ISOWeek("2026-W47")!)
/// ```
public struct PostgresReportReader: ReportDataSource {
    public let sessions: PostgresSessionPool

    public init(sessions: PostgresSessionPool) {
        self.sessions = sessions
    }

    public init(session: PostgresSession) {
        self.init(sessions: PostgresSessionPool(session: session))
    }

    /// The same counts as SQLite's, gathered in one BIGINT array a row: PostgresNIO's per-cell
    /// work on ~40 columns a row was most of the report's time on PostgreSQL (`perf`, BENCHMARKS.md).
    static func countsSQL(margins: Bool) -> String {
        ReportAggregateReader.countsSQL(counts: "ARRAY[\(ReportAggregateReader.countExpressions.joined(separator: ", "))]::BIGINT[]",
                                        margins: margins).textPlaceholders
    }
    static let substancesSQL = ReportAggregateReader.substancesSQL.textPlaceholders
    static let concentrationsSQL = ReportAggregateReader.concentrationsSQL.textPlaceholders
    static let firstSeenSQL = ReportAggregateReader.firstSeenSQL.textPlaceholders

    /// The row key whose columns start at `index`, as ``ReportAggregateReader`` reads it.
    private static func key(_ cells: PostgresRandomAccessRow, at index: Int, margins: Bool) throws -> ReportAggregateReader.Key {
        let text = { (i: Int) in try cells[index + i].decode(String.self) }
        return margins ? .margin(dimension: try text(0), value: try text(1))
            : .strata(.init(sampleType: try text(0), source: try text(1), region: try text(2), lab: try text(3)))
    }

    public func counts(from first: ISOWeek, through last: ISOWeek, region: String?) throws -> [ReportAggregateReader.StratumRow] {
        let n = ReportClass.allCases.count
        let margins = region == nil
        let arguments = ReportAggregateReader.arguments([first.description, last.description], region: region)
        return try query(Self.countsSQL(margins: margins), binds(arguments)).map { row in
            let cells = row.makeRandomAccess()
            let counts = try Self.bigints(cells[margins ? 3 : 5]).map { Int($0) }
            return ReportAggregateReader.StratumRow(
                week: try cells[0].decode(String.self), key: try Self.key(cells, at: 1, margins: margins),
                tested: counts[0], analysedBasis: counts[1],
                positive: Array(counts[2..<2 + n]), unexpected: Array(counts[2 + n..<2 + 2 * n]),
                provisionalTested: counts[2 + 2 * n], provisionalPositive: Array(counts[3 + 2 * n..<3 + 3 * n]))
        }
    }

    /// A one-dimensional BIGINT array without NULLs in PostgreSQL's binary form (dimensions,
    /// flags, element type, length, lower bound, then each element's length and 8 bytes), read
    /// directly: PostgresNIO's generic array decoding was a fifth of the report's time on
    /// PostgreSQL in a `perf` profile. Anything else goes to PostgresNIO.
    static func bigints(_ cell: PostgresCell) throws -> [Int64] {
        guard cell.format == .binary, var bytes = cell.bytes, bytes.readInteger(as: Int32.self) == 1,
              bytes.readInteger(as: Int32.self) == 0, bytes.readInteger(as: UInt32.self) == PostgresDataType.int8.rawValue,
              let count = bytes.readInteger(as: Int32.self), count >= 0, bytes.readInteger(as: Int32.self) != nil,
              bytes.readableBytes == Int(count) * 12 else { return try cell.decode([Int64].self) }
        return (0..<Int(count)).map { _ in
            bytes.moveReaderIndex(forwardBy: 4)
            return bytes.readInteger(as: Int64.self)!
        }
    }

    public func substances(in week: ISOWeek, region: String?) throws -> [ReportAggregateReader.SubstanceRow] {
        try query(Self.substancesSQL, binds(week.description, region, region)).map { row in
            let (type, source, region, lab, substance, samples) = try row.decode((String, String, String, String, String, Int64).self)
            return .init(strata: .init(sampleType: type, source: source, region: region, lab: lab), substanceID: substance, samples: Int(samples))
        }
    }

    public func concentrations(in week: ISOWeek, region: String?) throws -> [ReportAggregateReader.ConcentrationRow] {
        try query(Self.concentrationsSQL, binds(week.description, region, region)).map { row in
            let (type, source, region, lab, substance, unit, concentration, findings) =
                try row.decode((String, String, String, String, String, String, Double, Int64).self)
            return .init(strata: .init(sampleType: type, source: source, region: region, lab: lab), substanceID: substance,
                         unit: unit, concentration: concentration, findings: Int(findings))
        }
    }

    public func firstSeen(in week: ISOWeek, region: String?) throws -> Set<String> {
        Set(try query(Self.firstSeenSQL, binds(region ?? "", week.description)).map { try $0.decode(String.self) })
    }

    public func auditHead() throws -> AuditHead? {
        try AuditLog(reader: sessions).head()
    }

    public func reportEditions(week: String, scope: String, figures: String, at now: Date) throws -> [ReportEdition] {
        let editions = try query("""
            SELECT produced_at, figures_sha256 FROM report_edition WHERE iso_week = $1 AND scope = $2 ORDER BY produced_at
            """, binds(week, scope)).map { row in
            let (producedAt, sha) = try row.decode((String, String).self)
            return ReportEdition(storedAt: producedAt, figuresSHA256: sha, otherwise: now)
        }
        guard let current = ReportEdition.next(after: editions, figures: figures, at: now) else { return editions }
        try query("""
            INSERT INTO report_edition (iso_week, scope, produced_at, figures_sha256) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING
            """, binds(week, scope, current.storedProducedAt, current.figuresSHA256))
        return editions + [current]
    }

    private func query(_ sql: String, _ binds: PostgresBindings) throws -> [PostgresRow] {
        try sessions.withSession { try $0.query(sql, binds) }
    }

    private func binds(_ values: String?...) -> PostgresBindings {
        binds(values)
    }

    private func binds(_ values: [String?]) -> PostgresBindings {
        var binds = PostgresBindings(capacity: values.count)
        for value in values { binds.append(value) }
        return binds
    }
}
