import DrugCheckModel

/// 4-Anilidopiperidine rule for accurate-mass ESI-MS/MS that needs no fixed scaffold ion: the
/// precursor loses an N-aryl amide (``AnilidopiperidineLosses/anilides``), so it also finds analogues
/// whose N-substituent is not phenethyl (alfentanil, sufentanil, remifentanil, carfentanil, ring-
/// substituted phenethyls) and nor-metabolites (norfentanyl [M+H]+ 233 → 84.0808).
///
/// Fires on one of four kinds of evidence, all computed from formulas and the stated precursor:
/// 1. **Corroborated loss**: [M+H − anilide]+ at ≥ `coreMinimumRelative` (or the strongest
///    fragment), plus one independent ion from the same molecule at ≥ `supportMinimumRelative`:
///    the N-substituent cation [M+H − anilide − C5H9N]+ (≥ m/z `substituentCationMinimumMZ`), the
///    protonated amide [anilide+H]+, [M+H − ketene]+, or a ``FentanylESIRule`` support ion. The
///    product must have even nominal mass (see 2) unless the N-substituent cation is seen too (a
///    nitrogen in the substituent, e.g. nitrophenethyl, makes it odd).
/// 2. **Dominant loss**: [M+H − anilide]+ is the strongest fragment or ≥ `anilideMajorRelative`, at
///    ≥ m/z `anilideSingleIonMinimumMZ`, with even nominal mass (nitrogen rule: the even-electron ion
///    keeps the single piperidine nitrogen). The m/z floor keeps out the amino-amide local
///    anaesthetics, whose xylidide/toluidide loses the isobaric ArNH2 + CO but leaves a small amine
///    iminium (lidocaine and prilocaine 86, mepivacaine 98, ropivacaine 126, bupivacaine 140); the
///    nitrogen rule keeps out nitrogen-free products such as those of the morphinans.
/// 3. **Substituent cation**: [M+H − anilide − C5H9N]+ (loss of the whole 4-anilidopiperidine as a
///    neutral, 232.1576 for the propananilide) is the strongest fragment and ≥ `anilideMajorRelative`.
/// 4. **Amide ion** (nor-metabolites, where the charge stays on the amide): the protonated alkanoyl
///    anilide [amide+H]+ at ≥ `coreMinimumRelative`, at least C5H9N below the precursor, with the loss
///    of the ketene of the same acyl at ≥ `coreMinimumRelative`, or, when [amide+H]+ is the strongest
///    fragment, its water loss at ≥ `coreMinimumRelative` (norfentanyl 233 → 150.0913, 177.1386, 132.0808).
///
/// Source of the pathways: see ``AnilidopiperidineLosses``.
public struct FentanylAnilideLossRule: ClassRule {
    public let id = "fentanyl-esi-anilide-1"
    public let substanceClass = SubstanceClass.fentanylAnalogue
    public let citation = "4-anilidopiperidine CID losses (N-aryl amide, amide + tetrahydropyridine, ketene): Klingberg et al., Front. Chem. 2019, 7, 331, doi:10.3389/fchem.2019.00331; ions checked on MassBank fentanyl, norfentanyl, sufentanil, alfentanil records"

    public init() {}

