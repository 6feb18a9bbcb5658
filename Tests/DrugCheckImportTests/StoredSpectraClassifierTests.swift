import DrugCheckImport
import DrugCheckClassify
import DrugCheckImport
import DrugCheckIngest
import DrugCheckModel
import DrugCheckStore
import DrugCheckTestSupport
import Foundation
import GRDB
import Testing

@Suite("Classifying stored sample spectra")
struct StoredSpectraClassifierTests {
    /// A results-XML sample whose analysis carries a lab finding and the peaks of a real spectrum.
    static func sampleXML(id: String, soldAs: String, labFinding: String, spectrum s: Spectrum) -> String {
        let peaks = zip(s.mz, s.intensity).map { "<peak mz=\"\($0)\" intensity=\"\($1)\"/>" }.joined(separator: "\n")
        let precursor = s.precursorMZ.map { " precursor_mz=\"\($0)\" polarity=\"positive\"" } ?? ""
        return """
            <sample id="\(id)" sample_type="powder" source="drug_checking" collected_on="2026-11-17">
              <sold_as>\(soldAs)</sold_as>
              <analysis technique="LC-HRMS" analysed_on="2026-11-18">
                <finding substance="\(labFinding)" detected="true"/>
                <spectrum id="\(id)-ms2" ms_level="2"\(precursor)>
            \(peaks)
                </spectrum>
              </analysis>
            </sample>
            """
    }

