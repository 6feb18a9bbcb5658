import DrugCheckIngest
import DrugCheckModel
import DrugCheckStore

/// A lab's correction of results already stored (`drugcheck samples amend LAB/ID --file … --reason …`):
/// the file's results for the named samples become the next version of every current result of
/// the same technique; the earlier versions are kept with who, when, why and from which file, and
/// the amended results wait for verification like any other.
///
/// ```swift
/// let fix = Amendment(samples: [SampleReference(lab: "BE-DCA", sampleID: "DCA-47012")], reason: "wrong vial measured")
/// let result = try pipeline.importFile(at: url, options: ImportOptions(labCode: "BE-DCA"), amending: fix)
/// ```
public struct Amendment: Sendable {
    public var samples: [SampleReference]
    public var reason: String

    public init(samples: [SampleReference], reason: String) {
        self.samples = samples
        self.reason = reason
    }

    /// A file that amends holds results only for the samples named, each already stored.
    func check(_ sample: Sample, line: Int, in batch: any ImportTransaction) throws {
        let named = samples.contains { $0.lab.caseInsensitiveCompare(sample.labCode) == .orderedSame && $0.sampleID == sample.labSampleID }
        guard named else {
            throw ImportRejection(line: line, column: 1, "sample \(sample.labCode)/\(sample.labSampleID) is not one of the samples amended "
                + "(\(samples.map(\.description).joined(separator: ", "))): amend with a file of those samples' results only")
        }
        guard try !batch.sampleIDs(lab: sample.labCode, labSampleID: sample.labSampleID).isEmpty else {
            throw ImportRejection(line: line, column: 1, "sample \(sample.labCode)/\(sample.labSampleID) has no stored results to amend: import the file instead")
        }
    }
}

/// A sample named by its lab and the lab's own id, written `LAB/ID`.
public struct SampleReference: Hashable, Sendable, CustomStringConvertible {
    public var lab: String
    public var sampleID: String

    public init(lab: String, sampleID: String) {
        self.lab = lab
        self.sampleID = sampleID
    }

    /// Reads `LAB/ID` (the id may itself contain `/`).
    public init?(_ text: String) {
        guard let slash = text.firstIndex(of: "/"), slash != text.startIndex, text.index(after: slash) != text.endIndex else { return nil }
        lab = String(text[..<slash])
        sampleID = String(text[text.index(after: slash)...])
    }

    public var description: String { "\(lab)/\(sampleID)" }
}
