import DrugCheckStore
import Dispatch
import DrugCheckTestSupport
import Foundation
import GRDB
import XCTest

final class DatabaseChangeProbeTests: XCTestCase {
    func testVersionChangesOnlyWhenAnotherConnectionCommits() throws {
        let test = try TestDatabase()
        let probe = try DatabaseChangeProbe(database: test.database)
        let first = try probe.version()
        XCTAssertEqual(try probe.version(), first, "nothing was committed")
        _ = try test.database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sample") }
        XCTAssertEqual(try probe.version(), first, "a read is not a commit")
        try test.database.writer.write { db in try db.execute(sql: "INSERT INTO lab (code, name) VALUES ('BE-PROBE', 'Probe lab')") }
        let second = try probe.version()
        XCTAssertNotEqual(second, first)
        XCTAssertEqual(try probe.version(), second)
    }

    /// Both event loops of the server ask at once while imports commit: every answer is a number
    /// and the last one has seen every commit.
    func testConcurrentReadersSeeEveryCommit() throws {
        let test = try TestDatabase()
        let probe = try DatabaseChangeProbe(database: test.database)
        let before = try probe.version()
        let database = test.database
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 3) { worker in
            if worker == 0 {
                for n in 0..<20 {
                    do {
                        try database.writer.write { db in
                            try db.execute(sql: "INSERT INTO lab (code, name) VALUES (?, 'Probe lab')", arguments: ["BE-P\(n)"])
                        }
                    } catch { failures.add("write \(n): \(error)") }
                }
            } else {
                for _ in 0..<2_000 {
                    do { _ = try probe.version() } catch { failures.add("read: \(error)") }
                }
            }
        }
        XCTAssertEqual(failures.all, [])
        XCTAssertNotEqual(try probe.version(), before)
    }
}

private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ s: String) { lock.withLock { items.append(s) } }
    var all: [String] { lock.withLock { items } }
}
