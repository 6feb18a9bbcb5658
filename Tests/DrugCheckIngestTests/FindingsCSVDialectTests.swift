import DrugCheckIngest
import DrugCheckModel
import Foundation
import Testing

@Suite("Findings CSV: dialects")
struct FindingsCSVDialectTests {
    let reader = FindingsCSVReader()

    func parse(_ text: String, lab: String? = nil) throws -> Submission {
        try reader.parse(data: Data(text.utf8), options: ImportOptions(labCode: lab))
    }

    @Test func commaPointISODates() throws {
        let s = try parse("""
            lab,sample_id,sample_type,collected_on,substance,detected,concentration,unit
            BE-DCA,S1,powder,2026-11-17,cocaine,true,71.5,%w/w
            BE-DCA,S1,powder,2026-11-17,fentanyl,true,0.6,%w/w
            BE-DCA,S2,vape_refill,2026-11-18,,false,,

            """)
        #expect(s.samples.count == 2)
        #expect(s.samples[0].findings.map(\.reportedName) == ["cocaine", "fentanyl"])
        #expect(s.samples[0].findings[0].concentration == Concentration(value: 71.5, unit: .percentWW))
        #expect(s.samples[1].analyses.count == 1)
        #expect(s.samples[1].findings.isEmpty, "a sample with nothing detected keeps its analysis, with no finding")
        #expect(s.samples[1].collectedOn == CalendarDate(year: 2026, month: 11, day: 18))
    }

    @Test func semicolonDecimalCommaCRLFWithBOM() throws {
        var bytes = Data([0xEF, 0xBB, 0xBF])
        bytes.append(Data("LAB;Sample_ID;Sample Type;Collected_On;Substance;Detected;Concentration;Unit\r\nBE-NICC;N1;Powder;17/11/2026;Cocaïne;ja;62,5;%w/w\r\nBE-NICC;N2;tablet;18/11/2026;MDMA;nee;;\r\n".utf8))
        let s = try reader.parse(data: bytes, options: .init())
        #expect(s.samples.count == 2)
        #expect(s.samples[0].labCode == "BE-NICC", "the BOM must not stick to the first header name")
        #expect(s.samples[0].findings[0].concentration?.value == 62.5)
        #expect(s.samples[0].findings[0].reportedName == "Cocaïne")
        #expect(s.samples[1].findings[0].detected == false)
        #expect(s.notes.contains { $0.contains("decimal comma") })
    }

    @Test func tabSeparatedAnyColumnOrderAndExtraColumns() throws {
        let s = try parse("detected\tsubstance\tsample_type\tsample_id\tcollected_on\tbatch_ref\tlab\nyes\theroin\tpowder\tT1\t2026-11-16\tB77\tNL-DIMS\n")
        #expect(s.samples[0].labSampleID == "T1")
        #expect(s.samples[0].attributes == ["batch_ref": "B77"], "unknown columns are kept as sample attributes")
    }

    @Test func windows1252IsDecodedAndSaidSo() throws {
        // "héroïne" and "Liège" in Windows-1252: é = 0xE9, ï = 0xEF, è = 0xE8.
        var bytes = Data("lab;sample_id;sample_type;collected_on;region;substance;detected\r\nBE-LGE;L1;powder;01/09/2026;Li".utf8)
        bytes.append(0xE8)
        bytes.append(Data("ge;h".utf8))
        bytes.append(contentsOf: [0xE9, 0x72, 0x6F, 0xEF, 0x6E, 0x65])
        bytes.append(Data(";oui\r\n".utf8))
        let s = try reader.parse(data: bytes, options: .init())
        #expect(s.samples[0].region == "Liège")
        #expect(s.samples[0].findings[0].reportedName == "héroïne")
        #expect(s.notes.contains { $0.contains("Windows-1252") })
    }

    @Test func rfc4180QuotingWithSeparatorsQuotesAndNewlines() throws {
        let s = try parse("""
            lab,sample_id,sample_type,description,collected_on,substance,detected
            BE-DCA,Q1,vape_refill,"Cloud Nine, mango; ""smiley"" logo
            second line",2026-11-20,metonitazene,1
            """)
        #expect(s.samples[0].description.text == "Cloud Nine, mango; \"smiley\" logo\nsecond line")
        #expect(s.samples[0].findings[0].detected)
    }

    @Test("booleans in English, Dutch and French", arguments: [
        ("true", true), ("FALSE", false), ("yes", true), ("no", false), ("1", true), ("0", false),
        ("ja", true), ("nee", false), ("oui", true), ("non", false),
    ])
    func booleans(text: String, value: Bool) throws {
        let s = try parse("lab,sample_id,sample_type,collected_on,substance,detected\nX,1,powder,2026-01-01,cocaine,\(text)\n")
        #expect(s.samples[0].findings[0].detected == value)
    }

    @Test func labFromOption() throws {
        let s = try parse("sample_id,sample_type,collected_on,substance,detected\n1,powder,2026-01-01,cocaine,true\n", lab: "BE-DCA")
        #expect(s.samples[0].labCode == "BE-DCA")
    }

    @Test("every example export in Imports/ parses", arguments: ["be-dca-drugchecking.csv", "be-nicc-seizures.csv", "nl-dims-export.tsv", "be-lge-export-cp1252.csv"])
    func exampleFiles(name: String) throws {
        let url = PackagePaths.imports.appendingPathComponent(name)
        let s = try reader.read(file: url, options: .init())
        #expect(s.samples.count > 20)
        #expect(Set(s.samples.map(\.labCode)).count == 1)
        #expect(s.samples.allSatisfy { $0.collectedOn != nil })
    }
}

enum PackagePaths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let imports = root.appendingPathComponent("Imports")
    static let refdata = root.deletingLastPathComponent().appendingPathComponent("shared/refdata")
}
