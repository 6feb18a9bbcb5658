import DrugCheckImport
import DrugCheckStore
import DrugCheckTestSupport
import Foundation
import Testing

@Suite("Hostile files are rejected and leave the database unchanged")
struct HostileImportTests {
    static let hostile: [(String, String)] = [
        ("xxe-file.xml", """
            <?xml version="1.0"?>
            <!DOCTYPE results [<!ENTITY x SYSTEM "file:///etc/passwd">]>
            <results xmlns="urn:drugcheck:results:1.0" version="1.0"><lab code="&x;"/></results>
            """),
        ("xxe-url.mzML", """
            <?xml version="1.0"?>
            <!DOCTYPE mzML [<!ENTITY x SYSTEM "http://127.0.0.1:9/secret">]>
            <mzML xmlns="http://psi.hupo.org/ms/mzml" version="1.1.0"><run id="&x;"/></mzML>
            """),
        ("laughs.xml", """
            <?xml version="1.0"?>
            <!DOCTYPE results [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
            <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]>
            <results xmlns="urn:drugcheck:results:1.0" version="1.0"><lab code="&e;"/></results>
            """),
        ("truncated.xml", "<?xml version=\"1.0\"?>\n<results xmlns=\"urn:drugcheck:results:1.0\" version=\"1.0\"><lab code=\"BE-X\" name=\"x\""),
    ]

    @Test(arguments: hostile.map(\.0))
    func rejectedWithoutChange(name: String) throws {
        let t = try TestDatabase()
        let importer = ImportPipeline.standard(database: t.database, observers: [])
        #expect(try importer.importFile(at: PackagePaths.imports.appendingPathComponent("be-dca-drugchecking.csv"), options: .init()).outcome == .imported)
        let before = try t.counts()
        let text = Self.hostile.first { $0.0 == name }!.1
        let result = try importer.importFile(at: try t.file(name, text), options: .init(labCode: "BE-DCA", sampleID: "X1"))
        #expect(result.outcome == .rejected)
        #expect(!result.errors.isEmpty && result.errors.allSatisfy { !$0.message.contains("root:") }, "no file content leaks into the error")
        #expect(try t.counts() == before)
    }
}
