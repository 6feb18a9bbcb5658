/// One trigger that keeps the report aggregates exact, as a backend other than SQLite declares
/// it: when it fires and the statements it runs (in that backend's dialect). The set is the one
/// the SQLite migrations leave (`report-aggregates`, `verification`,
/// `report-week-substances-verified`), built from the same SQL fragments, so that a sample,
/// analysis, finding or classification written on PostgreSQL moves the same counts.
///
/// ```swift
/// for trigger in AggregateTrigger.postgres { print(trigger.name, trigger.timing, trigger.event, trigger.table) }
/// ```
public struct AggregateTrigger: Sendable, Equatable {
    public var name: String
    /// `BEFORE` or `AFTER`: on PostgreSQL a row's `AFTER` trigger runs once the whole statement
    /// is done, where SQLite's runs at once, so the triggers that count "this sample's only finding
    /// of a substance" run `BEFORE` (each row then sees the rows its statement changed before it,
    /// as on SQLite). A classification's stay `AFTER`: its upsert fires `BEFORE INSERT` even when
    /// it updates, and their counts read no other classification.
    public var timing: String
    /// `INSERT`, `DELETE`, `UPDATE` or `UPDATE OF column, …`.
    public var event: String
    public var table: String
    /// The row condition (`NEW.…`, `OLD.…`), if any.
    public var condition: String?
    /// Semicolon-terminated statements.
    public var body: String

    /// The transaction setting under which the PostgreSQL triggers do nothing: set by a copy (it
    /// copies the aggregates with the rows they count) and by an import batch (it rebuilds the
    /// aggregates of its weeks once, at its end).
    public static let deferredSetting = "drugcheck.aggregates_deferred"

    /// The triggers in PostgreSQL's dialect (booleans cast to integers where counted, upserts
    /// fed one row per key).
    public static let postgres: [AggregateTrigger] = strata + provisional + substances

    private static func trigger(_ name: String, _ event: String, on table: String, when condition: String? = nil,
                                _ statements: String...) -> AggregateTrigger {
        AggregateTrigger(name: name, timing: table == "sample_classification" ? "AFTER" : "BEFORE", event: event, table: table,
                         condition: condition, body: statements.joined(separator: "\n"))
    }

    private typealias A = ReportAggregateSQL
    private typealias W = ReportWeekSubstanceSQL
    private static let identified = "f.detected AND f.substance_id IS NOT NULL"
    private static let sampleFindings = "analysis a JOIN finding f ON f.analysis_id = a.id"

    private static func sample(_ sign: String, s: String, c: String, from: String, where condition: String,
                               into table: String = "report_week_stratum") -> String {
        A.addSample(sign, s: s, c: c, from: from, where: condition, into: table, postgres: true)
    }

    private static func findings(_ sign: String, _ substance: String, s: String, from: String, where condition: String) -> String {
        A.addFindings(sign, substance, s: s, from: from, where: condition, postgres: true)
    }

