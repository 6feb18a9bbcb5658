import DrugCheckClassify
import DrugCheckModel
import Foundation
import Testing

/// The bundled substance catalogue (`Resources/substances.json`, documented in `Schemas/substances.md`),
/// checked against the reference data in `../shared/refdata`.
@Suite struct SubstanceCatalogueTests {
    let catalogue = SubstanceCatalogue.bundled

    @Test func bundledCatalogueLoadsWithAtLeast100Substances() {
        #expect(catalogue.substances.count >= 100)
        #expect(!catalogue.version.isEmpty)
        for substance in catalogue.substances {
            #expect(substance.monoisotopicMass != nil, "formula of \(substance.id) does not parse")
            #expect(!substance.source.isEmpty, "\(substance.id) has no source")
            #expect((substance.relativePotency == nil) == (substance.potencySource == nil),
                    "\(substance.id): a potency needs its citation")
            if let key = substance.inchiKey {
                #expect(key.wholeMatch(of: /[A-Z]{14}-[A-Z]{10}-[A-Z]/) != nil, "\(substance.id): bad InChIKey \(key)")
            }
        }
    }

    @Test func classCountsMeetTheMinimums() {
        let minimums: [SubstanceClass: Int] = [
            .fentanylAnalogue: 31, .nitazene: 18, .otherNSO: 10, .classicOpioid: 13, .xylazineMedetomidine: 2,
            .syntheticCannabinoid: 7, .cannabinoid: 2, .stimulant: 9, .benzodiazepine: 5, .dissociative: 1,
            .cuttingAgent: 15,
        ]
        for (substanceClass, minimum) in minimums {
            let count = catalogue.substances.filter { $0.substanceClass == substanceClass }.count
            #expect(count >= minimum, "\(substanceClass.rawValue): \(count) < \(minimum)")
        }
    }

    @Test(arguments: [
        ("carfentanil", SubstanceClass.fentanylAnalogue, SubstanceRole.active),
        ("4-fluoroisobutyrylfentanyl", .fentanylAnalogue, .active),
        ("4-anpp", .fentanylAnalogue, .precursor), ("npp", .fentanylAnalogue, .precursor),
        ("norfentanyl", .fentanylAnalogue, .metabolite), ("phenethyl-4-anpp", .fentanylAnalogue, .precursor),
        ("isotonitazene", .nitazene, .active), ("n-pyrrolidino-etonitazene", .nitazene, .active),
        ("brorphine", .otherNSO, .active), ("2-methyl-ap-237", .otherNSO, .active),
        ("heroin", .classicOpioid, .active), ("6-mam", .classicOpioid, .metabolite),
        ("xylazine", .xylazineMedetomidine, .active), ("medetomidine", .xylazineMedetomidine, .active),
        ("mdmb-4en-pinaca", .syntheticCannabinoid, .active), ("hhc", .cannabinoid, .active),
        ("cocaine", .stimulant, .active), ("ketamine", .dissociative, .active),
        ("bromazolam", .benzodiazepine, .active), ("levamisole", .cuttingAgent, .cut),
    ])
    func keySubstancesHaveTheirClassAndRole(id: String, substanceClass: SubstanceClass, role: SubstanceRole) throws {
        let substance = try #require(catalogue[id])
        #expect(substance.substanceClass == substanceClass)
        #expect(substance.role == role)
    }

    /// Fentanyl C22H28N2O: monoisotopic 336.2202 Da, [M+H]+ 337.2274 (MassBank MSBNK-Athens_Univ-AU154501
    /// gives exact mass 336.2202 and precursor m/z 337.2274).
    @Test func fentanylMasses() throws {
        let fentanyl = try #require(catalogue.match("fentanyl"))
        let mass = try #require(fentanyl.monoisotopicMass)
        let protonated = try #require(fentanyl.protonatedMass)
        #expect(abs(mass - 336.2202) < 0.00005)
        #expect(abs(protonated - 337.2274) < 0.00005)
    }

    /// Every substance whose InChIKey (connectivity block and protonation flag) appears in a refdata
    /// structure CSV must have the RDKit masses there within 0.001 Da, and the formula of every MassBank
    /// record with that InChIKey. (MassBank formulas, not CH$EXACT_MASS: several RIKEN records store the
    /// average molecular weight there, e.g. 194.194 for caffeine.)
    @Test func massesAgreeWithRefdata() throws {
        let references = try ReferenceMasses.load()
        var checked = Set<String>()
        for substance in catalogue.substances {
            guard let key = substance.inchiKey else { continue }
            let mass = try #require(substance.monoisotopicMass)
            let protonated = try #require(substance.protonatedMass)
            for reference in references where ReferenceMasses.sameStructure(reference.inchiKey, key) {
                checked.insert(substance.id)
                if let formula = reference.formula {
                    #expect(try ChemicalFormula(formula) == ChemicalFormula(substance.formula),
                            "\(substance.id): \(substance.formula) vs \(formula) in \(reference.origin)")
                    continue
                }
                #expect(abs(mass - reference.mass) < 0.001,
                        "\(substance.id): \(mass) vs \(reference.mass) in \(reference.origin)")
                if let mz = reference.protonated {
                    #expect(abs(protonated - mz) < 0.001,
                            "\(substance.id): [M+H]+ \(protonated) vs \(mz) in \(reference.origin)")
                }
            }
        }
        // Every substance with an InChIKey took it from one of these files, so all must have been compared.
        let withKey = Set(catalogue.substances.filter { $0.inchiKey != nil }.map(\.id))
        #expect(withKey.subtracting(checked).isEmpty, "not found in refdata: \(withKey.subtracting(checked).sorted())")
        #expect(checked.count >= 150)
    }

    @Test(arguments: [
        ("Fentanyl citrate", "fentanyl"), ("FENTANYL HCl", "fentanyl"), ("fentanil", "fentanyl"),
        ("fentanyl base", "fentanyl"), ("chlorhydrate de cocaïne", "cocaine"), ("Cocaïne", "cocaine"),
        ("Kokain", "cocaine"), ("cocaine hydrochloride", "cocaine"), ("p-fluorofentanyl", "para-fluorofentanyl"),
        ("para-Fluorofentanyl", "para-fluorofentanyl"), ("pFF", "para-fluorofentanyl"),
        ("4-FIBF", "4-fluoroisobutyrylfentanyl"), ("p-FIBF", "4-fluoroisobutyrylfentanyl"),
        ("Etonitazepyne", "n-pyrrolidino-etonitazene"), ("N-Pyrrolidino Etonitazene", "n-pyrrolidino-etonitazene"),
        ("protonitazepyne", "n-pyrrolidino-protonitazene"), ("NPP", "npp"), ("etazene", "etodesnitazene"),
        ("xylazin", "xylazine"), ("Xylazine HCl", "xylazine"), ("médétomidine", "medetomidine"),
        ("Heroïne", "heroin"), ("diamorfine", "heroin"), ("6-monoacetylmorphine (6-MAM)", "6-mam"),
        ("Morfine", "morphine"), ("codéine", "codeine"), ("methadon", "methadone"), ("amfetamine", "amphetamine"),
        ("3,4-MDMA", "mdma"), ("4-MMC", "mephedrone"), ("Ketamin", "ketamine"), ("cafeïne", "caffeine"),
        ("acetaminophen", "paracetamol"), ("lidocaïne", "lidocaine"), ("Levamisol", "levamisole"),
        ("dextomethorphan", "dextromethorphan"), ("Δ9-THC", "thc"), ("delta-9-THC", "thc"),
        ("U47700", "u-47700"), ("bucinnazine", "ap-237"), ("carfentanyl", "carfentanil"),
        ("butyrfentanyl", "butyrylfentanyl"), ("fentynal", "fentanyl"), ("acetyl fentanyl", "acetylfentanyl"),
        ("despropionyl p-fluorofentanyl", "para-fluoro-4-anpp"), ("p-fluoro  4-ANPP", "para-fluoro-4-anpp"),
    ])
    func namesResolve(name: String, id: String) {
        #expect(catalogue.match(name)?.id == id, "'\(name)' should resolve to \(id)")
    }

    @Test(arguments: ["unknown powder", "", "   ", "no compounds of interest detected", "fentanyl analogue X-99",
                      "sugar", "benzoic acid"])
    func unknownNamesReturnNil(name: String) {
        #expect(catalogue.match(name) == nil, "'\(name)' should not match")
    }

    /// Names exactly as the UNC Street Drug Analysis Lab writes them (refdata chemdictionary and detection
    /// counts, with their stray spaces and typos) resolve to the intended entries.
    @Test func uncLabNamesResolve() throws {
        let expected: [String: String] = [
            "fentanyl": "fentanyl", "4-ANPP": "4-anpp", "phenethyl 4-ANPP": "phenethyl-4-anpp",
            "p-fluorofentanyl": "para-fluorofentanyl", "ethyl-4-ANPP": "ethyl-4-anpp", "N-ethyl-4-ANPP": "ethyl-4-anpp",
            "despropionyl p-fluorofentanyl": "para-fluoro-4-anpp", "p-fluoro  4-ANPP": "para-fluoro-4-anpp",
            "p-fluoro phenethyl 4-ANPP": "para-fluoro-phenethyl-4-anpp",
            "fluoro-phenethyl 4-ANPP": "para-fluoro-phenethyl-4-anpp", "N-propionyl norfentanyl": "n-propionyl-norfentanyl",
            "N-phenethyl-4-piperidone (NPP)": "npp", "acetyl fentanyl": "acetylfentanyl",
            "valeryl fentanyl": "valerylfentanyl", "p-fluoroacetylfentanyl": "para-fluoroacetylfentanyl",
            "carfentanil": "carfentanil", "norfentanyl": "norfentanyl", "benzylfentanyl": "benzylfentanyl",
            "metonitazene": "metonitazene", "N-piperidinyl etonitazene": "n-piperidinyl-etonitazene",
            "isotonitazene": "isotonitazene", "etonitazene": "etonitazene", "clonitazene": "clonitazene",
            "dimetonitazene": "dimetonitazene", "nitazene": "nitazene",
            "1-diethylaminoethyl-2-benzyl-benzimidazole": "desnitazene", "xylazine": "xylazine",
            "medetomidine": "medetomidine", "6-monoacetylmorphine (6-MAM)": "6-mam", "acetylcodeine": "acetylcodeine",
            "meperidine": "pethidine", "bromazolam": "bromazolam", "ADB-BUTINACA": "adb-butinaca",
            "benzoylecgonine (BZ)": "benzoylecgonine", "ecgonine methylester (EME)": "ecgonine-methyl-ester",
            "methyl ecgonidine (MED)": "methylecgonidine", "3,4-MDMA": "mdma", "MDA": "mda",
            "N,N-dimethylpentylone": "dipentylone", "N-ethylpentylone": "n-ethylpentylone",
            "phencyclidine (PCP)": "pcp", "lysergic acid diethylamide (LSD)": "lsd",
            "N,N-dimethyltryptamine (DMT)": "dmt", "delta-9-THC": "thc", "delta-8-THC": "delta-8-thc",
            "cannabidiol": "cbd", "acetaminophen": "paracetamol", "dextromethorphan ": "dextromethorphan",
            "dextomethorphan": "dextromethorphan", "dimethyl sulfone (methylsulfonylmethane MSM)": "dimethyl-sulfone",
            "1,3-Diacetin": "diacetin", "gamma-hydroxybutyrate (GHB)": "ghb",
            "N,N-Dimethylamphetamine (DMA)": "n-n-dimethylamphetamine", "N-phenylpropanamide": "n-phenylpropanamide",
        ]
        let root = try CatalogueRefdata.root()
        let dictionary = try String(contentsOf: root.appending(path: "substances/unc_chemdictionary_commit087608d.csv"), encoding: .utf8)
        let detected = try String(contentsOf: root.appending(path: "csv/drugchecking/opioiddatalab_substances_detected.csv"), encoding: .utf8)
        let uncNames = Set((CatalogueCSV.rows(dictionary) + CatalogueCSV.rows(detected)).compactMap(\.first))
        for (name, id) in expected {
            #expect(uncNames.contains(name), "'\(name)' is not a UNC name in refdata")
            #expect(catalogue.match(name)?.id == id, "UNC name '\(name)' should resolve to \(id)")
        }
    }
}

