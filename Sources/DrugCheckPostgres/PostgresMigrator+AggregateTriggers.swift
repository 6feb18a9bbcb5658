import DrugCheckStore

extension PostgresMigrator {
    /// As SQLite's aggregate triggers (``AggregateTrigger``): a PL/pgSQL function and a row
    /// trigger each, so that whatever writes samples, analyses, findings or classifications on
    /// PostgreSQL keeps the weekly report's aggregates exact. `db copy` sets
    /// `drugcheck.aggregates_deferred` for its transaction: it copies the aggregates with the rows
    /// they count, which must not be counted twice.
    static let aggregateTriggers: [String] = AggregateTrigger.postgres.flatMap { trigger -> [String] in
        let returned = trigger.timing == "AFTER" ? "NULL" : trigger.event == "DELETE" ? "OLD" : "NEW"
        return [
            """
            CREATE FUNCTION drugcheck_\(trigger.name)() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF current_setting('\(AggregateTrigger.deferredSetting)', true) = 'on' THEN RETURN \(returned); END IF;
                \(trigger.body)
                RETURN \(returned);
            END
            $$
            """,
            "CREATE TRIGGER \(trigger.name) \(trigger.timing) \(trigger.event) ON \(trigger.table) FOR EACH ROW "
                + (trigger.condition.map { "WHEN (\($0)) " } ?? "") + "EXECUTE FUNCTION drugcheck_\(trigger.name)()",
        ]
    }
}
