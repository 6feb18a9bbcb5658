import DrugCheckModel

/// Nitazene (2-benzylbenzimidazole opioid) rule for ESI-MS/MS: the aminoethyl side-chain
/// iminium ion as a major peak, plus a benzyl-substituent ion. Both ion lists are the nodes of the
/// ESI-MS/MS decision trees of the Nitazene Decision Tree App (github.com/asm3-trentU/
/// Nitazene_DecisionTree_App, `ESI-MSMS Decision Tree R1/R2`, copied to refdata
/// `spectra/nitazene_esi_csv/`); the fragmentation (side-chain iminium base peak, substituted
/// benzyl/tropylium ion) is described by Vandeputte et al., ACS Chem. Neurosci. 2021, 12, 1241–1251
/// (doi:10.1021/acschemneuro.1c00064).
public struct NitazeneESIRule: ClassRule {
    public let id = "nitazene-esi-1"
    public let substanceClass = SubstanceClass.nitazene
    public let citation = "Nitazene Decision Tree App (asm3-trentU), ESI-MS/MS trees R1 (amine) and R2 (benzyl); Vandeputte et al., ACS Chem. Neurosci. 2021, 12, 1241"

    /// Tree R1: the amine group.
    static let amineIons = [
        DiagnosticIon("C6H14N", "N,N-diethyl-ethaniminium (diethylaminoethyl chain)"),
        DiagnosticIon("C4H10N", "N-ethyl-ethaniminium (N-desethyl chain)"),
        DiagnosticIon("C7H14N", "ethylidene-piperidinium (piperidino chain)"),
        DiagnosticIon("C6H12N", "ethylidene-pyrrolidinium (pyrrolidino chain)"),
    ]
    /// Tree R2: the benzyl substituent (tropylium / quinone-methide ions).
    static let benzylIons = [
        DiagnosticIon("C7H7O", "hydroxybenzyl"),
        DiagnosticIon("C8H9O", "methoxybenzyl"),
        DiagnosticIon("C9H11O", "ethoxybenzyl"),
        DiagnosticIon("C10H13O", "propoxybenzyl"),
        DiagnosticIon("C11H15O", "butoxybenzyl"),
        DiagnosticIon("C7H6F", "fluorobenzyl"),
        DiagnosticIon("C7H6Cl", "chlorobenzyl"),
        DiagnosticIon("C8H9", "methylbenzyl"),
        DiagnosticIon("C9H11O2", "dimethoxybenzyl"),
    ]

    public init() {}

    public func evaluate(_ spectrum: Spectrum, peaks: PeakLookup, settings: ClassRuleSettings) -> ClassEvidence? {
        guard IonisationKind(of: spectrum) == .esi, !peaks.isNominalMass else { return nil }
        func seen(_ ions: [DiagnosticIon], _ floor: Double) -> [String] {
            ions.compactMap { ion in
                peaks.peak(ion.mz, tolerance: settings.tolerance(ion.mz), minimumRelative: floor).map { ion.describe(at: $0.mz) }
            }
        }
        let amine = seen(Self.amineIons, settings.nitazeneAmineMinimumRelative)
        let benzyl = seen(Self.benzylIons, settings.supportMinimumRelative)
        guard !amine.isEmpty, !benzyl.isEmpty else { return nil }
        return ClassEvidence(ruleID: id, substanceClass: substanceClass, ions: amine + benzyl, citation: citation)
    }
}

/// Fentanyl-scaffold rule for ESI-MS/MS: an iminium ion left when the anilide leaves the
/// 4-anilidopiperidine (C13H18N+ 188.1434 for fentanyl, shifted by ring substituents) together
/// with a supporting ion (phenethyl C8H9+ 105.0699, anilide-related C9H12N+ 134.0964 …) or the
/// matching neutral loss of an N-phenylamide from the precursor.
/// Ions: the characteristic fragments of the Fentanyl-Hunter ESI library (Shi, Li et al., Fang lab,
/// NTU, "Machine learning and multilayer molecular network-assisted screening hunts fentanyl
/// compounds", github.com/FangLabNTU/Fentanyl-Hunter; refdata `esi_msp/`), where C13H18N+ and
/// C8H9+ are the two most frequent fragments; substituent variants computed by formula.
public struct FentanylESIRule: ClassRule {
    public let id = "fentanyl-esi-1"
    public let substanceClass = SubstanceClass.fentanylAnalogue
    public let citation = "Fentanyl-Hunter ESI fentanyl library and diagnostic fragments (Shi, Li et al., Fang lab NTU, github.com/FangLabNTU/Fentanyl-Hunter)"