/// `../shared/refdata` beside the package root, found from this file's path; missing refdata is a failure.
fileprivate enum CatalogueRefdata {
    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    static func root(filePath: String = #filePath) throws -> URL {
        let root = URL(fileURLWithPath: filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appending(path: "shared/refdata")
        guard FileManager.default.fileExists(atPath: root.appending(path: "substances").path) else {
            throw Missing(description: "reference data not found at \(root.path)")
        }
        return root
    }
}

/// Minimal RFC 4180 reader for the refdata CSVs (quoted fields with commas, doubled quotes, CRLF).
fileprivate enum CatalogueCSV {
    static func rows(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var chars = Array(text).makeIterator()
        while let c = chars.next() {
            if quoted {
                if c == "\"" {
                    if let next = chars.next() {
                        if next == "\"" { field.append("\"") } else {
                            quoted = false
                            handle(next, &rows, &row, &field, &quoted)
                        }
                    } else { quoted = false }
                } else { field.append(c) }
            } else { handle(c, &rows, &row, &field, &quoted) }
        }
        if !field.isEmpty || !row.isEmpty { rows.append(row + [field]) }
        return rows
    }

    private static func handle(_ c: Character, _ rows: inout [[String]], _ row: inout [String],
                               _ field: inout String, _ quoted: inout Bool) {
        switch c {
        case "\"": quoted = true
        case ",": row.append(field); field = ""
        case "\n", "\r\n", "\r": rows.append(row + [field]); row = []; field = ""
        default: field.append(c)
        }
    }
}

/// Reference masses by InChIKey from the refdata structure CSVs (RDKit columns, or the source's own
/// exact mass in the FentanylClassifier library), and reference formulas from the MassBank records.
fileprivate struct ReferenceMasses {
    let inchiKey: String
    var mass = 0.0
    var protonated: Double?
    /// Set for MassBank records, which are compared by formula.
    var formula: String?
    let origin: String

    /// Same connectivity block and protonation flag: stereo layers may be absent in one source.
    static func sameStructure(_ a: String, _ b: String) -> Bool {
        a.prefix(14) == b.prefix(14) && a.last == b.last
    }

    static func load() throws -> [ReferenceMasses] {
        let root = try CatalogueRefdata.root()
        var out: [ReferenceMasses] = []
        let files = try FileManager.default.contentsOfDirectory(atPath: root.appending(path: "substances").path)
        for file in files.sorted() where file.hasSuffix(".csv") {
            let rows = CatalogueCSV.rows(try String(contentsOf: root.appending(path: "substances/\(file)"), encoding: .utf8))
            guard let header = rows.first else { continue }
            let keyColumn = header.firstIndex(of: "inchikey_rdkit") ?? header.firstIndex(of: "inchikey")
            let massColumn = header.firstIndex(of: "monoisotopic_mass_rdkit") ?? header.firstIndex(of: "exact_mass")
            guard let keyColumn, let massColumn else { continue }
            let mzColumn = header.firstIndex(of: "mz_MplusH_rdkit")
            for (line, row) in rows.dropFirst().enumerated() where row.count == header.count {
                guard !row[keyColumn].isEmpty, let mass = Double(row[massColumn]) else { continue }
                out.append(ReferenceMasses(inchiKey: row[keyColumn], mass: mass,
                                           protonated: mzColumn.flatMap { Double(row[$0]) },
                                           origin: "\(file):\(line + 2) '\(row[0])'"))
            }
        }
        let massbank = root.appending(path: "spectra/massbank")
        for folder in try FileManager.default.contentsOfDirectory(atPath: massbank.path).sorted() {
            let records = try FileManager.default.contentsOfDirectory(atPath: massbank.appending(path: folder).path)
            for record in records.sorted() where record.hasSuffix(".txt") {
                let text = try String(contentsOf: massbank.appending(path: "\(folder)/\(record)"), encoding: .utf8)
                var key: String?, formula: String?
                for line in text.split(whereSeparator: \.isNewline) {
                    if line.hasPrefix("CH$FORMULA:") { formula = line.dropFirst(11).trimmingCharacters(in: .whitespaces) }
                    if line.hasPrefix("CH$LINK: INCHIKEY ") { key = line.dropFirst(18).trimmingCharacters(in: .whitespaces) }
                }
                if let key, let formula {
                    out.append(ReferenceMasses(inchiKey: key, formula: formula, origin: "MassBank \(record)"))
                }
            }
        }
        return out
    }
}
