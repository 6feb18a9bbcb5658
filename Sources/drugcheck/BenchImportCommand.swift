import ArgumentParser
import DrugCheckPostgres
import Foundation

/// `drugcheck bench import FILE`: import a findings CSV end to end into a fresh database and,
/// in the same run, copy the same file with `sqlite3 .import` into one plain unindexed table;
/// print rows/s and peak RSS of each (each runs as its own child process, so each RSS is its own).
///
/// ```
/// python3 ../shared/bench/peers_csv.py -r 1000000 --generate-only -d /tmp/bench
/// drugcheck bench import /tmp/bench/findings_1000000.csv
/// drugcheck bench import /tmp/bench/findings_1000000.csv --postgres postgres://drugcheck@127.0.0.1:5432/drugcheck
/// ```
struct BenchImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Time a findings CSV import (parse, names, classify, store, index, aggregates) beside 'sqlite3 .import' of the same file.",
        discussion: """
            Needs the sqlite3 command-line program for the peer. Databases go to a temporary folder, removed afterwards. \
            Our import runs with --no-bulletin-scan: the figure is the import stage's own, not the trigger scan's. \
            With --postgres the same import also runs into a new database on that server (created with the schema \
            before each run, dropped after; the URL's user needs CREATEDB); the server's own CPU and memory are not in \
            that row's figures.
            """
    )

    @Argument(help: "Findings CSV (e.g. made by ../shared/bench/peers_csv.py).")
    var file: String

    @Option(name: .long, help: "Runs of each; the median is reported.")
    var repeats = 1

    @Option(name: .long, help: "Folder for the benchmark databases (default: a new temporary folder).")
    var workDir: String?

    @Option(name: .long, help: "Also import into a new database on this PostgreSQL server (postgres://USER@HOST:PORT/DB).")
    var postgres: String?

    func validate() throws {
        guard FileManager.default.fileExists(atPath: file) else { throw ValidationError("no such file: \(file)") }
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
    }

    func run() throws {
        let work = URL(fileURLWithPath: workDir ?? NSTemporaryDirectory()).appendingPathComponent("drugcheck-bench-\(getpid())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let rows = try Self.dataRows(in: URL(fileURLWithPath: file))
        let size = Double((try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0) / 1e6
        let ours = try (1...repeats).map { n -> ChildRun in
            let db = work.appendingPathComponent("drugcheck-\(n).sqlite").path
            return try ChildRun.spawn([CommandLine.arguments[0], "import", file, "--db", db, "--json", "--no-bulletin-scan"], stdin: nil)
        }
        let peer = try (1...repeats).map { n -> ChildRun in
            let db = work.appendingPathComponent("sqlite3-\(n).sqlite").path
            let script = """
                CREATE TABLE findings (lab TEXT, sample_id TEXT, sample_type TEXT, source TEXT, sold_as TEXT, collected_on TEXT,
                  region TEXT, technique TEXT, substance TEXT, detected TEXT, concentration REAL, unit TEXT, rt_min REAL, mz REAL,
                  match_score REAL);
                .import --csv --skip 1 \(file) findings

                """
            return try ChildRun.spawn(["sqlite3", "-bail", db], stdin: Data(script.utf8))
        }
        let onPostgres = try postgres.map { url in try (1...repeats).map { try Self.importIntoNewDatabase(on: url, file: file, run: $0) } }
        print("file \(file): \(String(format: "%.1f", size)) MB, \(rows) data rows; median of \(repeats) run(s)")
        print("| tool | wall s | rows/s | MB/s | peak RSS MB |")
        print("|---|---|---|---|---|")
        for (name, runs) in [("drugcheck import (parse, names, classify, store, index, aggregates)", ours),
                             ("sqlite3 .import (one plain table, no index)", peer)]
            + (onPostgres.map { [("drugcheck import into PostgreSQL (the same pipeline and aggregates)", $0)] } ?? []) {
            let wall = runs.map(\.seconds).sorted()[runs.count / 2]
            let rss = runs.map(\.peakRSSMegabytes).sorted()[runs.count / 2]
            print(String(format: "| %@ | %.2f | %.0f | %.1f | %.0f |", name, wall, Double(rows) / wall, size / wall, rss))
        }
        let ratio = peer.map(\.seconds).sorted()[repeats / 2] / ours.map(\.seconds).sorted()[repeats / 2]
        print(String(format: "drugcheck import runs at %.2fx the rows/s of sqlite3 .import", ratio))
        if let onPostgres {
            let ratio = ours.map(\.seconds).sorted()[repeats / 2] / onPostgres.map(\.seconds).sorted()[repeats / 2]
            print(String(format: "drugcheck import into PostgreSQL runs at %.2fx the rows/s of the import into SQLite", ratio))
        }
    }

    /// One import into a new database on the server `url` names, with the schema made first (not timed).
    static func importIntoNewDatabase(on url: String, file: String, run: Int) throws -> ChildRun {
        let server = try PostgresSession.connect(to: try PostgresLocation(parsing: url))
        defer { server.close() }
        let name = "drugcheck_bench_\(getpid())_\(run)"
        try server.query("CREATE DATABASE \(name)")
        defer { _ = try? server.query("DROP DATABASE \(name) WITH (FORCE)") }
        guard var target = URLComponents(string: url) else { throw ValidationError("--postgres: not a URL: \(url)") }
        target.path = "/" + name
        let location = target.string ?? url
        _ = try ChildRun.spawn([CommandLine.arguments[0], "db", "migrate", "--db", location], stdin: nil)
        return try ChildRun.spawn([CommandLine.arguments[0], "import", file, "--db", location, "--json", "--no-bulletin-scan"], stdin: nil)
    }

    /// Lines after the header, not counting empty ones (quoted line breaks are not expected in benchmark files).
    static func dataRows(in url: URL) throws -> Int {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var lines = 0, lastWasNewline = true
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            for byte in chunk {
                if byte == 0x0A { lines += 1 }
                lastWasNewline = byte == 0x0A
            }
        }
        return lines + (lastWasNewline ? 0 : 1) - 1
    }
}

/// A child process's wall time and peak resident memory (from `wait4`).
struct ChildRun {
    var seconds: Double
    var peakRSSMegabytes: Double

    /// Runs the program (looked up on PATH) with `input` on its standard input and its standard
    /// output discarded. posix_spawn rather than Foundation's Process, which reaps its children
    /// itself and would race `wait4` for the usage figures.
    static func spawn(_ arguments: [String], stdin input: Data?) throws -> ChildRun {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw ValidationError("cannot make a pipe") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[0], 0)
        posix_spawn_file_actions_addclose(&actions, fds[1])
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        var argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let start = Date()
        guard posix_spawnp(&pid, arguments[0], &actions, nil, &argv, environ) == 0 else {
            throw ValidationError("cannot run \(arguments[0]): is it installed?")
        }
        close(fds[0])
        if let input { input.withUnsafeBytes { _ = write(fds[1], $0.baseAddress, $0.count) } }
        close(fds[1])
        var status: Int32 = 0
        var usage = rusage()
        guard wait4(pid, &status, 0, &usage) == pid else { throw ValidationError("could not wait for \(arguments[0])") }
        let seconds = Date().timeIntervalSince(start)
        guard status == 0 else { throw ValidationError("\(arguments.joined(separator: " ")) failed (status \(status))") }
        // ru_maxrss is in KiB on Linux.
        return ChildRun(seconds: seconds, peakRSSMegabytes: Double(usage.ru_maxrss) / 1024)
    }
}
