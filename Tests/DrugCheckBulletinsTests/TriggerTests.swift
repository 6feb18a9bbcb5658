import DrugCheckImport
import DrugCheckBulletins
import DrugCheckIngest
import DrugCheckModel
import DrugCheckReports
import DrugCheckStore
import XCTest

/// Each trigger on samples imported through the real CSV path.
final class TriggerTests: XCTestCase {
    typealias R = TestDatabase

    private func bulletins(_ t: TestDatabase, _ trigger: TriggerKind) throws -> [Bulletin] {
        try BulletinStore(database: t.database).bulletins().filter { $0.trigger == trigger }
    }

    func testFirstDetectionFiresOncePerWatchedSubstance() throws {
        let t = try TestDatabase()
        try t.importRows([
            R.row("S1", "powder", soldAs: "heroin", date: "2026-09-01", substance: "isotonitazene"),
            R.row("S2", "powder", soldAs: "speed", date: "2026-09-01", substance: "amphetamine"),
            R.row("S3", "powder", soldAs: "heroin", date: "2026-09-02", substance: "xylazine"),
        ])
        try BulletinScanner(database: t.database).scan(actor: "scanner", at: Instant.at(0))
        let first = try bulletins(t, .firstDetection)
        XCTAssertEqual(first.map(\.subject), ["first_detection:isotonitazene", "first_detection:xylazine"], "amphetamine is not watched")
        XCTAssertEqual(first[0].facts.sampleCount, 1)
        XCTAssertEqual(first[0].facts.firstDate.description, "2026-09-01")

        // Later detections of the same substance are not a first detection: nothing changes.
        try t.importRows([R.row("S4", "powder", soldAs: "heroin", date: "2026-09-20", substance: "isotonitazene")])
        let again = try BulletinScanner(database: t.database).scan(actor: "scanner", at: Instant.at(5))
        XCTAssertEqual(try bulletins(t, .firstDetection), first)
        XCTAssertTrue(again.unchanged.contains(first[0].id))

        var config = BulletinConfiguration()
        config.firstDetection.enabled = false
        let fresh = try TestDatabase()
        try fresh.importRows([R.row("S1", "powder", date: "2026-09-01", substance: "isotonitazene")])
        try BulletinScanner(database: fresh.database, configuration: config).scan()
        XCTAssertEqual(try bulletins(fresh, .firstDetection).count, 0)
    }

    /// A scan reads only the window before the newest sample; older samples still count as
    /// "seen before", so a backlog never makes a first detection of a known substance.
    func testScanWindowKeepsOldSamplesOutButRemembersWhatWasSeen() throws {
        let t = try TestDatabase()
        try t.importRows([
            R.row("OLD1", "powder", soldAs: "heroin", date: "2025-06-02", substance: "isotonitazene"),
            R.row("OLD2", "powder", soldAs: "heroin", date: "2025-06-03", substance: "carfentanil"),
            R.row("NEW1", "powder", soldAs: "heroin", date: "2026-09-01", substance: "isotonitazene"),
            R.row("NEW2", "powder", soldAs: "heroin", date: "2026-09-02", substance: "protonitazene"),
        ])
        try BulletinScanner(database: t.database).scan(actor: "scanner", at: Instant.at(0))
        XCTAssertEqual(try bulletins(t, .firstDetection).map(\.subject), ["first_detection:protonitazene"],
                       "isotonitazene was seen in 2025, before the 182-day window")
        let high = try bulletins(t, .highPotency)
        XCTAssertEqual(high.map(\.subject).sorted(), ["high_potency:isotonitazene", "high_potency:protonitazene"],
                       "the 2025 carfentanil episode ended before the window")
        XCTAssertTrue(high.allSatisfy { $0.facts.firstDate.description >= "2026-09-01" })

        // With a window reaching back to 2025 the same data give the old events too.
        var config = BulletinConfiguration()
        config.scanWindowDays = 500
        let wide = try TestDatabase()
        try wide.importRows([
            R.row("OLD1", "powder", soldAs: "heroin", date: "2025-06-02", substance: "isotonitazene"),
            R.row("OLD2", "powder", soldAs: "heroin", date: "2025-06-03", substance: "carfentanil"),
            R.row("NEW1", "powder", soldAs: "heroin", date: "2026-09-01", substance: "isotonitazene"),
        ])
        try BulletinScanner(database: wide.database, configuration: config).scan(at: Instant.at(0))
        XCTAssertEqual(try bulletins(wide, .firstDetection).map(\.subject).sorted(),
                       ["first_detection:carfentanil", "first_detection:isotonitazene"])
        XCTAssertEqual(try bulletins(wide, .firstDetection).first { $0.subject.hasSuffix("isotonitazene") }?.facts.firstDate.description,
                       "2025-06-02")
    }

