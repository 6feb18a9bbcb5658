/// What an API caller may do.
///
/// - `lab`: import its own lab's results and read its own lab's raw samples and batches.
/// - `ministry`: aggregated reports over all labs, no raw submitter data.
/// - `subscriber`: published bulletins and their feed.
/// - `reviewer`: approve bulletins (and read what they approve from).
/// - `verifier`: verify or reject labs' imported results (never results they imported themselves).
/// - `admin`: labs, users and tokens.
///
/// ```swift
/// let role = Role(rawValue: "ministry")   // .ministry
/// ```
public enum Role: String, Codable, CaseIterable, Sendable {
    case lab, ministry, subscriber, reviewer, verifier, admin
}
