import DrugCheckModel
import DrugCheckReports
import Foundation

/// Trigger 4: runs the weekly report's aberration detection (`SignalMethod`, EARS C1–C3 or
/// CUSUM) over the weekly counts of positive samples per class, nationally and per region, and
/// turns alarms in the latest weeks into events.
struct SignalTrigger: Sendable {
    var configuration: BulletinConfiguration.Signal

    struct UnknownMethod: Error, CustomStringConvertible {
        var name: String
        var description: String {
            "unknown signal method '\(name)'; expected one of \(SignalMethod.allCases.map(\.rawValue).joined(separator: ", "))"
        }
    }

    func events(_ samples: [EvidenceSample]) throws -> [TriggerEvent] {
        guard configuration.enabled, let first = samples.map(\.week).min(), let last = samples.map(\.week).max() else { return [] }
        guard let method = SignalMethod(rawValue: configuration.method) else { throw UnknownMethod(name: configuration.method) }
        let weeks = (0...first.distance(to: last)).map { first.adding(weeks: $0) }
        let recent = Set(weeks.suffix(max(1, configuration.recentWeeks)))
        let regions: [String?] = [nil] + (configuration.perRegion ? Set(samples.compactMap(\.sample.region)).sorted().map { Optional($0) } : [])
        var events: [TriggerEvent] = []
        for reportClass in configuration.classes {
            for region in regions {
                let positives = samples.filter {
                    $0.classification.isPositive(for: reportClass) && (region == nil || $0.sample.region == region)
                }
                let byWeek = Dictionary(grouping: positives, by: \.week)
                let counts = weeks.map { Double(byWeek[$0]?.count ?? 0) }
                for (index, point) in method.evaluate(counts).enumerated() where point.alarm == true && recent.contains(weeks[index]) {
                    let week = weeks[index]
                    let signal = SignalFacts(method: method.rawValue, reportClass: reportClass, region: region, week: week,
                                             observed: point.observed, upperbound: point.upperbound)
                    let found = byWeek[week] ?? []
                    let substances = Dictionary(found.flatMap(\.substances).filter { ReportClass($0.substanceClass) == reportClass
                        || (reportClass == .anySyntheticOpioid && $0.substanceClass.isSyntheticOpioid) }.map { ($0.id, $0) },
                                                uniquingKeysWith: { a, _ in a })
                    events.append(TriggerEvent(
                        trigger: .statisticalSignal, subject: "statistical_signal:\(reportClass.rawValue):\(region ?? "all")",
                        samples: found, substances: substances.values.sorted(by: EvidenceSample.morePotent),
                        period: week.monday...week.sunday, signal: signal))
                }
            }
        }
        return events
    }
}
