import DrugCheckModel
import DrugCheckReports
import DrugCheckStore
import Synchronization

/// The weekly reports and sold-as tables built for the database's current data version, shared
/// by every view made of them: the ministry's week page for any class, sample type and language,
/// its trend page, its downloads and the API's weekly report in each format. Building a week's
/// report takes ~100 ms on the 10-million-finding benchmark database and its sold-as table about
/// as long; a view of them renders in a few milliseconds (BENCHMARKS.md, "Web pages").
///
/// ```swift
/// let report = try memo.report(for: week, region: nil, language: "nl")
/// ```
final class ReportMemo: Sendable {
    private struct ReportKey: Hashable, Sendable {
        var week: ISOWeek
        var trendWeeks: Int
        var region: String?
    }

    private struct SoldAsKey: Hashable, Sendable {
        var week: ISOWeek
        var region: String?
    }

    private struct State {
        var version: Int64?
        var reports: [ReportKey: WeeklyReport] = [:]
        var soldAs: [SoldAsKey: [SoldAsFoundRow]] = [:]
    }

    let database: ServerDatabase
    private let probe: any ChangeProbe
    private let metrics: ServerMetrics?
    private let capacity: Int
    private let state = Mutex(State())

    init(database: ServerDatabase, probe: any ChangeProbe, metrics: ServerMetrics? = nil, capacity: Int = 64) {
        self.database = database
        self.probe = probe
        self.metrics = metrics
        self.capacity = capacity
    }

    /// The report of `week` (`WeeklyReportBuilder.report(for:trendWeeks:region:language:)`), built
    /// once per data version and named in `language` for each caller.
    func report(for week: ISOWeek, trendWeeks: Int = 12, region: String? = nil, language: String) throws -> WeeklyReport {
        let key = ReportKey(week: week, trendWeeks: trendWeeks, region: region)
        let report = try value(\.reports, key) {
            try WeeklyReportBuilder(source: database.reports).report(for: week, trendWeeks: trendWeeks, region: region)
        }
        return report.namingRegions(in: language)
    }

    /// The week's "sold as → found" table (`DrugCheckDatabase.soldAsFound(week:region:)`), once per data version.
    func soldAs(week: ISOWeek, region: String?) throws -> [SoldAsFoundRow] {
        try value(\.soldAs, SoldAsKey(week: week, region: region)) { try database.writer.soldAsFound(week: week, region: region) }
    }

    /// The kept value for the current data version, else a new one. The version is read before
    /// building: a commit meanwhile makes the next caller build again.
    private func value<Key: Hashable & Sendable, Value: Sendable>(_ table: WritableKeyPath<State, [Key: Value]>, _ key: Key,
                                             build: () throws -> Value) throws -> Value {
        let version = try probe.version()
        let kept = state.withLock { state -> Value? in
            if state.version != version { state = State(version: version) }
            return state[keyPath: table][key]
        }
        if let kept { return kept }
        let value = try build()
        metrics?.recordReportBuild()
        state.withLock { state in
            guard state.version == version else { return }
            if state[keyPath: table].count >= capacity { state[keyPath: table].removeAll() }
            state[keyPath: table][key] = value
        }
        return value
    }
}
