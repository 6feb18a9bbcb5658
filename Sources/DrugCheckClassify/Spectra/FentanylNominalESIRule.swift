import DrugCheckModel

/// 4-Anilidopiperidine rule for unit-resolution ESI spectra (single-quadrupole in-source CID, e.g.
/// the Waters ZQ MassBank records), where accurate-mass rules cannot apply: the same formula-computed
/// loss of an N-aryl amide (``AnilidopiperidineLosses/anilides``) at integer m/z, with stricter
/// intensities because integer m/z is less specific.
///
/// A peak M (the stated precursor, or any peak ≥ `supportMinimumRelative` in an MS1 in-source CID
/// spectrum) and M − anilide (nominal) at ≥ `nominalCoreMinimumRelative`, ≥ m/z
/// `anilideSingleIonMinimumMZ` and of even nominal mass (nitrogen rule), plus the N-substituent
/// cation M − anilide − C5H9N (≥ m/z `substituentCationMinimumMZ`) or the phenethyl (105) or
/// thienylethyl (111) cation at ≥ `nominalSupportMinimumRelative`. Example: fentanyl in MassBank
/// MSBNK-Waters-WA001017 (337, 188 base, 105 at 88%); sufentanil MSBNK-Waters-WA000641 (387, 238, 111 base).
/// Pathways: see ``AnilidopiperidineLosses``.
public struct FentanylNominalESIRule: ClassRule {
    public let id = "fentanyl-esi-nominal-1"
    public let substanceClass = SubstanceClass.fentanylAnalogue
    public let citation = "4-anilidopiperidine loss of the N-aryl amide at unit resolution: Klingberg et al., Front. Chem. 2019, 7, 331, doi:10.3389/fchem.2019.00331; checked on MassBank Waters ZQ fentanyl/sufentanil records"

    static let substituentIons = [DiagnosticIon("C8H9", "phenethyl"), DiagnosticIon("C6H7S", "thienylethyl")]

    public init() {}

    public func evaluate(_ spectrum: Spectrum, peaks: PeakLookup, settings: ClassRuleSettings) -> ClassEvidence? {
        guard IonisationKind(of: spectrum) == .esi, peaks.isNominalMass, spectrum.polarity != .negative else { return nil }
        func find(_ mz: Double, _ floor: Double) -> Double? {
            peaks.peak(mz.rounded(), tolerance: 0.01, minimumRelative: floor)?.relative
        }
        let candidates = spectrum.precursorMZ.map { [$0] }
            ?? zip(peaks.mz, peaks.relative).filter { $0.1 >= settings.supportMinimumRelative }.map(\.0)
        for precursor in candidates {
            for anilide in AnilidopiperidineLosses.anilides {
                let product = (precursor - anilide.mass).rounded()
                guard product >= settings.anilideSingleIonMinimumMZ, Int(product) % 2 == 0,
                      let productRelative = find(product, settings.nominalCoreMinimumRelative)
                else { continue }
                var support: [String] = []
                let substituent = (precursor - anilide.mass - AnilidopiperidineLosses.tetrahydropyridine.mass).rounded()
                if substituent >= settings.substituentCationMinimumMZ, find(substituent, settings.nominalSupportMinimumRelative) != nil {
                    support.append("m/z \(Int(substituent)) (N-substituent cation, M − \(anilide.formula) − C5H9N)")
                }
                for ion in Self.substituentIons where find(ion.mz, settings.nominalSupportMinimumRelative) != nil {
                    support.append("m/z \(Int(ion.mz.rounded())) (\(ion.formula)+, \(ion.label))")
                }
                guard !support.isEmpty else { continue }
                let loss = "m/z \(Int(precursor.rounded())) → \(Int(product)) (−\(anilide.formula), \(anilide.label); \(String(format: "%.0f%%", productRelative * 100)))"
                return ClassEvidence(ruleID: id, substanceClass: substanceClass, ions: [loss] + support, citation: citation)
            }
        }
        return nil
    }
}
