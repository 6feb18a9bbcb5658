import DrugCheckIngest
import DrugCheckModel
import DrugCheckStore

/// Samples exist before their results: a lab registers them (`drugcheck samples register`,
/// `POST /v1/samples`) with their own fields — type, source, sold-as, collection date, region —
/// and instrument exports, which carry only sample ids and results, attach to them by the lab's
/// sample id.
///
/// Results for an id that is not registered reject the whole file, listing the unknown ids; the
/// lab registers them and imports the file again. A sample is never invented from an instrument
/// export.
enum Registration {
    /// The registered samples of `samples` (results only) with the file's analyses added.
    static func complete(_ samples: [Sample], in batch: any ImportTransaction) throws -> [Sample] {
        var completed: [Sample] = []
        var unknown: [String] = []
        for sample in samples {
            guard var registered = try batch.registeredSample(labCode: sample.labCode, labSampleID: sample.labSampleID) else {
                unknown.append(sample.labSampleID)
                continue
            }
            registered.analyses = sample.analyses
            completed.append(registered)
        }
        guard unknown.isEmpty else { throw rejection(unknown: unknown, lab: samples[0].labCode) }
        return completed
    }

    static func rejection(unknown: [String], lab: String) -> ImportRejection {
        let shown = unknown.prefix(50).map { "'\($0)'" }.joined(separator: ", ")
        let more = unknown.count > 50 ? " and \(unknown.count - 50) more" : ""
        return ImportRejection(line: 0, column: 0, """
            \(unknown.count) sample id\(unknown.count == 1 ? " is" : "s are") not registered for lab \(lab): \(shown)\(more). \
            An instrument export attaches results to registered samples: register them first \
            (`drugcheck samples register MANIFEST --lab \(lab)` or POST /v1/samples), then import this file again.
            """)
    }
}