    func testHighPotencyUsesCarfentanilNitazenesAndTheConfiguredMultiple() throws {
        let t = try TestDatabase()
        try t.importRows([
            R.row("C1", "powder", soldAs: "heroin", date: "2026-09-01", substance: "carfentanil"),
            R.row("F1", "powder", soldAs: "heroin", date: "2026-09-01", region: "BE211", substance: "fentanyl"),
        ])
        try BulletinScanner(database: t.database).scan(at: Instant.at(0))
        let high = try bulletins(t, .highPotency)
        XCTAssertEqual(high.map(\.subject), ["high_potency:carfentanil"], "fentanyl (100× morphine) is below the default 1000×")
        XCTAssertEqual(high[0].facts.relativePotency, 10000)
        XCTAssertEqual(high[0].facts.severity, .extreme, "carfentanil is a critical-risk sample")
        XCTAssertEqual(high[0].facts.urgency, .immediate)
        XCTAssertEqual(high[0].facts.certainty, .observed, "LC-HRMS is a SWGDRUG category A technique")

        var config = BulletinConfiguration()
        config.highPotency.morphineMultiple = 50
        let lowered = try TestDatabase()
        try lowered.importRows([R.row("F1", "powder", soldAs: "heroin", date: "2026-09-01", substance: "fentanyl")])
        try BulletinScanner(database: lowered.database, configuration: config).scan()
        XCTAssertEqual(try bulletins(lowered, .highPotency).map(\.subject), ["high_potency:fentanyl"])
    }

    func testUnexpectedAdulterationNeedsANonOpioidSoldAsOrAVape() throws {
        let t = try TestDatabase()
        try t.importRows([
            R.row("U1", "powder", soldAs: "cocaine", date: "2026-09-01", substance: "fentanyl"),
            R.row("U2", "vape_refill", soldAs: "e-liquid refill", description: "Relax Max", date: "2026-09-03", substance: "fentanyl"),
            R.row("H1", "powder", soldAs: "heroin", date: "2026-09-02", substance: "fentanyl"),
        ])
        try BulletinScanner(database: t.database).scan()
        let unexpected = try bulletins(t, .unexpectedAdulteration)
        XCTAssertEqual(unexpected.count, 1)
        XCTAssertEqual(unexpected[0].facts.sampleCount, 2, "heroin with fentanyl is not unexpected")
        XCTAssertEqual(unexpected[0].facts.soldAs, ["cocaine", "e-liquid refill"])
        XCTAssertEqual(unexpected[0].facts.sampleTypes, [.vapeRefill, .powder])
    }

    func testStatisticalSignalFromEARSOnWeeklyPositives() throws {
        let t = try TestDatabase()
        // Weeks 2026-W30…W36 hold 1,0,1,0,1,0,1 fentanyl positives, W37 holds six.
        var rows: [String] = []
        let monday30 = ISOWeek("2026-W30")!.monday
        for (k, n) in [1, 0, 1, 0, 1, 0, 1, 6].enumerated() {
            for j in 0..<n {
                let date = monday30.adding(days: 7 * k + j % 5)
                rows.append(R.row("W\(k)-\(j)", "powder", soldAs: "heroin", date: date.description, region: j % 2 == 0 ? "BE251" : "BE211",
                                  substance: "fentanyl"))
            }
            rows.append(R.row("N\(k)", "powder", soldAs: "speed", date: monday30.adding(days: 7 * k).description, substance: "amphetamine"))
        }
        try t.importRows(rows)
        var config = BulletinConfiguration()
        config.signal.classes = [.fentanylAnalogue]
        config.signal.perRegion = false
        try BulletinScanner(database: t.database, configuration: config).scan()
        let signals = try bulletins(t, .statisticalSignal)
        XCTAssertEqual(signals.count, 1)
        let signal = try XCTUnwrap(signals.first?.facts.signal)
        XCTAssertEqual(signal.week.description, "2026-W37")
        XCTAssertEqual(signal.observed, 6)
        // EARS C1 by hand: baseline mean 4/7, sd √14/7, bound = 4/7 + 3.0902323 · √14/7.
        XCTAssertEqual(try XCTUnwrap(signal.upperbound), 4.0 / 7 + EARS.z999 * 14.0.squareRoot() / 7, accuracy: 1e-9)
        XCTAssertEqual(signals[0].facts.sampleCount, 6)
        XCTAssertEqual(signals[0].facts.severity, .severe, "a signal on a synthetic-opioid class is severe")
        XCTAssertEqual(signals[0].facts.urgency, .expected)
        XCTAssertEqual(signals[0].facts.certainty, .likely)

        config.signal.method = "no-such-method"
        XCTAssertThrowsError(try BulletinScanner(database: t.database, configuration: config).scan())
    }

