import DrugCheckModel
import DrugCheckReports
import DrugCheckStore
import Foundation
import Hummingbird

/// `GET /v1/reports/weekly/{isoWeek}` (JSON, CSV or the self-contained HTML page, by `Accept`
/// or extension) and
/// `GET /v1/reports/trend`: aggregates over all labs, for the ministry, reviewers and admins.
struct ReportsController {
    let database: ServerDatabase
    let cache: RenderedCache
    let memo: ReportMemo
    static let offered: [ContentNegotiation.Representation] = [.json, .csv, .html]
    static let maxTrendWeeks = 104

    func register(in routes: RouteCatalogue) {
        routes.add(.get, "/v1/reports/weekly/{isoWeek}", roles: [.ministry, .reviewer, .admin], handler: weekly)
        routes.add(.get, "/v1/reports/trend", roles: [.ministry, .reviewer, .admin], handler: trend)
    }

    @Sendable func weekly(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let segment = try context.parameters.require("isoWeek")
        let (text, format) = try ContentNegotiation.choose(segment: segment, accept: request.headers[.accept], offered: Self.offered)
        guard let week = ISOWeek(text) else { throw Problem.invalidParameter("isoWeek", expected: "an ISO week such as 2026-W47") }
        let lang = request.uri.queryParameters["lang"].map(String.init) ?? "en"
        guard ["en", "nl", "fr", "de"].contains(lang) else { throw Problem.invalidParameter("lang", expected: "en, nl, fr or de") }
        let rendered = try await Self.weekly(week, format: format, language: lang, memo: memo, cache: cache, version: context.dataVersion)
        return EntityTag.conditional(request, body: rendered.body, tag: rendered.tag, contentType: format.contentType, headers: [.vary: "Accept"])
    }

    /// The weekly report's bytes in `format` (JSON, CSV or HTML), kept per data version; shared
    /// with the ministry page's downloads, which send the same bytes.
    static func weekly(_ week: ISOWeek, format: ContentNegotiation.Representation, language: String, memo: ReportMemo,
                       cache: RenderedCache, version: Int64) async throws -> RenderedCache.Rendered {
        try await cache.value("weekly/\(week)/\(format.rawValue)/\(language)", version: version) {
            let report = try memo.report(for: week, language: language)
            switch format {
            case .csv: return (Data(WeeklyReportRenderer.csv(report).utf8), nil)
            case .html: return (Data(try WeeklyReportRenderer.render(report, as: .html).utf8), nil)
            default: return (try JSONBody.encoder.encode(report), nil)
            }
        }
    }

    @Sendable func trend(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        var count = 12
        if let text = query["weeks"] {
            guard let n = Int(text), (1...Self.maxTrendWeeks).contains(n) else {
                throw Problem.invalidParameter("weeks", expected: "an integer from 1 to \(Self.maxTrendWeeks)")
            }
            count = n
        }
        var end: ISOWeek?
        if let text = query["end"] {
            guard let week = ISOWeek(String(text)) else { throw Problem.invalidParameter("end", expected: "an ISO week such as 2026-W47") }
            end = week
        }
        let (database, weeks, lastWeek) = (database, count, end)
        let reports = try await Blocking.run { () -> [WeeklyReport] in
            let last = try lastWeek ?? SampleTimeline(reader: database.writer).latestWeek() ?? WeeklyReportBuilder.lastCompleteWeek(today: .today())
            let builder = WeeklyReportBuilder(source: database.reports)
            return try (0..<weeks).reversed().map { try builder.report(for: last.adding(weeks: -$0)) }
        }
        return try JSONBody.response(Trend(reports))
    }
}

/// Weekly counts over all sample types, one series per class, oldest week first.
struct Trend: Encodable {
    struct Series: Encodable {
        var reportClass: ReportClass
        var tested: [Int]
        var positive: [Int]
        var prevalence: [Double?]

        enum CodingKeys: String, CodingKey { case reportClass = "class", tested, positive, prevalence }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(reportClass, forKey: .reportClass)
            try c.encode(tested, forKey: .tested)
            try c.encode(positive, forKey: .positive)
            var p = c.nestedUnkeyedContainer(forKey: .prevalence)
            for value in prevalence { if let value { try p.encode(value) } else { try p.encodeNil() } }
        }
    }

    var weeks: [String]
    var series: [Series]

    init(_ reports: [WeeklyReport]) {
        weeks = reports.map(\.week.description)
        series = ReportClass.allCases.map { reportClass in
            let cells = reports.map { $0.cell(reportClass) }
            return Series(reportClass: reportClass, tested: cells.map { $0?.tested ?? 0 }, positive: cells.map { $0?.positive ?? 0 },
                          prevalence: cells.map { $0?.prevalence })
        }
    }
}
