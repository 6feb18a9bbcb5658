import DrugCheckImport
import DrugCheckIngest
import DrugCheckModel
import DrugCheckStore
import DrugCheckTestSupport
import Foundation
import GRDB
import Testing

/// A lab's day with real instrument exports (`../shared/refdata/csv/instrument/`, SENAITE's test
/// files of Agilent MassHunter and Shimadzu GCMSsolution): samples registered first, exports
/// dropped in the folder, results attached to the registered samples; an export naming
/// unregistered samples rejected with their ids, and imported once they are registered.
@Suite("A lab's day: register, drop, import")
struct LabWorkflowTests {
    static func instrument(_ name: String) throws -> URL {
        let url = PackagePaths.root.appendingPathComponent("../shared/refdata/csv/instrument/\(name)").standardizedFileURL
        try #require(FileManager.default.fileExists(atPath: url.path), "refdata missing: \(url.path)")
        return url
    }

    @Test func instrumentExportsAttachToRegisteredSamplesThroughTheDropFolder() throws {
        let t = try TestDatabase()
        let pipeline = ImportPipeline.standard(database: t.database, observers: [])
        let manifest = """
            sample_id,sample_type,source,sold_as,collected_on,region
            H2O-0001,liquid,police_seizure,e-liquid,2026-11-17,Prov. Luik
            1-16-02249-001,herbal,drug_checking,cannabis,2026-11-18,Anvers

            """
        let registered = try pipeline.importFile(at: try t.file("manifest.csv", manifest), options: .init(labCode: "BE-NICC", expecting: .sampleManifest))
        #expect(registered.outcome == .imported && registered.samples == 2)

        let root = t.directory.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("BE-NICC"), withIntermediateDirectories: true)
        for name in ["senaite_agilent.masshunter.quantitative.csv", "senaite_shimadzu_gcms_QP2010.txt", "senaite_shimadzu_nexera_LC2040C.txt"] {
            try FileManager.default.copyItem(at: try Self.instrument(name), to: root.appendingPathComponent("BE-NICC/\(name)"))
        }
        var drop = DropFolder(root: root, pipeline: pipeline, labCode: nil)
        drop.settle = 0
        let handled = Dictionary(uniqueKeysWithValues: try drop.watch(.once).handled.map { ($0.arrival.url.lastPathComponent, $0.result) })
        #expect(handled["senaite_agilent.masshunter.quantitative.csv"]?.outcome == .imported)
        #expect(handled["senaite_agilent.masshunter.quantitative.csv"]?.format == .labExport)
        #expect(handled["senaite_shimadzu_gcms_QP2010.txt"]?.outcome == .imported)
        #expect(handled["senaite_shimadzu_gcms_QP2010.txt"]?.findings == 23, "the report's 23 target compounds")

        // The sample keeps what registration gave it and gains the instrument's findings.
        let cannabis = try #require(try t.database.sample(lab: "BE-NICC", id: "1-16-02249-001"))
        #expect(cannabis.sample.type == .herbal && cannabis.sample.soldAs == "cannabis" && cannabis.sample.region == "BE21")
        #expect(cannabis.sample.analyses.count == 1 && cannabis.sample.analyses[0].technique == .gcms)
        #expect(cannabis.sample.findings.first { $0.reportedName == "alpha-Pinene" }?.retentionTimeMinutes == 7.738)
        #expect(cannabis.classification != nil, "analysed: classified and counted from now on")
        let quant = try #require(try t.database.sample(lab: "BE-NICC", id: "H2O-0001"))
        #expect(quant.sample.region == "BE33" && quant.sample.findings.count == 1)

        // The Nexera run names samples nobody registered: rejected, the ids in its error report.
        let nexera = try #require(handled["senaite_shimadzu_nexera_LC2040C.txt"])
        #expect(nexera.outcome == .rejected)
        let report = try String(contentsOf: root.appendingPathComponent("rejected/BE-NICC/senaite_shimadzu_nexera_LC2040C.txt.errors.txt"), encoding: .utf8)
        #expect(report.contains("4 sample ids are not registered for lab BE-NICC: 'QC PREP A', 'QC PREP B', 'QC PREP C', 'PT Part # 38417 Lot 033116'"))
        #expect(try t.database.sample(lab: "BE-NICC", id: "QC PREP A") == nil, "never an invented sample")

        // Registered, then dropped again: imported.
        let more = "sample_id,sample_type\nQC PREP A,other\nQC PREP B,other\nQC PREP C,other\nPT Part # 38417 Lot 033116,herbal\n"
        _ = try pipeline.importFile(at: try t.file("more.csv", more), options: .init(labCode: "BE-NICC", expecting: .sampleManifest))
        try FileManager.default.moveItem(at: root.appendingPathComponent("rejected/BE-NICC/senaite_shimadzu_nexera_LC2040C.txt"),
                                         to: root.appendingPathComponent("BE-NICC/senaite_shimadzu_nexera_LC2040C.txt"))
        let again = try drop.watch(.once).handled
        #expect(again.map(\.result.outcome) == [.imported])
        #expect(try t.database.sample(lab: "BE-NICC", id: "PT Part # 38417 Lot 033116")?.sample.findings.isEmpty == false)
    }

    @Test func anInstrumentExportWithoutALabIsRejectedSayingWhatToDo() throws {
        let t = try TestDatabase()
        let result = try ImportPipeline.standard(database: t.database, observers: [])
            .importFile(at: try Self.instrument("senaite_shimadzu_gcms_QP2010.txt"), options: .init())
        #expect(result.outcome == .rejected)
        #expect(result.errors.first?.message.contains("--lab") == true)
    }
}
