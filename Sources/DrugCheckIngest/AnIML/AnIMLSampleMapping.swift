import DrugCheckModel

/// Maps AnIML parameters named like the findings-CSV columns onto model fields.
enum AnIMLSampleMapping {
    static func field(_ fields: [String: String], _ names: [String]) -> (key: String, value: String)? {
        fields.first { key, _ in
            let last = key.split(separator: "/").last.map { $0.lowercased().replacingOccurrences(of: "_", with: " ") } ?? ""
            return names.contains(last)
        }
    }

    static func sample(id: String, fields: [String: String], options: ImportOptions, file: String, index: Int) throws -> Sample {
        var rest = fields
        func take(_ names: [String]) -> String? {
            guard let hit = field(rest, names) else { return nil }
            rest[hit.key] = nil
            return hit.value
        }
        let lab = take(["lab", "lab code"])
        let labCode: String
        switch (options.labCode, lab) {
        case let (given?, found?) where given != found:
            throw ImportRejection("\(file): sample \(index + 1) names lab \"\(found)\" but --lab is \"\(given)\"")
        case let (given?, _): labCode = given
        case let (nil, found?): labCode = found
        case (nil, nil): throw ImportRejection("\(file): sample \"\(id)\" names no lab (no \"lab\" parameter): pass --lab")
        }
        guard !id.isEmpty else { throw ImportRejection("\(file): sample \(index + 1) has no sampleID: pass --sample") }
        return Sample(labCode: labCode, labSampleID: id,
                      type: take(["sample type"]).flatMap(SampleType.init(rawValue:)) ?? .other,
                      source: take(["source"]).flatMap(SampleSource.init(rawValue:)) ?? .other,
                      soldAs: take(["sold as"]),
                      collectedOn: take(["collected on", "collection date"]).flatMap(CalendarDate.init(iso:)),
                      region: take(["region"]), attributes: rest)
    }

    static func analysis(_ step: AnIMLParseState.Step) -> Analysis {
        let technique = step.fields["technique"].flatMap(Technique.init(rawValue:)) ?? .other
        return Analysis(technique: technique, instrument: step.device, method: step.technique,
                        analysedOn: step.timestamp.flatMap(CalendarDate.init(iso:)))
    }
}
