import Foundation

/// A mapping profile: how one vendor's export format (an instrument's report, a LIMS or a public
/// dataset) maps onto samples and findings. Profiles are data files in `Schemas/import-profiles/`
/// (format documented in that folder's README.md), bundled with the binary and chosen from a
/// file's structure, or named with `--profile`.
///
/// ```swift
/// let profile = try JSONDecoder().decode(ImportProfile.self, from: Data(contentsOf: url))
/// let extraction = try ProfileExtractor(profile: profile).extract(ProfileDocument(file: csv), reason: "--profile")
/// ```
public struct ImportProfile: Codable, Sendable {
    /// Short name used with `--profile` (`agilent-masshunter-quant`).
    public var name: String
    /// The software or dataset that writes the format.
    public var vendor: String
    public var description: String?
    /// When set, files of this format are recognised but refused with this reason (a non-drug
    /// instrument, for example).
    public var refuse: String?
    public var fingerprint: Fingerprint
    public var text: TextConventions?
    public var table: TableLayout
    public var columns: Columns
    /// Columns that each stand for substances (flags such as `lab_fentanyl_any`, or lists such as
    /// `['MDMA', 'Caffeine']`), for datasets with one row per sample.
    public var findingColumns: [FindingColumn]?
    /// Cell values meaning "not detected" (compared ignoring case and surrounding spaces).
    public var notDetected: [String]?
    public var valueMaps: ValueMaps?
    /// The technique of the findings, as in the findings CSV (`GC-MS`, `LC-MS/MS`, `FTIR`…).
    public var technique: String
    /// Regular expressions on the instrument name choosing another technique (`"^7\\d{3}": "GC-MS"`).
    public var techniqueByInstrument: [String: String]?
    /// An instrument export giving results only: sample fields come from registration.
    public var resultsForRegisteredSamples: Bool
    public var defaults: Defaults?

    /// The structural signs that a file is in this format.
    public struct Fingerprint: Codable, Sendable {
        /// Lines the file must contain (compared trimmed, ignoring case), e.g. `[MS Quantitative Results]`.
        public var markers: [String]?
        /// Header names that must appear as cells near the top of the file.
        public var headers: [String]
        /// Header names that must not appear (to tell a format from a close relative).
        public var absent: [String]?
    }

    /// How values are written.
    public struct TextConventions: Codable, Sendable {
        /// `,`, `;` or `\t`; nil detects it from the first lines.
        public var separator: String?
        /// Numbers written `1,5`; nil: a number with one comma and no point is read that way.
        public var decimalComma: Bool?
        /// Thousands separator to drop from numbers (`.`, `,`, `'` or a space).
        public var thousandsSeparator: String?
        /// Order of day, month and year in numeric dates: `dmy`, `mdy` or `ymd` (ISO dates and
        /// month names such as `15Oct2021` are always understood).
        public var dateOrder: String?
    }

    /// Where the table is and how it is shaped.
    public struct TableLayout: Codable, Sendable {
        /// `rows` (one finding per row), `compound-groups` (a row of group labels above the header:
        /// one group of columns per compound) or `compound-blocks` (one block per compound, each
        /// with its own header).
        public var kind: Kind
        /// Section marker line the table sits under (`[MS Quantitative Results]`); nil: anywhere.
        public var section: String?
        /// Names the header row contains; the first row holding all of them is the header.
        public var header: [String]
        /// `compound-blocks`: the key cell naming the block's compound (`Name` in `Name<TAB>CBD`).
        public var compoundKey: String?
        /// `compound-groups`: regular expression over group labels, capture group 1 is the compound.
        public var compoundGroup: String?
        /// `compound-groups`: group labels to leave out (qualifier ions, internal standards).
        public var skipGroups: String?
        /// Rows to leave out: summary rows such as `Average` or `%RSD`.
        public var skipRows: [RowFilter]?
        /// Roles whose value decides detection: a row whose cells for all of these hold a
        /// not-detected token is a negative finding (`["rt"]`).
        public var detectedWhen: [String]?

        public enum Kind: String, Codable, Sendable {
            case rows, compoundGroups = "compound-groups", compoundBlocks = "compound-blocks"
        }
    }

    /// A row is left out when the cell under one of `columns` matches `matches`.
    public struct RowFilter: Codable, Sendable {
        public var columns: [String]
        public var matches: String
    }

    /// Where each value comes from. Any field may be nil.
    public struct Columns: Codable, Sendable {
        public var sampleID: ColumnRule?
        public var substance: ColumnRule?
        public var detected: ColumnRule?
        public var concentration: ColumnRule?
        public var unit: ColumnRule?
        public var rt: ColumnRule?
        public var mz: ColumnRule?
        public var matchScore: ColumnRule?
        public var analysedOn: ColumnRule?
        public var instrument: ColumnRule?
        public var method: ColumnRule?
        public var sampleType: ColumnRule?
        public var source: ColumnRule?
        public var soldAs: ColumnRule?
        public var collectedOn: ColumnRule?
        public var region: ColumnRule?
        public var colour: ColumnRule?
        public var description: ColumnRule?
    }

    /// A value read from the first of `headers` present in the table (names compared ignoring
    /// case, spaces and punctuation), else from the first of `metadata` keys of the header block.
    /// `pattern`, a regular expression, extracts capture group 1 (an id inside a data-file name).
    /// `numberedBy` makes a sample id for rows that have none: the values of these columns and a
    /// running number (`2020-11-01#3`).
    public struct ColumnRule: Codable, Sendable {
        public var headers: [String]?
        public var metadata: [String]?
        public var pattern: String?
        public var numberedBy: [String]?
    }

    /// Columns standing for substances. `headers` with `substance` name one substance (a flag
    /// column); `headerPattern` takes the substance from capture group 1 of each matching header
    /// (`excluding` leaves class flags out); `list` reads the cell as a list of substances.
    public struct FindingColumn: Codable, Sendable {
        public var headers: [String]?
        public var substance: String?
        public var headerPattern: String?
        public var excluding: String?
        public var list: Bool?
        /// The technique of these findings when it is not the profile's.
        public var technique: String?
    }

    /// The lab's words for values, mapped to DrugCheck's (keys compared ignoring case and spaces).
    public struct ValueMaps: Codable, Sendable {
        public var sampleType: [String: String]?
        public var source: [String: String]?
        public var detected: [String: Bool]?
        public var unit: [String: String]?
        public var substance: [String: String]?
    }

    /// Values used when the file gives none.
    public struct Defaults: Codable, Sendable {
        public var lab: String?
        public var sampleType: String?
        public var source: String?
        public var unit: String?
    }
}
