import DrugCheckModel

/// One row of the findings CSV: the sample's own fields, the analysis and the finding it reports
/// (neither in a registration manifest).
struct FindingsRow {
    var sample: Sample
    var analysis: Analysis?
    var finding: Finding?
    var line: Int
}

/// Parses the rows of the findings CSV, checking every value. Rows of several labs are accepted
/// unless the importer is a lab (`ImportOptions.labCode`), whose file may hold only its own rows.
struct FindingsRowParser {
    let columns: HeaderMap
    let options: ImportOptions
    private var reportedForeignLab = false

    init(columns: HeaderMap, options: ImportOptions) {
        self.columns = columns
        self.options = options
    }

    /// One row's view: field lookup plus problem reporting at the field's position.
    private struct Row {
        let fields: [CSVField]
        let columns: HeaderMap
        var problems: [ImportProblem] = []

        func field(_ c: FindingsCSVColumn) -> CSVField? { columns.index[c].map { fields[$0] } }

        /// Trimmed text, nil when the column is absent or the cell empty.
        func text(_ c: FindingsCSVColumn) -> String? {
            guard let v = field(c)?.value.trimmed, !v.isEmpty else { return nil }
            return v
        }

        mutating func fail(_ c: FindingsCSVColumn, _ message: String) {
            let f = field(c) ?? fields[0]
            problems.append(ImportProblem(line: f.line, column: f.column, message: "\(c.rawValue): \(message)"))
        }

        // `expected` is only built for a value that fails: building it for every row was a tenth of the reading time.
        mutating func parse<T>(_ c: FindingsCSVColumn, expected: @autoclosure () -> String, _ parser: (String) -> T?) -> T? {
            guard let t = text(c) else { return nil }
            guard let value = parser(t) else {
                fail(c, "'\(t)' is not \(expected())")
                return nil
            }
            return value
        }

        mutating func require<T>(_ c: FindingsCSVColumn, expected: @autoclosure () -> String, _ parser: (String) -> T?) -> T? {
            guard text(c) != nil else {
                fail(c, "missing value: expected \(expected())")
                return nil
            }
            return parse(c, expected: expected(), parser)
        }
    }

    /// The row, or nil when it has problems (added to `problems`).
    mutating func parse(record: [CSVField], headerCount: Int, problems: inout ProblemList) -> FindingsRow? {
        guard record.count == headerCount else {
            let f = record[0]
            problems.add(.init(line: f.line, column: 1, message: "expected \(headerCount) fields as in the header, found \(record.count)"))
            return nil
        }
        var row = Row(fields: record, columns: columns)
        let parsed = parseRow(&row)
        row.problems.forEach { problems.add($0) }
        guard row.problems.isEmpty, let (sample, analysis, finding) = parsed else { return nil }
        return FindingsRow(sample: sample, analysis: analysis, finding: finding, line: record[0].line)
    }

    private mutating func parseRow(_ row: inout Row) -> (Sample, Analysis?, Finding?)? {
        let sample = parseSample(&row)
        guard options.expecting == .results else { return sample.map { ($0, nil, nil) } }
        // Parsed even when the sample fields failed, so the row's every problem is listed.
        let result = parseResult(&row)
        guard let sample, let (analysis, finding) = result else { return nil }
        return (sample, analysis, finding)
    }

    /// The sample's own fields; the collection date is required of results, not of a manifest.
    private mutating func parseSample(_ row: inout Row) -> Sample? {
        let lab = resolveLab(&row)
        let sampleID = row.text(.sampleID)
        if sampleID == nil { row.fail(.sampleID, "missing value: expected the lab's sample id") }
        let type = row.require(.sampleType, expected: "one of \(SampleType.allCases.map(\.rawValue).joined(separator: ", "))") {
            FieldParsers.enumValue($0, SampleType.self, aliases: FieldParsers.sampleTypeAliases)
        }
        let source = row.parse(.source, expected: "one of \(SampleSource.allCases.map(\.rawValue).joined(separator: ", "))") {
            FieldParsers.enumValue($0, SampleSource.self, aliases: FieldParsers.sourceAliases)
        } ?? .other
        let collectedExpected = "a date as yyyy-mm-dd or dd/mm/yyyy"
        let collected = options.expecting == .results
            ? row.require(.collectedOn, expected: collectedExpected, FieldParsers.date)
            : row.parse(.collectedOn, expected: collectedExpected, FieldParsers.date)
        guard row.problems.isEmpty, let lab, let sampleID, let type else { return nil }
        var attributes: [String: String] = [:]
        for (index, name) in columns.extra where !row.fields[index].value.trimmed.isEmpty {
            attributes[name] = row.fields[index].value.trimmed
        }
        let description = ProductDescription(brand: row.text(.brand), flavour: row.text(.flavour), colour: row.text(.colour),
                                             logo: row.text(.logo), text: row.text(.description))
        return Sample(labCode: lab, labSampleID: sampleID, type: type, source: source, soldAs: row.text(.soldAs),
                      description: description, collectedOn: collected, region: row.text(.region),
                      seizureContext: row.text(.seizureContext), attributes: attributes)
    }