    /// `report_week_stratum` and `report_substance_week` (migration `report-aggregates`).
    private static let strata: [AggregateTrigger] = [
        trigger("report_classification_insert", "INSERT", on: "sample_classification",
                sample("1", s: "s", c: "NEW", from: "sample s", where: "s.id = NEW.sample_id")),
        trigger("report_classification_update", "UPDATE", on: "sample_classification",
                sample("-1", s: "s", c: "OLD", from: "sample s", where: "s.id = OLD.sample_id"),
                sample("1", s: "s", c: "NEW", from: "sample s", where: "s.id = NEW.sample_id")),
        trigger("report_classification_delete", "DELETE", on: "sample_classification",
                sample("-1", s: "s", c: "OLD", from: "sample s", where: "s.id = OLD.sample_id")),
        trigger("report_sample_delete", "DELETE", on: "sample",
                sample("-1", s: "OLD", c: "c", from: "sample_classification c", where: "c.sample_id = OLD.id"),
                findings("-1", "f.substance_id", s: "OLD", from: sampleFindings, where: "a.sample_id = OLD.id AND \(identified)")),
        trigger("report_sample_update", "UPDATE OF \(A.sampleColumns)", on: "sample",
                sample("-1", s: "OLD", c: "c", from: "sample_classification c", where: "c.sample_id = OLD.id"),
                sample("1", s: "NEW", c: "c", from: "sample_classification c", where: "c.sample_id = NEW.id"),
                findings("-1", "f.substance_id", s: "OLD", from: sampleFindings, where: "a.sample_id = OLD.id AND \(identified)"),
                findings("1", "f.substance_id", s: "NEW", from: sampleFindings, where: "a.sample_id = NEW.id AND \(identified)")),
        trigger("report_analysis_delete", "DELETE", on: "analysis",
                findings("-1", "f.substance_id", s: "s", from: "finding f JOIN sample s ON s.id = OLD.sample_id",
                         where: "f.analysis_id = OLD.id AND \(identified)")),
        trigger("report_analysis_update", "UPDATE OF sample_id", on: "analysis",
                findings("-1", "f.substance_id", s: "s", from: "finding f JOIN sample s ON s.id = OLD.sample_id",
                         where: "f.analysis_id = OLD.id AND \(identified)"),
                findings("1", "f.substance_id", s: "s", from: "finding f JOIN sample s ON s.id = NEW.sample_id",
                         where: "f.analysis_id = NEW.id AND \(identified)")),
        trigger("report_finding_insert", "INSERT", on: "finding", when: "NEW.detected AND NEW.substance_id IS NOT NULL",
                findings("1", "NEW.substance_id", s: "s", from: A.findingSample, where: "a.id = NEW.analysis_id")),
        trigger("report_finding_delete", "DELETE", on: "finding", when: "OLD.detected AND OLD.substance_id IS NOT NULL",
                findings("-1", "OLD.substance_id", s: "s", from: A.findingSample, where: "a.id = OLD.analysis_id")),
        trigger("report_finding_update", "UPDATE OF substance_id, detected, analysis_id", on: "finding",
                findings("-1", "OLD.substance_id", s: "s", from: A.findingSample,
                         where: "a.id = OLD.analysis_id AND OLD.detected AND OLD.substance_id IS NOT NULL"),
                findings("1", "NEW.substance_id", s: "s", from: A.findingSample,
                         where: "a.id = NEW.analysis_id AND NEW.detected AND NEW.substance_id IS NOT NULL")),
    ]

    /// `report_week_provisional` (migration `verification`).
    private static let provisional: [AggregateTrigger] = {
        let table = "report_week_provisional"
        let kept = "sample_classification c"
        return [
            trigger("provisional_classification_insert", "INSERT", on: "sample_classification", when: "NEW.provisional",
                    sample("1", s: "s", c: "NEW", from: "sample s", where: "s.id = NEW.sample_id", into: table)),
            trigger("provisional_classification_update", "UPDATE", on: "sample_classification",
                    when: "OLD.provisional OR NEW.provisional",
                    sample("-1", s: "s", c: "OLD", from: "sample s", where: "s.id = OLD.sample_id AND OLD.provisional", into: table),
                    sample("1", s: "s", c: "NEW", from: "sample s", where: "s.id = NEW.sample_id AND NEW.provisional", into: table)),
            trigger("provisional_classification_delete", "DELETE", on: "sample_classification", when: "OLD.provisional",
                    sample("-1", s: "s", c: "OLD", from: "sample s", where: "s.id = OLD.sample_id", into: table)),
            trigger("provisional_sample_delete", "DELETE", on: "sample",
                    sample("-1", s: "OLD", c: "c", from: kept, where: "c.sample_id = OLD.id AND c.provisional", into: table)),
            trigger("provisional_sample_update", "UPDATE OF \(A.sampleColumns)", on: "sample",
                    sample("-1", s: "OLD", c: "c", from: kept, where: "c.sample_id = OLD.id AND c.provisional", into: table),
                    sample("1", s: "NEW", c: "c", from: kept, where: "c.sample_id = NEW.id AND c.provisional", into: table)),
        ]
    }()