    static let scaffoldIons = [
        DiagnosticIon("C13H18N", "phenethylpiperidine iminium"),
        DiagnosticIon("C14H20N", "methyl-phenethylpiperidine iminium"),
        DiagnosticIon("C15H22N", "dimethyl-phenethylpiperidine iminium"),
        DiagnosticIon("C13H17FN", "fluorophenethylpiperidine iminium"),
        DiagnosticIon("C13H18NO", "hydroxy-phenethylpiperidine iminium"),
        DiagnosticIon("C14H20NO", "methoxy/hydroxy-methyl-phenethylpiperidine iminium"),
        DiagnosticIon("C13H16N", "dehydro-phenethylpiperidine iminium (β-hydroxy − H2O)"),
        DiagnosticIon("C11H16NS", "thienylethylpiperidine iminium"),
        DiagnosticIon("C12H18NS", "thienylethyl-methylpiperidine iminium"),
        DiagnosticIon("C12H16N", "benzylpiperidine iminium"),
    ]
    static let supportIons = [
        DiagnosticIon("C8H9", "phenethyl"),
        DiagnosticIon("C8H8F", "fluorophenethyl"),
        DiagnosticIon("C9H11", "methylphenethyl"),
        DiagnosticIon("C9H11O", "methoxyphenethyl"),
        DiagnosticIon("C6H7S", "thienylethyl"),
        DiagnosticIon("C9H12N", "N-phenyl-ethaniminium (anilide side)"),
        DiagnosticIon("C9H12NO", "N-phenylpropanamide (anilide)"),
        DiagnosticIon("C5H10N", "tetrahydropyridinium (piperidine ring)"),
    ]
    /// N-phenylamides (acyl variants) lost from [M+H]+ to give the scaffold iminium ion.
    static let anilideLosses = [
        NeutralLoss("C8H9NO", "acetanilide"), NeutralLoss("C9H11NO", "propananilide"),
        NeutralLoss("C10H13NO", "butananilide"), NeutralLoss("C11H15NO", "pentananilide"),
        NeutralLoss("C9H9NO", "acrylanilide"), NeutralLoss("C10H11NO", "cyclopropanecarboxanilide"),
        NeutralLoss("C11H13NO", "cyclobutanecarboxanilide"), NeutralLoss("C9H11NO2", "methoxyacetanilide"),
        NeutralLoss("C11H9NO2", "furanylcarboxanilide"), NeutralLoss("C11H13NO2", "tetrahydrofurancarboxanilide"),
        NeutralLoss("C13H11NO", "benzanilide"), NeutralLoss("C9H10FNO", "fluoropropananilide"),
        NeutralLoss("C10H12FNO", "fluorobutananilide"), NeutralLoss("C8H8FNO", "fluoroacetanilide"),
    ]

    public init() {}

    public func evaluate(_ spectrum: Spectrum, peaks: PeakLookup, settings: ClassRuleSettings) -> ClassEvidence? {
        guard IonisationKind(of: spectrum) == .esi, !peaks.isNominalMass else { return nil }
        let scaffold = Self.scaffoldIons.compactMap { ion in
            peaks.peak(ion.mz, tolerance: settings.tolerance(ion.mz), minimumRelative: settings.coreMinimumRelative)
                .map { ion.describe(at: $0.mz) }
        }
        guard !scaffold.isEmpty else { return nil }
        var support = Self.supportIons.compactMap { ion in
            peaks.peak(ion.mz, tolerance: settings.tolerance(ion.mz), minimumRelative: settings.supportMinimumRelative)
                .map { ion.describe(at: $0.mz) }
        }
        if let precursor = spectrum.precursorMZ {
            support += Self.anilideLosses.compactMap { loss in
                let target = precursor - loss.mass
                guard target > 0 else { return nil }
                return peaks.peak(target, tolerance: settings.tolerance(target), minimumRelative: settings.supportMinimumRelative)
                    .map { "[M+H − \(loss.formula)]+ \(String(format: "%.4f", $0.mz)) (loss of \(loss.label))" }
            }
        }
        guard !support.isEmpty else { return nil }
        return ClassEvidence(ruleID: id, substanceClass: substanceClass, ions: scaffold + support, citation: citation)
    }
}

/// Fentanyl-scaffold rule for EI (GC-MS) spectra: two ions 43 u apart (loss of C2H5N from the
/// piperidine ring, e.g. 189 → 146 in fentanyl, 207 → 164 in fluorofentanyls, 203 → 160 in
/// methylfentanyls), both significant ions (≥ `eiPairMinimumRelative`), the heavier ≥ m/z 180, plus
/// the phenethyl (105), benzyl/tropylium (91), furyl-carbonyl (95) or thienylmethyl (C5H5S+ 97, the
/// thiophene analogue of tropylium in thiofentanyls) ion at ≥ `eiMinimumRelative`. rules-2026.2 added 97
/// and raised the pair floor from 5 % to 10 %: at 5 % the dense morphine EI record MassBank
/// MSBNK-Fac_Eng_Univ_Tokyo-JP003089 (12 pairs 43 u apart, e.g. 200 at 24 % → 157 at 6 %) fired;
/// at 10 % the rule still fires on 40 of the 44 library spectra (phenyl fentanyl, 250 → 207 at 9 %, is lost).
/// Derived from, and checked against, the 44 EI spectra of the NIST Type I fentanyl analogue library (Moorthy, Kearsley, Mallard, Wallace,
/// "Mass spectral similarity mapping applied to fentanyl analogs", Forensic Chem. 2020, 19, 100237,
/// doi:10.1016/j.forc.2020.100237; github.com/asm3-nist/FentanylClassifier).
public struct FentanylEIRule: ClassRule {
    public let id = "fentanyl-ei-1"
    public let substanceClass = SubstanceClass.fentanylAnalogue
    public let citation = "NIST Type I fentanyl analogue EI library (Moorthy et al., Forensic Chem. 2020, 19, 100237)"

    public init() {}

    public func evaluate(_ spectrum: Spectrum, peaks: PeakLookup, settings: ClassRuleSettings) -> ClassEvidence? {
        guard IonisationKind(of: spectrum) == .ei else { return nil }
        let strong = peaks.nominalMasses(minimumRelative: settings.eiMinimumRelative)
        let significant = peaks.nominalMasses(minimumRelative: settings.eiPairMinimumRelative)
        let pairs = significant.filter { significant.contains($0 + 43) && $0 + 43 >= 180 }.sorted()
        let companions = [105, 91, 95, 97].filter(strong.contains)
        guard let low = pairs.first, let companion = companions.first else { return nil }
        return ClassEvidence(ruleID: id, substanceClass: substanceClass,
                             ions: ["m/z \(low + 43) → \(low) (−C2H5N, piperidine ring)", "m/z \(companion)"],
                             citation: citation)
    }
}
