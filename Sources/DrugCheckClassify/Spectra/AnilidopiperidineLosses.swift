import DrugCheckModel

/// The neutral molecules a protonated 4-anilidopiperidine (fentanyl-type) loses in CID, generated
/// from formulas: every N-aryl carboxamide `Ar–NH–C(=O)R` from the acyl groups × aryl amines below
/// (deduplicated by elemental formula, so e.g. N-phenylpropanamide also stands for its isomer
/// N-(methylphenyl)acetamide), the ketenes lost from the amide, and the tetrahydropyridine that
/// leaves with the anilide when the charge stays on the N-substituent.
///
/// The pathways: cleavage of the piperidine C4–N(amide) bond with loss of the N-aryl amide gives the
/// N-substituted tetrahydropyridinium ion ([M+H − C9H11NO]+ 188.1434 for fentanyl, 238.1261 for
/// sufentanil, 268.1768 for alfentanil, 228.1230 for remifentanil, 84.0808 for norfentanyl); loss of
/// amide plus tetrahydropyridine leaves the N-substituent cation (phenethyl 105.0699); loss of the
/// acyl as a ketene leaves the 4-anilinopiperidine (fentanyl 337 → 281). Source: the CID study of
/// 14 fentanyl derivatives by Klingberg, Cawley, Shimmon, Fu, "Collision-induced dissociation studies
/// of synthetic opioids for non-targeted analysis", Front. Chem. 2019, 7, 331
/// (doi:10.3389/fchem.2019.00331), which proposes such common product ions as class markers; the
/// individual ions are checked against the MassBank records of fentanyl (MSBNK-Athens_Univ-AU154502), norfentanyl
/// (MSBNK-Eawag-EQ361203: 84.0806 base, 150.0912, 177.1384), sufentanil (MSBNK-Univ_Connecticut-CO000422:
/// 238.1258 base) and alfentanil (MSBNK-Univ_Connecticut-CO000037).
///
/// ```swift
/// AnilidopiperidineLosses.anilides.first { $0.formula == "C9H11NO" }?.mass // 149.0841
/// ```
public enum AnilidopiperidineLosses {
    /// Acyl groups R–C(=O)– of the amide region seen in fentanyl analogues (Cayman Chemical,
    /// "Tips for interpreting GC-MS fragmentation of unknown substituted fentanyls", 2017: linear and
    /// branched alkyl chains, heteroatom insertions, rings).
    static let acyls: [(formula: String, name: String)] = [
        ("C2H3O", "acetamide"), ("C3H5O", "propanamide"), ("C4H7O", "butanamide"), ("C5H9O", "pentanamide"),
        ("C3H3O", "acrylamide"), ("C4H5O", "cyclopropanecarboxamide/crotonamide"),
        ("C5H7O", "cyclobutanecarboxamide"), ("C6H9O", "cyclopentanecarboxamide"), ("C3H5O2", "methoxyacetamide"),
        ("C5H3O2", "furancarboxamide"), ("C5H7O2", "tetrahydrofurancarboxamide"), ("C7H5O", "benzamide"),
        ("C5H3OS", "thiophenecarboxamide"),
    ]
    /// Aryl groups on the amide nitrogen: phenyl and its ring-substituted variants, and the
    /// pyrazinyl of mirfentanil.
    static let aryls: [(formula: String, name: String)] = [
        ("C6H5", "phenyl"), ("C6H4F", "fluorophenyl"), ("C6H4Cl", "chlorophenyl"), ("C7H7", "methylphenyl"),
        ("C7H7O", "methoxyphenyl"), ("C4H3N2", "pyrazinyl"),
    ]

    /// The N-aryl carboxamide `aryl–NH–C(=O)–acyl`.
    static func amide(aryl: (formula: String, name: String), acyl: (formula: String, name: String)) -> NeutralLoss {
        // Formula text concatenation; ChemicalFormula sums repeated elements, description is Hill order.
        NeutralLoss(try! ChemicalFormula(acyl.formula + aryl.formula + "NH").description, "N-\(aryl.name) \(acyl.name)")
    }

    /// Every N-aryl carboxamide, one per elemental formula, lightest first.
    public static let anilides: [NeutralLoss] = {
        var seen = Set<String>()
        var losses: [NeutralLoss] = []
        for aryl in aryls {
            for acyl in acyls {
                let loss = amide(aryl: aryl, acyl: acyl)
                if seen.insert(loss.formula).inserted { losses.append(loss) }
            }
        }
        return losses.sorted { $0.mass < $1.mass }
    }()

    /// 1,2,3,6-Tetrahydropyridine, lost together with the anilide when the N-substituent keeps the charge.
    public static let tetrahydropyridine = NeutralLoss("C5H9N", "tetrahydropyridine")

    /// Water, lost from the protonated amide (N-phenylpropanamide 150.0913 → C9H10N+ 132.0808).
    public static let water = NeutralLoss("H2O", "water")

    /// Ketenes R'CH=C=O lost from the amide, leaving the protonated 4-anilinopiperidine.
    public static let ketenes = [
        NeutralLoss("C2H2O", "ketene (acetyl)"), NeutralLoss("C3H4O", "methylketene (propanoyl)"),
        NeutralLoss("C4H6O", "ethylketene (butanoyl)"), NeutralLoss("C5H8O", "propylketene (pentanoyl)"),
        NeutralLoss("C3H2O", "vinylketene (acryloyl)"), NeutralLoss("C3H4O2", "methoxyketene (methoxyacetyl)"),
    ]

    /// Alkanoyl amides paired with the ketene their acyl gives (propanamide ↔ methylketene C3H4O):
    /// the protonated amide and the ketene loss then point to the same amide group.
    public static let amideKetenePairs: [(amide: NeutralLoss, ketene: NeutralLoss)] = {
        let keteneOfAcyl = ["C2H3O": "C2H2O", "C3H5O": "C3H4O", "C4H7O": "C4H6O", "C5H9O": "C5H8O", "C3H5O2": "C3H4O2"]
        return aryls.flatMap { aryl in
            acyls.compactMap { acyl -> (amide: NeutralLoss, ketene: NeutralLoss)? in
                guard let keteneFormula = keteneOfAcyl[acyl.formula],
                      let ketene = ketenes.first(where: { $0.formula == keteneFormula }) else { return nil }
                return (amide(aryl: aryl, acyl: acyl), ketene)
            }
        }
    }()

    /// Ions of the N-substituent and anilide side that support a loss (as in ``FentanylESIRule``).
    static let supportIons = FentanylESIRule.supportIons
}
