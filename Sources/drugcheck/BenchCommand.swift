import ArgumentParser

/// `drugcheck bench …`: speed and memory figures for BENCHMARKS.md. Never part of the tests.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks that print throughput and memory figures (see BENCHMARKS.md).",
        subcommands: [BenchImport.self, BenchMzML.self, BenchSearch.self, BenchReport.self, BenchPages.self]
    )
}