    public func evaluate(_ spectrum: Spectrum, peaks: PeakLookup, settings: ClassRuleSettings) -> ClassEvidence? {
        guard IonisationKind(of: spectrum) == .esi, !peaks.isNominalMass, let precursor = spectrum.precursorMZ,
              spectrum.polarity != .negative
        else { return nil }
        let strongest = peaks.strongestFragment(below: precursor)
        guard strongest > 0 else { return nil }
        func find(_ mz: Double, _ floor: Double) -> (mz: Double, relative: Double)? {
            peaks.peak(mz, tolerance: settings.tolerance(mz), minimumRelative: floor)
        }
        func isMajor(_ relative: Double) -> Bool { relative >= strongest || relative >= settings.anilideMajorRelative }

        for anilide in AnilidopiperidineLosses.anilides {
            let productMZ = precursor - anilide.mass
            guard productMZ > 80 else { continue }
            let substituentMZ = productMZ - AnilidopiperidineLosses.tetrahydropyridine.mass
            let lossLine = "[M+H − \(anilide.formula)]+"
            if let product = find(productMZ, settings.supportMinimumRelative) {
                let seen = "\(lossLine) \(format(product.mz)) (loss of \(anilide.label), \(percent(product.relative)))"
                let support = corroboration(precursor: precursor, anilide: anilide, substituentMZ: substituentMZ, find: find, settings: settings)
                let evenMass = Int(productMZ.rounded()) % 2 == 0
                let keepsNitrogen = evenMass || support.hasSubstituentCation
                if !support.lines.isEmpty, keepsNitrogen, product.relative >= settings.coreMinimumRelative || isMajor(product.relative) {
                    return evidence([seen] + support.lines)
                }
                if isMajor(product.relative), evenMass, productMZ >= settings.anilideSingleIonMinimumMZ {
                    return evidence([seen + " dominant, even nominal mass"])
                }
            }
            if substituentMZ >= settings.substituentCationMinimumMZ,
               let cation = find(substituentMZ, settings.anilideMajorRelative), cation.relative >= strongest {
                return evidence(["[M+H − \(anilide.formula) − C5H9N]+ \(format(cation.mz)) (N-substituent cation, strongest fragment)"])
            }
        }
        return amideIonEvidence(precursor: precursor, strongest: strongest, find: find, settings: settings)
    }

    /// Path 4: the protonated amide with the ketene loss of the same acyl, or with its water loss.
    func amideIonEvidence(precursor: Double, strongest: Double, find: (Double, Double) -> (mz: Double, relative: Double)?,
                          settings: ClassRuleSettings) -> ClassEvidence? {
        let floor = settings.coreMinimumRelative
        for (amide, ketene) in AnilidopiperidineLosses.amideKetenePairs {
            let amideMZ = amide.mass + ChemicalFormula.protonMass
            guard precursor - amideMZ >= AnilidopiperidineLosses.tetrahydropyridine.mass - 0.01,
                  let ion = find(amideMZ, floor) else { continue }
            let seen = "[\(amide.formula)+H]+ \(format(ion.mz)) (protonated \(amide.label), \(percent(ion.relative)))"
            if let lost = find(precursor - ketene.mass, floor) {
                return evidence([seen, "[M+H − \(ketene.formula)]+ \(format(lost.mz)) (loss of \(ketene.label))"])
            }
            if ion.relative >= strongest, let dehydrated = find(amideMZ - AnilidopiperidineLosses.water.mass, floor) {
                return evidence([seen, "[\(amide.formula)+H − H2O]+ \(format(dehydrated.mz))"])
            }
        }
        return nil
    }

    /// Independent ions of the same 4-anilidopiperidine, each as a text line, and whether the
    /// N-substituent cation is among them.
    func corroboration(precursor: Double, anilide: NeutralLoss, substituentMZ: Double,
                       find: (Double, Double) -> (mz: Double, relative: Double)?,
                       settings: ClassRuleSettings) -> (lines: [String], hasSubstituentCation: Bool) {
        let floor = settings.supportMinimumRelative
        var lines: [String] = []
        let cation = substituentMZ >= settings.substituentCationMinimumMZ ? find(substituentMZ, floor) : nil
        if let cation {
            lines.append("N-substituent cation [M+H − \(anilide.formula) − C5H9N]+ \(format(cation.mz))")
        }
        let protonatedAmide = anilide.mass + ChemicalFormula.protonMass
        if let ion = find(protonatedAmide, floor) {
            lines.append("[\(anilide.formula)+H]+ \(format(ion.mz)) (protonated \(anilide.label))")
        }
        for ketene in AnilidopiperidineLosses.ketenes {
            if let ion = find(precursor - ketene.mass, floor) {
                lines.append("[M+H − \(ketene.formula)]+ \(format(ion.mz)) (loss of \(ketene.label))")
            }
        }
        for ion in AnilidopiperidineLosses.supportIons {
            if let seen = find(ion.mz, floor) { lines.append(ion.describe(at: seen.mz)) }
        }
        return (lines, cation != nil)
    }

    func evidence(_ ions: [String]) -> ClassEvidence {
        ClassEvidence(ruleID: id, substanceClass: substanceClass, ions: ions, citation: citation)
    }
}

private func format(_ mz: Double) -> String { String(format: "%.4f", mz) }
private func percent(_ relative: Double) -> String { String(format: "%.0f%%", relative * 100) }
