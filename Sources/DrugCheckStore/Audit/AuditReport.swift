/// The first place where the hash chain of the audit log does not hold.
public enum ChainProblem: Sendable, Equatable, CustomStringConvertible {
    /// The entry's fields no longer hash to its `content_sha256`.
    case altered(sequence: Int64)
    /// The entry's own hashes were changed (its `entry_sha256` or `previous_sha256`).
    case hashAltered(sequence: Int64)
    /// Entries `from…through` are missing: the next entry links to an entry no longer there.
    case deleted(from: Int64, through: Int64)
    /// The entry is not part of the chain: the entry after it links to the one before it.
    case inserted(sequence: Int64)
    /// The entry stands before `follows`, which the chain says comes before it.
    case reordered(sequence: Int64, follows: Int64)

    public var sequence: Int64 {
        switch self {
        case let .altered(s), let .hashAltered(s), let .inserted(s), let .reordered(s, _): s
        case let .deleted(from, _): from
        }
    }

    public var description: String {
        switch self {
        case let .altered(s): "entry \(s) was altered: its fields no longer match its content hash"
        case let .hashAltered(s): "entry \(s) was altered: its chain hashes were changed"
        case let .deleted(from, through) where from == through: "entry \(from) was deleted: entry \(from + 1) links to an entry that is gone"
        case let .deleted(from, through): "entries \(from) to \(through) were deleted: entry \(through + 1) links to an entry that is gone"
        case let .inserted(s): "entry \(s) was inserted: the entry after it links to the entry before it"
        case let .reordered(s, follows): "entry \(s) is out of order: it continues the chain from entry \(follows), which is numbered after it"
        }
    }
}

/// An import batch whose stored rows do not match the latest digest the audit log holds for it.
public struct BatchProblem: Sendable, Equatable, CustomStringConvertible {
    public var batchID: Int64
    /// The entry holding the latest digest; nil when no entry covers the batch at all.
    public var entrySequence: Int64?

    public init(batchID: Int64, entrySequence: Int64?) {
        self.batchID = batchID
        self.entrySequence = entrySequence
    }

    public var description: String {
        guard let entrySequence else { return "batch \(batchID): no audit entry records its digest (stored outside DrugCheck)" }
        return "batch \(batchID): its stored samples, analyses or findings no longer match the digest of entry \(entrySequence)"
    }
}

/// What ``AuditLog/verify()`` found.
///
/// ```swift
/// let report = try AuditLog(database: db).verify()
/// if !report.isIntact { print(report.chainProblem.map(String.init(describing:)) ?? "", report.batchProblems) }
/// ```
public struct AuditReport: Sendable, Equatable {
    public var entryCount: Int
    public var head: AuditHead?
    /// The first break in the chain, if any (later entries are not judged: after a break they
    /// cannot be trusted either).
    public var chainProblem: ChainProblem?
    /// Every batch whose stored rows no longer match its latest digest.
    public var batchProblems: [BatchProblem]

    public var isIntact: Bool { chainProblem == nil && batchProblems.isEmpty }
}
