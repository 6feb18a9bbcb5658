import DrugCheckAccess
import DrugCheckBulletins
import DrugCheckModel
import DrugCheckReports
import DrugCheckStore
import Foundation
import Hummingbird
import NIOCore

/// The ministry's pages: the week at a glance (`/ministry`), its downloads (the weekly report
/// as CSV, JSON or HTML, the same bytes as the API), and a class over 52 weeks (`/ministry/trend`).
/// Only aggregates: the ministry sees no lab's raw results.
///
/// The pages' content is rendered once per data version and kept in the server's
/// ``RenderedCache`` by every parameter that shapes it (week, class, type, region, language); the
/// weekly report and sold-as table behind it (~25 ms and ~2 ms on the 10-million-finding benchmark
/// database) are built once per data version for every class, type and language (``ReportMemo``);
/// the layout around it (caller, form token) is rendered per request. The downloads share the API's
/// cache entries (`GET /v1/reports/weekly/{week}`: the same bytes).
struct MinistryPages {
    let database: ServerDatabase
    let regionLevel: Int
    let renderer: PageRenderer
    let cache: RenderedCache
    let memo: ReportMemo
    static let roles: Set<Role> = [.ministry, .reviewer, .admin]

    func register(in routes: RouteCatalogue) {
        routes.page(.get, "/ministry", roles: Self.roles, handler: week)
        routes.page(.get, "/ministry/trend", roles: Self.roles, handler: trend)
        for format in ["csv", "json", "html"] {
            routes.page(.get, "/ministry/report.\(format)", roles: Self.roles) { try await download($0, $1, format: format) }
        }
    }

    /// The week asked for, else the latest week with data, else the last complete week.
    private func chosenWeek(_ request: Request) async throws -> ISOWeek {
        if let text = request.uri.queryParameters["week"], !text.isEmpty {
            guard let week = ISOWeek(String(text)) else { throw WebPageError.badRequest("week: expected an ISO week such as 2026-W47") }
            return week
        }
        let database = database
        return try await Blocking.run { try Self.defaultWeek(database) }
    }

    /// The latest week with data, else the last complete week.
    static func defaultWeek(_ database: ServerDatabase) throws -> ISOWeek {
        try SampleTimeline(reader: database.writer).latestWeek() ?? WeeklyReportBuilder.lastCompleteWeek(today: .today())
    }