    /// The analysis and finding a results row reports.
    private func parseResult(_ row: inout Row) -> (Analysis, Finding?)? {
        let technique = row.parse(.technique, expected: "one of \(Technique.allCases.map(\.rawValue).joined(separator: ", "))") {
            FieldParsers.enumValue($0, Technique.self, aliases: FieldParsers.techniqueAliases)
        } ?? .other
        let analysed = row.parse(.analysedOn, expected: "a date as yyyy-mm-dd or dd/mm/yyyy", FieldParsers.date)
        let detected = row.require(.detected, expected: "true/false, yes/no, 1/0, ja/nee or oui/non", FieldParsers.bool)
        let concentration = row.parse(.concentration, expected: "a number", FieldParsers.number)
        let unit = row.parse(.unit, expected: "one of \(ConcentrationUnit.allCases.map(\.rawValue).joined(separator: ", "))") {
            FieldParsers.enumValue($0, ConcentrationUnit.self, aliases: FieldParsers.unitAliases)
        }
        if concentration != nil, unit == nil, row.text(.unit) == nil { row.fail(.unit, "missing value: a concentration needs its unit") }
        if let c = concentration, c < 0 { row.fail(.concentration, "'\(c)' is negative: expected a concentration ≥ 0") }
        let rt = row.parse(.rtMin, expected: "a retention time in minutes", FieldParsers.number)
        let mz = row.parse(.mz, expected: "an m/z value", FieldParsers.number)
        let score = row.parse(.matchScore, expected: "a number", FieldParsers.number)
        let substance = row.text(.substance)
        if substance == nil, detected == true { row.fail(.substance, "missing value: a detected finding needs the substance name") }

        guard row.problems.isEmpty, let detected else { return nil }
        let analysis = Analysis(technique: technique, instrument: row.text(.instrument), method: row.text(.method), analysedOn: analysed)
        let finding = substance.map { name in
            Finding(reportedName: name, detected: detected, concentration: concentration.flatMap { c in unit.map { Concentration(value: c, unit: $0) } },
                    retentionTimeMinutes: rt, mz: mz, matchScore: score)
        }
        return (analysis, finding)
    }

    /// The lab comes from the `lab` column or `--lab`; a lab's file holds only its own results.
    private mutating func resolveLab(_ row: inout Row) -> String? {
        let code = row.text(.lab) ?? options.labCode
        guard let code else {
            row.fail(.lab, "missing value: expected the lab code (or give it with --lab)")
            return nil
        }
        if let given = options.labCode, given.caseInsensitiveCompare(code) != .orderedSame {
            // Said once for the file, not once per row.
            if !reportedForeignLab { row.fail(.lab, "the file belongs to lab '\(code)', not '\(given)': a lab imports only its own results") }
            reportedForeignLab = true
            return nil
        }
        return code
    }
}

/// Groups finding rows into samples and analyses, checking that rows of the same sample agree on
/// the sample's own fields.
struct SubmissionBuilder {
    private(set) var samples: [Sample] = []
    private var sampleIndex: [SampleKey: Int] = [:]
    private var firstLine: [SampleKey: Int] = [:]

    mutating func add(_ row: FindingsRow, problems: inout ProblemList) {
        let key = SampleKey(row.sample)
        guard let i = sampleIndex[key] else {
            sampleIndex[key] = samples.count
            firstLine[key] = row.line
            samples.append(SampleMerge.start(row))
            return
        }
        SampleMerge.add(row, to: &samples[i], firstLine: firstLine[key]!, problems: &problems)
    }
}

/// A sample's identity: its lab and the lab's sample id.
struct SampleKey: Hashable {
    var lab: String
    var id: String

    init(_ sample: Sample) {
        lab = sample.labCode
        id = sample.labSampleID
    }
}

/// Adding a row to the sample its earlier rows started.
enum SampleMerge {
    static func start(_ row: FindingsRow) -> Sample {
        var new = row.sample
        if var analysis = row.analysis {
            if let finding = row.finding { analysis.findings = [finding] }
            new.analyses = [analysis]
        }
        return new
    }

    static func add(_ row: FindingsRow, to existing: inout Sample, firstLine first: Int, problems: inout ProblemList) {
        let (sample, analysis, finding, line) = (row.sample, row.analysis, row.finding, row.line)
        guard let analysis else {
            problems.add(.init(line: line, column: 1, message: "sample '\(sample.labSampleID)' is registered twice, also on line \(first): a manifest lists each sample once"))
            return
        }
        for (name, earlier, given) in existing.disagreements(with: sample) {
            problems.add(.init(line: line, column: 1, message: "sample '\(sample.labSampleID)': \(name) '\(given)' differs from '\(earlier)' on line \(first)"))
        }
        if let j = existing.analyses.firstIndex(where: { $0.sameRun(as: analysis) }) {
            if let finding { existing.analyses[j].findings.append(finding) }
        } else {
            var new = analysis
            if let finding { new.findings = [finding] }
            existing.analyses.append(new)
        }
        existing.attributes.merge(sample.attributes) { old, _ in old }
    }
}