    static func resultsXML(_ samples: [String]) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <results xmlns="urn:drugcheck:results:1.0" version="1.0" lab="BE-TEST">
        \(samples.joined(separator: "\n"))
        </results>
        """
    }

    /// The first Fentanyl-Hunter ESI spectrum (HighResNPS/MoNA/in-house, real) that, stored as a
    /// results-XML peak list, the default library does not match but a class rule flags: a stand-in
    /// for an analogue no library has yet.
    static func unknownAnalogue(_ identifier: SpectrumIdentifier) throws -> Spectrum {
        let file = try RefDataSpectra.url("esi_msp/FentanylHunter_Fentanyllibrary_noNIST.msp")
        let candidates = try MSPReader().read(file: file).compactMap { s in
            s.precursorMZ.map { Spectrum(id: s.id, name: s.name, msLevel: 2, precursorMZ: $0, polarity: .positive, mz: s.mz, intensity: s.intensity) }
        }
        return try #require(candidates.first { identifier.identify($0).suspectedNewAnalogue },
                            "some Fentanyl-Hunter spectrum must be flagged by the class rules only")
    }

    @Test func libraryMatchAndSuspectedAnalogueAreStoredWithTheirVersions() throws {
        let t = try TestDatabase()
        let reference = try ReferenceData.load()
        let library = try reference.library(adding: SpectralLibraryStore(database: t.database))
        let classifier = StoredSpectraClassifier(identifier: SpectrumIdentifier(library: library, catalogue: reference.catalogue),
                                                 classifier: SampleClassifier(catalogue: reference.catalogue))
        // A real fentanyl spectrum (MassBank Eawag EQ364005, CE 75) in a powder sold as cocaine, and
        // an analogue spectrum only the class rules recognise in a powder sold as heroin.
        let fentanyl = try #require(try MassBankRecordReader().read(file: RefDataSpectra.url("massbank/fentanyl/MSBNK-Eawag-EQ364005.txt")).first)
        let analogue = try Self.unknownAnalogue(classifier.identifier)
        let xml = Self.resultsXML([
            Self.sampleXML(id: "S-FEN", soldAs: "cocaine", labFinding: "Cocaine", spectrum: fentanyl),
            Self.sampleXML(id: "S-NEW", soldAs: "heroin", labFinding: "Caffeine", spectrum: analogue),
        ])
        let imported = try ImportPipeline.standard(database: t.database, observers: []).importFile(at: try t.file("results.xml", xml), options: .init())
        #expect(imported.outcome == .imported, "\(imported.errors)")

        #expect(imported.notes.contains { $0.hasPrefix("2 spectra identified with drugcheck-default") }, "\(imported.notes)")
        // The import identified the spectra: `classify` finds them current and changes nothing.
        let first = try classifier.classify(.all, in: t.database)
        #expect(first.map(\.status) == [.unchanged, .unchanged])
        let fen = try #require(first.first { $0.sampleID == "S-FEN" })
        #expect(fen.spectra.first?.level == .level2a)
        #expect(fen.spectra.first?.substance == "fentanyl")
        #expect(fen.classification?.positiveClasses == [.fentanylAnalogue, .anySyntheticOpioid])
        #expect(fen.classification?.unexpected == true, "fentanyl found in a powder sold as cocaine")

        let stored = try #require(try t.database.sample(lab: "BE-TEST", id: "S-FEN"))
        let lab = try #require(stored.sample.findings.first { $0.reportedName == "Cocaine" })
        #expect(lab.confidence?.assessedBy == "lab", "the lab's name-only finding keeps the lab's identification")
        #expect(lab.confidence?.level == nil)
        let spectral = try #require(stored.sample.findings.first { $0.confidence?.assessedBy == "drugcheck" })
        #expect(spectral.substanceID == "fentanyl" && spectral.detected)
        #expect(spectral.confidence?.level == .level2a)
        #expect(spectral.mz == fentanyl.precursorMZ)

        let new = try #require(first.first { $0.sampleID == "S-NEW" })
        #expect(new.spectra.first?.level == .level2b)
        #expect(new.classification?.suspectedNewAnalogue == true)
        let newSample = try #require(try t.database.sample(lab: "BE-TEST", id: "S-NEW"))
        #expect(newSample.sample.findings.contains { $0.reportedName == "suspected new fentanyl analogue" && $0.substanceID == nil })
        #expect(newSample.classification?.suspectedNewAnalogue == true)

        let versions = try t.database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT DISTINCT library_version, rules_version FROM spectrum_identification")
        }
        #expect(versions.count == 1)
        #expect(versions.first?["library_version"] == "drugcheck-default \(reference.library.version)")
        #expect(versions.first?["rules_version"] == ClassRuleSet.standard.version)

        // Nothing changed: nothing is recomputed.
        let before = try t.counts()
        #expect(try classifier.classify(.all, in: t.database).map(\.status) == [.unchanged, .unchanged])
        #expect(try t.counts() == before)
    }

    @Test func aNewLibraryOrRuleVersionReclassifiesAndResultsKeepTheirVersion() throws {
        let t = try TestDatabase()
        let reference = try ReferenceData.load()
        let libraries = SpectralLibraryStore(database: t.database)
        let standard = SpectrumIdentifier(library: try reference.library(adding: libraries), catalogue: reference.catalogue)
        let analogue = try Self.unknownAnalogue(standard)
        let xml = Self.resultsXML([Self.sampleXML(id: "S-NEW", soldAs: "heroin", labFinding: "Caffeine", spectrum: analogue)])
        _ = try ImportPipeline.standard(database: t.database, observers: []).importFile(at: try t.file("results.xml", xml), options: .init())
        // Identified during the import, with the current versions: nothing to redo.
        #expect(try StoredSpectraClassifier(identifier: standard, classifier: SampleClassifier(catalogue: .bundled)).classify(.sample(lab: "BE-TEST", id: "S-NEW"), in: t.database)
            .map(\.status) == [.unchanged])
        let findings = try t.counts()["finding"]

        // Rules without the fentanyl rules that fired: a new rules version, so the sample is identified
        // again, the suspected-analogue finding goes, and the lab's finding stays.
        let firedRules = standard.identify(analogue).evidence.map(\.ruleID)
        try #require(!firedRules.isEmpty)
        var withoutRule = standard
        withoutRule.rules = firedRules.reduce(ClassRuleSet.standard) { $0.removing(ruleID: $1) }
        let rerun = try StoredSpectraClassifier(identifier: withoutRule, classifier: SampleClassifier(catalogue: .bundled)).classify(.all, in: t.database)
        #expect(rerun.map(\.status) == [.reclassified])
        #expect(rerun.first?.spectra.first?.rulesVersion == withoutRule.rules.version)
        #expect(rerun.first?.classification?.suspectedNewAnalogue == false)
        let sample = try #require(try t.database.sample(lab: "BE-TEST", id: "S-NEW"))
        #expect(sample.sample.findings.map(\.reportedName) == ["Caffeine"])

        // A lab library holding this very spectrum: a new library version; the spectrum is now a library match (2a).
        let precursor = try #require(analogue.precursorMZ)
        let libraryFile = try t.file("lab.msp", """
            Name: Lab analogue reference
            PrecursorMZ: \(precursor)
            Ion_mode: POSITIVE
            Class: fentanyl_analogue
            Num Peaks: \(analogue.peakCount)
            \(zip(analogue.mz, analogue.intensity).map { "\($0) \($1)" }.joined(separator: "\n"))

            """)
        _ = try LibraryImporter(store: libraries, catalogue: reference.catalogue)
            .importLibrary(files: [libraryFile], options: .init(name: "lab", version: "1", licence: "CC0"))
        let withLab = SpectrumIdentifier(library: try reference.library(adding: libraries), catalogue: reference.catalogue)
        let again = try StoredSpectraClassifier(identifier: withLab, classifier: SampleClassifier(catalogue: reference.catalogue)).classify(.all, in: t.database)
        #expect(again.map(\.status) == [.reclassified])
        let identification = try #require(again.first?.spectra.first)
        #expect(identification.level == .level2a)
        #expect(identification.hits.first?.library == "lab 1")
        #expect(identification.libraryVersion.hasSuffix("+lab@1"))
        #expect(identification.rulesVersion == ClassRuleSet.standard.version)
        let stored = try t.database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT library_version, rules_version, level, finding_id FROM spectrum_identification")
        }
        #expect(stored?["library_version"] == identification.libraryVersion)
        #expect(stored?["level"] == "2a")
        #expect((stored?["finding_id"] as Int64?) != nil)
        #expect(try t.counts()["finding"] == findings, "the spectral finding is replaced, not added again")
    }
}
