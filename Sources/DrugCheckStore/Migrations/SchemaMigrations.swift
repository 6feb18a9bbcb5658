/// The ordered list of migrations. A stage that needs tables adds its migration here (one line)
/// and defines it in its own file under `Migrations/`.
enum SchemaMigrations {
    static let all: [SchemaMigration] = [
        .v1Core,
        .reportAggregates,
        .auth,
        .bulletins,
        .spectralLibrary,
        .reportWeekSubstances,
        .chromatograms,
        .batchAggregates,
        .verification,
        .audit,
        .amendments,
        .reportEditions,
        .reportWeekSubstancesVerified,
        .webAccounts,
        .subscriberOwner,
        .sampleLabOrder,
        .webSessionsOwnFile,
        .sampleFilters,
        .sampleWeekRegion,
        .weekRollups,
    ]
}