    @Sendable func week(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let language = renderer.language(request, context)
        let query = request.uri.queryParameters
        let week = try await chosenWeek(request)
        let reportClass = query["class"].flatMap { ReportClass(rawValue: String($0)) } ?? .anySyntheticOpioid
        let sampleType = query["type"].map(String.init).flatMap { SampleType(rawValue: $0)?.rawValue } ?? WeeklyReport.all
        let region = query["region"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let content = weekContent(week: week, reportClass: reportClass, sampleType: sampleType, region: region, language: language)
        let main = try await cache.value(content.key, version: context.dataVersion, render: content.recipe)
        return try renderer.page("ministry", title: "nav_week", data: ["main_html": String(buffer: main.body)], request: request, context: context)
    }

    /// The week page's content for one view, as kept in the cache: its key and how it is made.
    func weekContent(week: ISOWeek, reportClass: ReportClass, sampleType: String, region: String?,
                     language: String) -> (key: String, recipe: RenderedCache.Recipe) {
        let (memo, renderer, regionLevel) = (memo, renderer, regionLevel)
        return ("ministry/\(week)/\(reportClass.rawValue)/\(sampleType)/\(region ?? "")/\(language)", {
            // One after the other: the report reads on both cores itself.
            let report = try memo.report(for: week, region: region, language: language)
            let soldAs = try memo.soldAs(week: week, region: region)
            let data = try Self.weekData(report: report, soldAs: soldAs, week: week, reportClass: reportClass, sampleType: sampleType,
                                         region: region, language: language, regionLevel: regionLevel, texts: renderer.texts)
            return (Data(try renderer.fragment("ministry-main", data: data, language: language).utf8), nil)
        })
    }

    /// What the ministry opens first, in every language: the latest week with data and its
    /// 52-week trend, for synthetic opioids as a whole. The server renders these ahead, at start
    /// and whenever data arrive (``CacheRefresher``), so nobody waits for the weekly report.
    func standingViews() throws -> [(key: String, recipe: RenderedCache.Recipe)] {
        let week = try Self.defaultWeek(database)
        return WebTexts.languages.flatMap { language in
            [weekContent(week: week, reportClass: .anySyntheticOpioid, sampleType: WeeklyReport.all, region: nil, language: language),
             trendContent(week: week, reportClass: .anySyntheticOpioid, language: language)]
        }
    }

    /// The week page's content: key findings, prevalence by class, the map, what was in things
    /// sold as what, substances seen for the first time, and signals.
    private static func weekData(report: WeeklyReport, soldAs: [SoldAsFoundRow], week: ISOWeek, reportClass: ReportClass, sampleType: String,
                                 region: String?, language: String, regionLevel: Int, texts t: WebTexts) throws -> [String: Any] {
        let bulletinLanguage = BulletinLanguage(rawValue: language) ?? .en
        let names = BulletinTexts.bundled
        let series = ReportClass.allCases.map { c in
            PrevalenceSeries(label: names.className(c, in: bulletinLanguage), points: report.trend.filter { $0.reportClass == c }.map(PrevalencePoint.init))
        }
        let regions = report.cells.filter {
            $0.reportClass == reportClass && $0.sampleType == sampleType && $0.region != WeeklyReport.all && $0.source == WeeklyReport.all && $0.lab == WeeklyReport.all
        }
        var mapTexts = ChoroplethMap.Texts()
        mapTexts.legendTitle = t.text("prevalence", language)
        mapTexts.tooFewSamples = t.text("too_few_samples", language)
        mapTexts.attribution = t.text("map_attribution", language)
        mapTexts.noData = t.text("no_data", language)
        let map = try ChoroplethMap(regions: regions.map(ChoroplethMap.Region.init),
                                    title: "\(names.className(reportClass, in: bulletinLanguage)), \(week)", level: regionLevel, texts: mapTexts).svg()
        let download = "week=\(week)&lang=\(language)"
        return [
            "week": week.description, "key_findings": KeyFindings(report: report, reportClass: reportClass, language: language, texts: t).sentences,
            "prevalence": SmallMultiples(series: series, title: "\(t.text("prevalence", language)), \(report.trendWeeks) \(t.text("weeks", language))",
                                         words: Self.words(t, language)).svg(),
            "map": map,
            "sold_as": soldAs.map { row in
                ["sold_as": row.soldAs, "samples": row.samples, "found": row.found.map { "\($0.substance) (\($0.samples))" }.joined(separator: ", ")] as [String: Any]
            },
            "first_seen": report.firstSeen.map { ["name": $0.name, "class": $0.substanceClass, "samples": $0.samples] as [String: Any] },
            "signals": report.alarms.map { a in
                ["class": names.className(a.reportClass, in: bulletinLanguage), "region": a.region, "observed": a.observed,
                 "methods": a.methods.map(\.rawValue).joined(separator: ", ")] as [String: Any]
            },
            "classes": ReportClass.allCases.map { ["value": $0.rawValue, "label": names.className($0, in: bulletinLanguage), "selected": $0 == reportClass] as [String: Any] },
            "types": SampleType.allCases.map { ["value": $0.rawValue, "label": names.sampleTypeName($0.rawValue, in: bulletinLanguage), "selected": $0.rawValue == sampleType] as [String: Any] },
            "region": region ?? "", "audit_head": report.auditHead?.description ?? "",
            "downloads": ["csv", "json", "html"].map { ["format": $0, "href": "/ministry/report.\($0)?\(download)"] },
            "trend_href": "/ministry/trend?class=\(reportClass.rawValue)",
        ]
    }

    @Sendable func trend(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let language = renderer.language(request, context)
        let reportClass = request.uri.queryParameters["class"].flatMap { ReportClass(rawValue: String($0)) } ?? .anySyntheticOpioid
        let week = try await chosenWeek(request)
        let content = trendContent(week: week, reportClass: reportClass, language: language)
        let main = try await cache.value(content.key, version: context.dataVersion, render: content.recipe)
        return try renderer.page("trend", title: "nav_trend", data: ["main_html": String(buffer: main.body)], request: request, context: context)
    }

    /// The trend page's content for one class and week, as kept in the cache.
    func trendContent(week: ISOWeek, reportClass: ReportClass, language: String) -> (key: String, recipe: RenderedCache.Recipe) {
        let (memo, renderer) = (memo, renderer)
        return ("ministry-trend/\(week)/\(reportClass.rawValue)/\(language)", {
            let report = try memo.report(for: week, trendWeeks: 52, language: language)
            let name = BulletinTexts.bundled.className(reportClass, in: BulletinLanguage(rawValue: language) ?? .en)
            let points = report.trend.filter { $0.reportClass == reportClass }
            let chart = TrendChart(series: PrevalenceSeries(label: name, points: points.map(PrevalencePoint.init)),
                                   title: "\(name), 52 \(renderer.texts.text("weeks", language)) → \(week)",
                                   words: Self.words(renderer.texts, language)).svg()
            let data: [String: Any] = [
                "chart": chart, "class_name": name, "week": week.description,
                "classes": ReportClass.allCases.map { ["value": $0.rawValue, "selected": $0 == reportClass] as [String: Any] },
                "rows": points.reversed().map { p in
                    ["week": p.week.description, "tested": p.tested, "positive": p.positive, "prevalence": PageFormat.percent(p.prevalence),
                     "ci": p.ciLow.map { "\(PageFormat.percent($0)) – \(PageFormat.percent(p.ciHigh))" } ?? ""] as [String: Any]
                },
            ]
            return (Data(try renderer.fragment("trend-main", data: data, language: language).utf8), nil)
        })
    }

    /// The words inside the prevalence charts in the page's language.
    static func words(_ texts: WebTexts, _ language: String) -> PrevalenceWords {
        PrevalenceWords(noSamples: texts.text("no_samples", language), interval: texts.text("ci95", language))
    }

    /// The weekly report file, rendered as `GET /v1/reports/weekly/{week}` renders it.
    private func download(_ request: Request, _ context: DrugCheckRequestContext, format: String) async throws -> Response {
        let week = try await chosenWeek(request)
        let language = renderer.language(request, context)
        // The cache entry of `GET /v1/reports/weekly/{week}.{format}?lang=`: the same bytes.
        let representation = ContentNegotiation.Representation(rawValue: format) ?? .json
        let rendered = try await ReportsController.weekly(week, format: representation, language: language, memo: memo,
                                                          cache: cache, version: context.dataVersion)
        let type = representation.contentType
        return Response(status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"drugcheck-\(week).\(format)\""],
                        body: .init(byteBuffer: rendered.body))
    }
}