    /// `report_week_substance` and `report_week_concentration`, of verified samples only
    /// (migration `report-week-substances-verified`).
    private static let substances: [AggregateTrigger] = {
        let sampleFindings = "sample s JOIN analysis a ON a.sample_id = s.id JOIN finding f ON f.analysis_id = a.id"
        let classified = { (s: String) in W.classified(s, verifiedOnly: true) }
        let add = { (sign: String, s: String, from: String, condition: String) in
            W.addSample(sign, s: s, from: from, where: condition, postgres: true)
        }
        let analysis = { (sign: String, row: String) in
            W.addAnalysis(sign, analysis: row, sample: "\(row).sample_id", verifiedOnly: true, postgres: true)
        }
        let finding = { (sign: String, row: String) in W.addFinding(sign, row, verifiedOnly: true, postgres: true) }
        let name = { (event: String) in "report_week_substance_\(event)" }
        return [
            trigger(name("classification_insert"), "INSERT", on: "sample_classification", when: "NOT NEW.provisional",
                    add("1", "s", sampleFindings, "s.id = NEW.sample_id AND \(identified)")),
            trigger(name("classification_delete"), "DELETE", on: "sample_classification", when: "NOT OLD.provisional",
                    add("-1", "s", sampleFindings, "s.id = OLD.sample_id AND \(identified)")),
            trigger(name("classification_move"), "UPDATE OF sample_id", on: "sample_classification",
                    when: "OLD.sample_id <> NEW.sample_id",
                    add("-1", "s", sampleFindings, "s.id = OLD.sample_id AND \(identified) AND NOT OLD.provisional"),
                    add("1", "s", sampleFindings, "s.id = NEW.sample_id AND \(identified) AND NOT NEW.provisional")),
            trigger(name("sample_delete"), "DELETE", on: "sample",
                    add("-1", "OLD", Self.sampleFindings, "a.sample_id = OLD.id AND \(identified) AND \(classified("OLD"))")),
            trigger(name("sample_update"), "UPDATE OF \(A.sampleColumns)", on: "sample",
                    add("-1", "OLD", Self.sampleFindings, "a.sample_id = OLD.id AND \(identified) AND \(classified("OLD"))"),
                    add("1", "NEW", Self.sampleFindings, "a.sample_id = NEW.id AND \(identified) AND \(classified("NEW"))")),
            trigger(name("analysis_delete"), "DELETE", on: "analysis", analysis("-1", "OLD")),
            trigger(name("analysis_move"), "UPDATE OF sample_id", on: "analysis", when: "OLD.sample_id <> NEW.sample_id",
                    analysis("-1", "OLD"), analysis("1", "NEW")),
            trigger(name("finding_insert"), "INSERT", on: "finding", finding("1", "NEW")),
            trigger(name("finding_delete"), "DELETE", on: "finding", finding("-1", "OLD")),
            trigger(name("finding_update"), "UPDATE OF substance_id, detected, analysis_id, concentration, unit", on: "finding",
                    finding("-1", "OLD"), finding("1", "NEW")),
            trigger(name("classification_verified"), "UPDATE OF provisional", on: "sample_classification",
                    when: "OLD.provisional <> NEW.provisional AND OLD.sample_id = NEW.sample_id",
                    add("-1", "s", sampleFindings, "s.id = OLD.sample_id AND \(identified) AND NOT OLD.provisional"),
                    add("1", "s", sampleFindings, "s.id = NEW.sample_id AND \(identified) AND NOT NEW.provisional")),
        ]
    }()
}
