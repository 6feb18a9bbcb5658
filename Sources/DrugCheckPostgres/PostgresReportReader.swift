import DrugCheckModel
import DrugCheckStore
import Foundation
import PostgresNIO

/// The weekly report's reads on PostgreSQL: the same four queries over the same aggregate
/// tables as ``ReportAggregateReader`` (one text each, `?` numbered for PostgreSQL), the audit
/// head, and the report's editions.
///
/// ```swift
/// let source = PostgresReportReader(session: try PostgresSession.connect(to: location))
/// let report = try WeeklyReportBuilder(source: source).report(for: ISOWeek("2026-W47")!)
/// ```
public struct PostgresReportReader: ReportDataSource {
    public let session: PostgresSession

    public init(session: PostgresSession) {
        self.session = session
    }

    static let countsSQL = ReportAggregateReader.countsSQL.textPlaceholders
    static let substancesSQL = ReportAggregateReader.substancesSQL.textPlaceholders
    static let concentrationsSQL = ReportAggregateReader.concentrationsSQL.textPlaceholders
    static let firstSeenSQL = ReportAggregateReader.firstSeenSQL.textPlaceholders

    public func counts(from first: ISOWeek, through last: ISOWeek, region: String?) throws -> [ReportAggregateReader.StratumRow] {
        let n = ReportClass.allCases.count
        return try session.query(Self.countsSQL, binds(first.description, last.description, region, region)).map { row in
            let cells = row.makeRandomAccess()
            let text = { (i: Int) in try cells[i].decode(String.self) }
            let count = { (i: Int) in try Self.count(cells[i]) }
            return ReportAggregateReader.StratumRow(
                week: try text(0), sampleType: try text(1), source: try text(2), region: try text(3), lab: try text(4),
                tested: try count(5), analysedBasis: try count(6),
                positive: try (0..<n).map { try count(7 + $0) }, unexpected: try (0..<n).map { try count(7 + n + $0) },
                provisionalTested: try count(7 + 2 * n), provisionalPositive: try (0..<n).map { try count(8 + 2 * n + $0) })
        }
    }

    /// A count: PostgreSQL sends BIGINTs as 8 big-endian bytes, read here straight from the cell.
    /// PostgresNIO's generic `decode` was most of the report's time on PostgreSQL (a `perf`
    /// profile of `drugcheck bench report --postgres`: ~300,000 count cells a report).
    static func count(_ cell: PostgresCell) throws -> Int {
        if cell.dataType == .int8, cell.format == .binary, let bytes = cell.bytes, bytes.readableBytes == 8,
           let value = bytes.getInteger(at: bytes.readerIndex, as: Int64.self) {
            return Int(value)
        }
        return Int(try cell.decode(Int64.self))
    }

    public func substances(in week: ISOWeek, region: String?) throws -> [ReportAggregateReader.SubstanceRow] {
        try session.query(Self.substancesSQL, binds(week.description, region, region)).map { row in
            let (type, source, region, lab, substance, samples) = try row.decode((String, String, String, String, String, Int64).self)
            return .init(strata: .init(sampleType: type, source: source, region: region, lab: lab), substanceID: substance, samples: Int(samples))
        }
    }

    public func concentrations(in week: ISOWeek, region: String?) throws -> [ReportAggregateReader.ConcentrationRow] {
        try session.query(Self.concentrationsSQL, binds(week.description, region, region)).map { row in
            let (type, source, region, lab, substance, unit, concentration, findings) =
                try row.decode((String, String, String, String, String, String, Double, Int64).self)
            return .init(strata: .init(sampleType: type, source: source, region: region, lab: lab), substanceID: substance,
                         unit: unit, concentration: concentration, findings: Int(findings))
        }
    }

    public func firstSeen(in week: ISOWeek, region: String?) throws -> Set<String> {
        Set(try session.query(Self.firstSeenSQL, binds(region ?? "", week.description)).map { try $0.decode(String.self) })
    }

    public func auditHead() throws -> AuditHead? {
        try session.query("SELECT seq, entry_sha256 FROM audit_entry ORDER BY seq DESC LIMIT 1").first.map { row in
            let (sequence, sha) = try row.decode((Int64, String).self)
            return AuditHead(sequence: sequence, sha256: sha)
        }
    }

    public func reportEditions(week: String, scope: String, figures: String, at now: Date) throws -> [ReportEdition] {
        let editions = try session.query("""
            SELECT produced_at, figures_sha256 FROM report_edition WHERE iso_week = $1 AND scope = $2 ORDER BY produced_at
            """, binds(week, scope)).map { row in
            let (producedAt, sha) = try row.decode((String, String).self)
            return ReportEdition(storedAt: producedAt, figuresSHA256: sha, otherwise: now)
        }
        guard let current = ReportEdition.next(after: editions, figures: figures, at: now) else { return editions }
        try session.query("""
            INSERT INTO report_edition (iso_week, scope, produced_at, figures_sha256) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING
            """, binds(week, scope, current.storedProducedAt, current.figuresSHA256))
        return editions + [current]
    }

    private func binds(_ values: String?...) -> PostgresBindings {
        var binds = PostgresBindings(capacity: values.count)
        for value in values { binds.append(value) }
        return binds
    }
}
