import DrugCheckModel
import Foundation

/// Turns a profile's extraction into a ``Submission``: findings grouped into analyses (technique,
/// instrument, method, date), units and sample words mapped through the profile's value maps to
/// DrugCheck's, substance names kept as written (the catalogue resolves them later).
///
/// ```swift
/// let submission = ProfileSubmission(profile: profile, lab: "BE-NICC").submission(from: extraction)
/// ```
struct ProfileSubmission {
    let profile: ImportProfile
    let lab: String

    func submission(from extraction: ProfileExtraction) -> Submission {
        var notes = extraction.notes
        var unknownUnits: Set<String> = []
        var unknownWords: Set<String> = []
        var findingsBySample: [String: [ProfileFinding]] = [:]
        for finding in extraction.findings { findingsBySample[finding.sampleID, default: []].append(finding) }
        let registered = profile.resultsForRegisteredSamples
        let samples = extraction.samples.map { written -> Sample in
            var sample = Sample(labCode: lab, labSampleID: written.sampleID, type: .other)
            if !registered {
                sample.type = mapped(written.sampleType ?? profile.defaults?.sampleType, profile.valueMaps?.sampleType,
                                     aliases: FieldParsers.sampleTypeAliases, unknown: &unknownWords) ?? .other
                sample.source = mapped(written.source ?? profile.defaults?.source, profile.valueMaps?.source,
                                       aliases: FieldParsers.sourceAliases, unknown: &unknownWords) ?? .other
                sample.soldAs = written.soldAs
                sample.collectedOn = written.collectedOn.flatMap { CalendarDate(iso: $0) }
                sample.region = written.region
                sample.description = ProductDescription(colour: written.colour, text: written.description)
            }
            var analyses: [Analysis] = []
            for finding in findingsBySample[written.sampleID] ?? [] {
                let run = Analysis(technique: technique(finding.technique), instrument: finding.instrument, method: finding.method,
                                   analysedOn: finding.analysedOn.flatMap { CalendarDate(iso: $0) })
                let index = analyses.firstIndex { $0.sameRun(as: run) } ?? { analyses.append(run); return analyses.count - 1 }()
                analyses[index].findings.append(Finding(
                    reportedName: finding.substance, detected: finding.detected,
                    concentration: concentration(finding, unknownUnits: &unknownUnits),
                    retentionTimeMinutes: finding.rtMin, mz: finding.mz, matchScore: finding.matchScore))
            }
            sample.analyses = analyses
            return sample
        }
        if !unknownUnits.isEmpty {
            notes.append("amounts in \(unknownUnits.sorted().joined(separator: ", ")) are not a unit DrugCheck stores (%w/w, mg/mL, mg/unit, ng/mL): "
                         + "those findings are kept without their amount; map the unit in the profile's valueMaps.unit")
        }
        if !unknownWords.isEmpty {
            notes.append("sample type/source words not mapped (stored as 'other'): \(unknownWords.sorted().joined(separator: ", "))")
        }
        return Submission(format: .labExport, samples: samples, notes: notes, resultsForRegisteredSamples: registered)
    }

    func concentration(_ finding: ProfileFinding, unknownUnits: inout Set<String>) -> Concentration? {
        guard let value = finding.concentration else { return nil }
        guard let written = finding.unit, !written.isEmpty else { unknownUnits.insert("(no unit)"); return nil }
        var ignored: Set<String> = []
        guard let unit: ConcentrationUnit = mapped(written, profile.valueMaps?.unit, aliases: FieldParsers.unitAliases, unknown: &ignored) else {
            unknownUnits.insert("'\(written)'")
            return nil
        }
        return Concentration(value: value, unit: unit)
    }

    func technique(_ written: String) -> Technique {
        FieldParsers.enumValue(written, Technique.self, aliases: FieldParsers.techniqueAliases) ?? .other
    }

    /// A lab's word through the profile's map (keys compared ignoring case and punctuation), then
    /// DrugCheck's own names and aliases. Nil (and noted) when neither knows it.
    func mapped<E: RawRepresentable & CaseIterable>(_ word: String?, _ map: [String: String]?, aliases: [String: E],
                                                     unknown: inout Set<String>) -> E? where E.RawValue == String {
        guard let word, !word.trimmed.isEmpty else { return nil }
        let target = map?.first { ProfileValues.key($0.key) == ProfileValues.key(word) }?.value ?? word
        if let value = FieldParsers.enumValue(target, E.self, aliases: aliases) { return value }
        unknown.insert(word)
        return nil
    }
}
