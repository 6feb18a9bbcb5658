import DrugCheckClassify
import DrugCheckModel
import DrugCheckStore
import Foundation

/// The second person's step: results imported as `submitted` are verified (they then count in
/// reports, in place of the version they amend) or rejected with a reason (they then count
/// nowhere; an earlier verified version counts on), by someone who did not import
/// them (the four-eyes rule). The sample is classified again from its counted results at once.
///
/// ```swift
/// let step = ResultVerification(database: db, classifier: SampleClassifier(catalogue: .bundled))
/// let outcomes = try step.decide([("BE-DCA", "DCA-36001")], .verify, by: "an.peeters")
/// ```
///
/// The same steps run on PostgreSQL (`ResultVerification(store: postgresSession, …)`), through
/// ``StatementTransaction``.
public struct ResultVerification: Sendable {
    public let store: any StoredRowWriter
    public let classifier: SampleClassifier

    public init(store: any StoredRowWriter, classifier: SampleClassifier) {
        self.store = store
        self.classifier = classifier
    }

    public init(database: DrugCheckDatabase, classifier: SampleClassifier) {
        self.init(store: database, classifier: classifier)
    }

    public enum Decision: Sendable {
        case verify
        case reject(reason: String)
    }

    /// What became of one sample's pending results.
    public struct Outcome: Codable, Sendable {
        public var lab: String
        public var sampleID: String
        /// Results decided now.
        public var decided: Int
        /// Why nothing was decided (unknown sample, nothing pending, the verifier imported it).
        public var refused: String?
    }

    /// Samples decided in one transaction. Each decision changes its import batch, and the audit
    /// entry recording it carries the batch's new digest, which hashes the whole batch: computed
    /// once per group instead of once per sample, verifying a 100,000-row batch is linear, not
    /// quadratic (BENCHMARKS.md, "Verification on both backends"), and the writer is never held long.
    public var samplesPerTransaction = 250

    /// Decides every pending result of each sample. A refusal (unknown sample, nothing pending,
    /// the verifier imported it) holds back no other sample; the decisions are committed in groups
    /// of ``samplesPerTransaction``, each sample with its own audit entry.
    public func decide(_ samples: [(lab: String, sampleID: String)], _ decision: Decision, by verifier: String,
                       at now: Date = Date()) throws -> [Outcome] {
        let v: Verification = switch decision {
        case .verify: Verification(status: .verified, verifiedBy: verifier, at: now)
        case .reject(let reason): Verification(status: .rejected, verifiedBy: verifier, at: now, reason: reason)
        }
        var outcomes: [Outcome] = []
        for start in stride(from: 0, to: samples.count, by: samplesPerTransaction) {
            let group = samples[start..<min(samples.count, start + samplesPerTransaction)]
            outcomes += try StatementTransaction.write(on: store) { tx in
                let decided = try group.map { try decide($0, v, by: verifier, in: tx) }
                // Entries after every decision of the group: the first records the digests of the
                // batches as the group leaves them (``AuditVerifier`` compares the latest one).
                for outcome in decided where outcome.refused == nil {
                    try tx.recordAudit(.verification, subject: "\(outcome.lab)/\(outcome.sampleID)", actor: verifier, details: [
                        "decision": v.status.rawValue, "results": String(outcome.decided), "reason": v.reason ?? "",
                    ])
                }
                return decided
            }
        }
        return outcomes
    }

    /// Decides one sample's pending results in `tx`, or says why not.
    private func decide(_ ref: (lab: String, sampleID: String), _ v: Verification, by verifier: String,
                        in tx: any SampleTransaction) throws -> Outcome {
        guard let id = try tx.sampleIDs(lab: ref.lab, labSampleID: ref.sampleID).first else {
            return Outcome(lab: ref.lab, sampleID: ref.sampleID, decided: 0, refused: "no such sample")
        }
        let pending = try tx.pendingResults(ofSample: id)
        guard !pending.isEmpty else {
            return Outcome(lab: ref.lab, sampleID: ref.sampleID, decided: 0, refused: "no result waits for verification")
        }
        if let own = pending.first(where: { $0.importedBy?.caseInsensitiveCompare(verifier) == .orderedSame }) {
            return Outcome(lab: ref.lab, sampleID: ref.sampleID, decided: 0, refused:
                "\(verifier) imported the \(own.technique) result: a second person verifies it (four-eyes rule)")
        }
        for result in pending { try tx.decide(analysisID: result.analysisID, v) }
        try tx.refreshVersions(ofSample: id)
        try tx.reclassify(id, with: classifier.classification(of:))
        return Outcome(lab: ref.lab, sampleID: ref.sampleID, decided: pending.count, refused: nil)
    }

    /// Samples of `lab` (or all) with a result waiting for verification, the first `limit` of them in key order.
    public func pending(lab: String?, limit: Int? = nil) throws -> [(lab: String, sampleID: String)] {
        try StatementTransaction.write(on: store) { try $0.samplesWithPendingResults(lab: lab, limit: limit) }
    }
}
