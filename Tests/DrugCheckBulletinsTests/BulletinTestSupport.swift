import DrugCheckImport
import DrugCheckBulletins
import DrugCheckIngest
import DrugCheckStore
import Foundation
import XCTest

/// A fresh database in a temporary folder, filled through the real CSV import path.
struct TestDatabase {
    let folder: URL
    let database: DrugCheckDatabase

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let refdata = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/refdata")
    static let header = "lab,sample_id,sample_type,source,sold_as,description,collected_on,region,technique,instrument,analysed_on,"
        + "substance,detected,concentration,unit,rt_min,mz,match_score"

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("bulletins-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        database = try DrugCheckDatabase(path: folder.appendingPathComponent("test.sqlite").path)
    }

    /// Imports canonical findings CSV rows (the header is added) and fails the test on rejection.
    func importRows(_ rows: [String], name: String = UUID().uuidString, extraHeader: String = "",
                    file: StaticString = #filePath, line: UInt = #line) throws {
        let url = folder.appendingPathComponent("\(name).csv")
        try ([Self.header + extraHeader] + rows).joined(separator: "\n").appending("\n").write(to: url, atomically: true, encoding: .utf8)
        let result = try ImportPipeline.standard(database: database, observers: []).importFile(at: url, options: ImportOptions())
        XCTAssertEqual(result.outcome, .imported, "\(result.errors)", file: file, line: line)
    }

    /// One finding row: `sample,type,sold_as,description,date,region,substance`.
    static func row(_ id: String, _ type: String, soldAs: String = "", description: String = "", date: String, region: String = "BE251",
                    substance: String, detected: Bool = true, lab: String = "BE-TST", concentration: String = "", unit: String = "") -> String {
        "\(lab),\(id),\(type),drug_checking,\(soldAs),\(description),\(date),\(region),LC-HRMS,Orbitrap,\(date),"
            + "\(substance),\(detected),\(concentration),\(unit),,,"
    }

    /// A file in the shared reference data; fails (never skips) when it is missing.
    static func refdataFile(_ relative: String, file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        let url = refdata.appendingPathComponent(relative)
        guard FileManager.default.fileExists(atPath: url.path) else {
            XCTFail("refdata file missing: \(url.path)", file: file, line: line)
            throw CocoaError(.fileNoSuchFile)
        }
        return url
    }
}

/// Validates XML text against the OASIS CAP 1.2 schema with libxml2 (through the ingest's XML reader).
enum CAPValidator {
    static func schema() throws -> XMLSchema {
        let xsd = try String(contentsOf: TestDatabase.refdataFile("schemas/cap/CAP-v1.2.xsd"), encoding: .utf8)
        return try XMLSchema(xsd: xsd, name: "CAP-v1.2.xsd")
    }

    /// Throws the first validation error with its line and column.
    static func validate(file url: URL, schema: XMLSchema) throws {
        let reader = try XMLStreamReader(file: url, maxBytes: 10 << 20, schema: schema)
        while try reader.next() != nil {}
    }

    static func validate(_ xml: String, schema: XMLSchema, in folder: URL) throws {
        let url = folder.appendingPathComponent("\(UUID().uuidString).cap")
        try xml.write(to: url, atomically: true, encoding: .utf8)
        try validate(file: url, schema: schema)
    }
}

/// The RFC 4287 grammar, converted to RELAX NG XML in `Schemas/atom/` (see its README).
enum AtomValidator {
    static func schema() throws -> RelaxNGSchema {
        let url = TestDatabase.packageRoot.appendingPathComponent("Schemas/atom/atom-rfc4287.rng")
        return try RelaxNGSchema(rng: try String(contentsOf: url, encoding: .utf8), name: "atom-rfc4287.rng")
    }
}

/// Fixed instants, so audit and CAP times are predictable.
enum Instant {
    /// 2026-10-20T09:00:00Z plus `minutes`.
    static func at(_ minutes: Int) -> Date { Date(timeIntervalSince1970: 1_792_486_800 + Double(minutes * 60)) }
}
