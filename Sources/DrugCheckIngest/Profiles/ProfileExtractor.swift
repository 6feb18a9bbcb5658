import DrugCheckModel
import Foundation

/// Reads samples and findings from a lab export with one profile: takes each value from the
/// columns (or header-block keys) the profile names, applies its not-detected tokens, number and
/// date conventions and value maps, and keeps substance names as the lab wrote them.
///
/// ```swift
/// let extraction = try ProfileExtractor(profile: profile, options: ImportOptions(labCode: "BE-NICC"))
///     .extract(document, reason: "chosen with --profile")
/// print(extraction.findings.count)
/// ```
public struct ProfileExtractor: Sendable {
    public let profile: ImportProfile
    public let options: ImportOptions
    let values: ProfileValues

    public init(profile: ImportProfile, options: ImportOptions = ImportOptions()) {
        self.profile = profile
        self.options = options
        values = ProfileValues(profile)
    }

    /// Reads `document`, split as the profile's fingerprint matched it (``ProfileChooser/Match``).
    public func extract(_ document: ProfileDocument, reason: String) throws -> ProfileExtraction {
        let table = try ProfileTableScanner(profile: profile).scan(document)
        guard let headerLine = table.headerLine else {
            throw ImportRejection("no table with the columns \(profile.table.header.joined(separator: ", ")) was found (profile \(profile.name))")
        }
        let substanceColumns = try FindingColumns(profile: profile, header: table.header)
        var result = ProfileExtraction(profile: profile.name, vendor: profile.vendor, reason: reason, samples: [], findings: [], notes: [])
        var seenSamples: Set<String> = []
        var numbering: [String: Int] = [:]
        var negativeAmounts = 0
        for row in table.rows {
            let sampleID = try sampleID(of: row, numbering: &numbering, headerLine: headerLine)
            if seenSamples.insert(sampleID).inserted { result.samples.append(sample(sampleID, row)) }
            let instrument = value(profile.columns.instrument, row)
            let analysis = (technique: try technique(instrument: instrument), instrument: instrument,
                            method: value(profile.columns.method, row),
                            analysedOn: value(profile.columns.analysedOn, row).flatMap(values.date)?.description)
            func finding(_ substance: String, detected: Bool, technique: String? = nil) -> ProfileFinding {
                ProfileFinding(sampleID: sampleID, substance: substance, detected: detected, concentration: nil, unit: nil,
                               rtMin: nil, mz: nil, matchScore: nil, technique: technique ?? analysis.technique,
                               instrument: analysis.instrument, method: analysis.method, analysedOn: analysis.analysedOn, line: row.line)
            }
            if let substance = (row.compound ?? value(profile.columns.substance, row)).map(substanceName), !substance.isEmpty {
                var measured = finding(substance, detected: detected(row))
                if measured.detected {
                    measured.concentration = value(profile.columns.concentration, row).flatMap(values.number)
                    if let amount = measured.concentration, amount < 0 { measured.concentration = nil; negativeAmounts += 1 }
                    measured.unit = value(profile.columns.unit, row) ?? profile.defaults?.unit
                    measured.rtMin = value(profile.columns.rt, row).flatMap(values.number)
                    measured.mz = value(profile.columns.mz, row).flatMap(values.number)
                    measured.matchScore = value(profile.columns.matchScore, row).flatMap(values.number)
                }
                result.findings.append(measured)
            }
            for (substance, detected, technique) in substanceColumns.findings(in: row, detect: detectedWord, map: substanceName) {
                result.findings.append(finding(substance, detected: detected, technique: technique))
            }
        }
        if negativeAmounts > 0 {
            result.notes.append("\(negativeAmounts) negative amount(s) (below the calibration) were left out; the findings are kept")
        }
        return result
    }

    /// The value of a column rule in a row: the first non-empty cell among its headers, else the
    /// first header-block key, then the rule's pattern applied (capture group 1).
    func value(_ rule: ImportProfile.ColumnRule?, _ row: ProfileRow) -> String? {
        guard let rule else { return nil }
        let cell = (rule.headers ?? []).lazy.compactMap { row.cells[ProfileValues.key($0)]?.value }.first { !$0.isEmpty }
        let meta = (rule.metadata ?? []).lazy.compactMap { row.metadata[ProfileValues.key($0)] }.first { !$0.isEmpty }
        guard let raw = cell ?? meta else { return nil }
        guard let pattern = rule.pattern, let regex = try? NSRegularExpression(pattern: pattern) else { return raw }
        return regex.firstCapture(in: raw) ?? raw
    }

    func sampleID(of row: ProfileRow, numbering: inout [String: Int], headerLine: Int) throws -> String {
        if let id = value(profile.columns.sampleID, row) { return id }
        if let keys = profile.columns.sampleID?.numberedBy {
            let stem = keys.map { value(.init(headers: [$0]), row) ?? "" }.joined(separator: "-")
            numbering[stem, default: 0] += 1
            return "\(stem)#\(numbering[stem]!)"
        }
        if let given = options.sampleID { return given }
        throw ImportRejection(line: row.line, column: 1,
                              "no sample id: the row has no \((profile.columns.sampleID?.headers ?? ["sample id"]).joined(separator: " or ")) value and the file names none; give --sample ID")
    }

    func detected(_ row: ProfileRow) -> Bool {
        if let text = value(profile.columns.detected, row) { return detectedWord(text) ?? !values.isNotDetected(text) }
        guard let roles = profile.table.detectedWhen, !roles.isEmpty else { return true }
        return roles.contains { role in
            guard let rule = Self.rule(named: role, in: profile.columns), let text = value(rule, row) else { return false }
            return !values.isNotDetected(text)
        }
    }

    /// The profile's word for detected or not (`trace`, `Positive`…), else yes/no, true/false, 1/0.
    func detectedWord(_ text: String) -> Bool? {
        if let mapped = profile.valueMaps?.detected?.first(where: { ProfileValues.key($0.key) == ProfileValues.key(text) }) {
            return mapped.value
        }
        if let number = values.number(text), number == 0 || number == 1 { return number == 1 }
        return FieldParsers.bool(text)
    }

    func substanceName(_ written: String) -> String {
        profile.valueMaps?.substance?.first { ProfileValues.key($0.key) == ProfileValues.key(written) }?.value ?? written
    }

    func technique(instrument: String?) throws -> String {
        if let instrument, let rules = profile.techniqueByInstrument {
            for (pattern, technique) in rules.sorted(by: { $0.key < $1.key }) where try NSRegularExpression(pattern: pattern).matches(instrument) {
                return technique
            }
        }
        return profile.technique
    }

    func sample(_ id: String, _ row: ProfileRow) -> ProfileSample {
        let c = profile.columns
        return ProfileSample(sampleID: id, sampleType: value(c.sampleType, row), source: value(c.source, row), soldAs: value(c.soldAs, row),
                             collectedOn: value(c.collectedOn, row).flatMap(values.date)?.description, region: value(c.region, row),
                             colour: value(c.colour, row), description: value(c.description, row), line: row.line)
    }

    static func rule(named role: String, in columns: ImportProfile.Columns) -> ImportProfile.ColumnRule? {
        switch role {
        case "rt": columns.rt
        case "concentration": columns.concentration
        case "mz": columns.mz
        case "matchScore": columns.matchScore
        default: nil
        }
    }
}
