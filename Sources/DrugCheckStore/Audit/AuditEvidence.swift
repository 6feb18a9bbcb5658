/// An audit log and the results it covers as another backend holds them, for
/// ``AuditVerifier/verify(_:)-(some AuditEvidence)``: that backend answers the verifier's own
/// queries (``AuditVerifier/entriesSQL``, ``AuditVerifier/importedBatchesSQL``,
/// ``BatchDigest/parts``) with the values as stored, so a copy is verified on its own rows, not
/// on the database it came from.
///
/// ```swift
/// struct Evidence: AuditEvidence {
///     func rows(_ sql: String, argument: Int64?) throws -> [[StoredValue]] { … }   // run sql, every ? bound to argument
/// }
/// let report = try AuditVerifier.verify(Evidence())
/// ```
public protocol AuditEvidence {
    /// The rows of `sql` (SQL both backends run as written, `?` for each placeholder), every
    /// placeholder bound to `argument`; booleans as integers 0 and 1.
    func rows(_ sql: String, argument: Int64?) throws -> [[StoredValue]]
}