    func testClusterBySameProductAndBySameRegionWithin14Days() throws {
        let t = try TestDatabase()
        let product = "Relax Max; mint; green; logo: palm tree"
        try t.importRows([
            R.row("P1", "vape_refill", soldAs: "e-liquid refill", description: product, date: "2026-09-01", region: "BE100", substance: "protonitazene"),
            R.row("P2", "vape_refill", soldAs: "e-liquid refill", description: product, date: "2026-09-05", region: "BE211", substance: "protonitazene"),
            R.row("P3", "vape_refill", soldAs: "e-liquid refill", description: "relax max;  MINT; green; logo: palm tree", date: "2026-09-10",
                  region: "BE234", substance: "protonitazene"),
            // Two in one product only: below the minimum of 3.
            R.row("Q1", "vape_refill", description: "Ice Pod", date: "2026-09-01", region: "NL329", substance: "fentanyl"),
            R.row("Q2", "vape_refill", description: "Ice Pod", date: "2026-09-02", region: "NL414", substance: "fentanyl"),
            // Three in BE332, but spread over more than 14 days.
            R.row("L1", "powder", soldAs: "heroin", date: "2026-08-01", region: "BE332", substance: "fentanyl"),
            R.row("L2", "powder", soldAs: "heroin", date: "2026-08-10", region: "BE332", substance: "fentanyl"),
            R.row("L3", "powder", soldAs: "heroin", date: "2026-08-20", region: "BE332", substance: "fentanyl"),
        ])
        try BulletinScanner(database: t.database).scan()
        XCTAssertEqual(try bulletins(t, .cluster).map(\.subject), ["cluster:product:relax max; mint; green; logo: palm tree"])
        let cluster = try bulletins(t, .cluster)[0].facts
        XCTAssertEqual(cluster.sampleCount, 3)
        XCTAssertEqual(cluster.regions, ["BE10", "BE21", "BE23"], "stored at the reporting level, provinces")
        XCTAssertEqual(cluster.clusterBasis, "product")

        // A third BE332 sample inside 14 days of the second makes a region cluster.
        try t.importRows([R.row("L4", "powder", soldAs: "heroin", date: "2026-08-12", region: "BE332", substance: "fentanyl")])
        try BulletinScanner(database: t.database).scan()
        let region = try bulletins(t, .cluster).filter { $0.subject == "cluster:region:BE33" }
        XCTAssertEqual(region.count, 1)
        XCTAssertEqual(region.first?.facts.sampleCount, 4, "the episode holds every chained positive sample")

        var config = BulletinConfiguration()
        config.cluster.minimumSamples = 2
        config.cluster.byRegion = false
        try BulletinScanner(database: t.database, configuration: config).scan()
        XCTAssertTrue(try bulletins(t, .cluster).contains { $0.subject == "cluster:product:ice pod" })
    }

    /// The example exports of the README demo raise bulletins, every one rendering in all formats.
    func testExampleImportsProduceBulletins() throws {
        let t = try TestDatabase()
        let importer = ImportPipeline.standard(database: t.database, observers: [])
        for name in try FileManager.default.contentsOfDirectory(atPath: R.packageRoot.appendingPathComponent("Imports").path).sorted()
        where !name.hasPrefix("broken") {
            _ = try importer.importFile(at: R.packageRoot.appendingPathComponent("Imports/\(name)"), options: ImportOptions())
        }
        let result = try BulletinScanner(database: t.database).scan(at: Instant.at(0))
        XCTAssertFalse(result.created.isEmpty)
        let all = try BulletinStore(database: t.database).bulletins()
        XCTAssertTrue(all.contains { $0.trigger == .highPotency }, "the examples hold nitazenes")
        XCTAssertTrue(all.contains { $0.trigger == .unexpectedAdulteration }, "the examples hold vape refills with opioids")
        XCTAssertTrue(all.contains { $0.trigger == .cluster })
        let again = try BulletinScanner(database: t.database).scan(at: Instant.at(1))
        XCTAssertEqual(again.created, [])
        XCTAssertEqual(again.updated, [], "scanning the same data twice changes nothing")
    }
}
