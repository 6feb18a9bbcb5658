import DrugCheckModel
import DrugCheckReports
import DrugCheckStore
import Foundation

/// Trigger 4: the weekly report's alarms as events. For each of the latest weeks it reads the
/// series the report of that week runs its signals on (`WeeklyReportBuilder.signalSeries`: the
/// same aggregates, weeks and baseline) and raises an event where the configured
/// `SignalMethod` alarms for a monitored class, nationally and (with `perRegion`) per region.
/// So a signal bulletin says exactly what the report's `alarms` say for that week.
struct SignalTrigger: Sendable {
    var configuration: BulletinConfiguration.Signal
    var reports: any ReportDataSource

    struct UnknownMethod: Error, CustomStringConvertible {
        var name: String
        var description: String {
            "unknown signal method '\(name)'; expected one of \(SignalMethod.allCases.map(\.rawValue).joined(separator: ", "))"
        }
    }

    func events(_ samples: [EvidenceSample]) throws -> [TriggerEvent] {
        guard configuration.enabled, let first = samples.map(\.week).min(), let last = samples.map(\.week).max() else { return [] }
        guard let method = SignalMethod(rawValue: configuration.method) else { throw UnknownMethod(name: configuration.method) }
        let recent = (0..<min(max(1, configuration.recentWeeks), first.distance(to: last) + 1)).reversed().map { last.adding(weeks: -$0) }
        let builder = WeeklyReportBuilder(source: reports)
        let series = try recent.flatMap { try builder.signalSeries(for: $0) }.filter(monitored)
        var events: [TriggerEvent] = []
        for reportClass in configuration.classes {
            let ofClass = series.filter { $0.reportClass == reportClass }
            // National first, then regions alphabetically, each week by week.
            for region in Set(ofClass.map(\.region)).sorted(by: { ($0 == WeeklyReport.all ? 0 : 1, $0) < ($1 == WeeklyReport.all ? 0 : 1, $1) }) {
                for s in ofClass where s.region == region {
                    guard let point = s.point(method), point.alarm == true else { continue }
                    events.append(event(s, point, method: method, samples: samples))
                }
            }
        }
        return events
    }

    /// The national series, and each named region's when `perRegion` (samples without a region
    /// count nationally only: a bulletin cannot name their area).
    private func monitored(_ series: SignalSeries) -> Bool {
        series.region == WeeklyReport.all || (configuration.perRegion && series.region != WeeklyReport.unknownRegion)
    }

    private func event(_ series: SignalSeries, _ point: SignalPoint, method: SignalMethod, samples: [EvidenceSample]) -> TriggerEvent {
        let (week, reportClass) = (series.week, series.reportClass)
        let region = series.region == WeeklyReport.all ? nil : series.region
        let found = samples.filter {
            $0.week == week && $0.classification.isPositive(for: reportClass) && (region == nil || $0.sample.region == region)
        }
        let substances = Dictionary(found.flatMap(\.substances).filter { reportClass.contains($0.substanceClass) }.map { ($0.id, $0) },
                                    uniquingKeysWith: { a, _ in a })
        let signal = SignalFacts(method: method.rawValue, reportClass: reportClass, region: region, week: week,
                                 observed: point.observed, upperbound: point.upperbound)
        return TriggerEvent(trigger: .statisticalSignal, subject: "statistical_signal:\(reportClass.rawValue):\(region ?? "all")",
                            samples: found, substances: substances.values.sorted(by: Potency.morePotent),
                            period: week.monday...week.sunday, signal: signal)
    }
}
