import DrugCheckBulletins
import DrugCheckModel
import DrugCheckReports

/// A few sentences a reader takes in first, written from the week's report in the page's
/// language: prevalence of the chosen class with its interval and change from baseline, the
/// substances seen for the first time, the statistical signals, and provisional samples.
///
/// ```swift
/// let sentences = KeyFindings(report: report, reportClass: .anySyntheticOpioid, language: "nl", texts: texts).sentences
/// ```
struct KeyFindings {
    var report: WeeklyReport
    var reportClass: ReportClass
    var language: String
    var texts: WebTexts

    private func say(_ key: String, _ values: [String: String]) -> String {
        values.reduce(texts.text(key, language)) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
    }

    private func className(_ c: ReportClass) -> String {
        BulletinTexts.bundled.className(c, in: BulletinLanguage(rawValue: language) ?? .en)
    }

    var sentences: [String] {
        var out: [String] = []
        if let cell = report.cell(reportClass), cell.tested > 0 {
            out.append(say("kf_prevalence", [
                "class": className(reportClass), "positive": String(cell.positive), "tested": String(cell.tested),
                "prevalence": PageFormat.percent(cell.prevalence), "low": PageFormat.percent(cell.ciLow), "high": PageFormat.percent(cell.ciHigh),
            ]))
            if let change = cell.changeVsBaseline, let baseline = cell.baselinePrevalence {
                out.append(say(change >= 0 ? "kf_up" : "kf_down", ["baseline": PageFormat.percent(baseline), "change": String(format: "%.1f", abs(change) * 100)]))
            }
            if cell.smallNumber { out.append(say("kf_small", ["threshold": String(WeeklyReport.smallNumberThreshold)])) }
            if cell.provisionalTested > 0 { out.append(say("kf_provisional", ["count": String(cell.provisionalTested)])) }
        } else {
            out.append(say("kf_no_samples", ["week": report.week.description]))
        }
        if !report.firstSeen.isEmpty {
            out.append(say("kf_first_seen", ["substances": report.firstSeen.map { "\($0.name) (\($0.samples))" }.joined(separator: ", ")]))
        }
        let alarms = report.alarms.filter { $0.region == WeeklyReport.all || $0.reportClass == reportClass }
        if alarms.isEmpty {
            out.append(say("kf_no_signals", [:]))
        } else {
            out.append(say("kf_signals", ["signals": alarms.map { "\(className($0.reportClass)) (\($0.region == WeeklyReport.all ? "—" : $0.region))" }.joined(separator: ", ")]))
        }
        return out
    }
}
