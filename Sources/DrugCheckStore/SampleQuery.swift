import DrugCheckModel
import Foundation
import GRDB

/// Filters for listing stored samples.
///
/// ```swift
/// let positives = try SampleQuery(week: ISOWeek("2026-W47"), reportClass: .nitazene).fetch(in: db)
/// ```
public struct SampleQuery: Sendable {
    public var week: ISOWeek?
    public var reportClass: ReportClass?
    public var sampleType: SampleType?
    public var region: String?
    /// Restricts to one lab's samples (lab tokens see only their own raw results).
    public var labCode: String?
    /// Samples with a database id greater than this (cursor pagination), in id order.
    public var afterID: Int64?
    public var limit: Int?
    /// Only samples of this ISO week or later.
    public var fromWeek: ISOWeek?
    /// Only samples with a result in this state (`submitted`: waiting for verification).
    public var status: ResultStatus?
    /// Only the sample with this lab sample id (with ``labCode``, one sample).
    public var labSampleID: String?

    public init(week: ISOWeek? = nil, reportClass: ReportClass? = nil, sampleType: SampleType? = nil, region: String? = nil,
                labCode: String? = nil, afterID: Int64? = nil, limit: Int? = nil, fromWeek: ISOWeek? = nil) {
        self.fromWeek = fromWeek
        self.week = week
        self.reportClass = reportClass
        self.sampleType = sampleType
        self.region = region
        self.labCode = labCode
        self.afterID = afterID
        self.limit = limit
    }

    /// Matching samples with their database ids, ordered by id.
    public func fetchWithIDs(in database: DrugCheckDatabase) throws -> [(id: Int64, sample: StoredSample)] {
        try database.pool.read { db in try fetchWithIDs(from: db, sqlite: true) }
    }

    /// The same from another backend (a PostgreSQL session), one statement at a time.
    public func fetch(from reader: any StoredRowReader) throws -> [StoredSample] {
        try fetchWithIDs(from: reader).map(\.sample)
    }

    /// Matching samples with their database ids from either backend: the SQLite store reads in
    /// one transaction, another backend one statement at a time.
    public func fetchWithIDs(from reader: any StoredRowReader) throws -> [(id: Int64, sample: StoredSample)] {
        if let database = reader as? DrugCheckDatabase { return try fetchWithIDs(in: database) }
        return try fetchWithIDs(from: ReaderRows(reader: reader), sqlite: false)
    }

    private func fetchWithIDs(from source: some RowSource, sqlite: Bool) throws -> [(id: Int64, sample: StoredSample)] {
        let (sql, arguments) = Self.sql(self, sqlite: sqlite)
        let records = try source.fetchAll(SampleRecord.self, sql, arguments)
        return zip(records, try SampleReader.stored(source, records: records)).map { ($0.id!, $1) }
    }

    /// The query in id order, shaped so that a page (`limit`) stops after its matches instead of
    /// first listing every matching sample of the database (seconds on a national one;
    /// migration `sample-filters`). A status without a week walks that status's results in
    /// sample order (index `analysis_status_sample`: a rare state, such as the few results
    /// awaiting verification, is found at once); otherwise the samples are walked (by lab and
    /// week, week, or lab) and a status or class is probed per sample.
    /// `sqlite: false` gives standard SQL (PostgreSQL plans the join itself).
    static func sql(_ q: SampleQuery, sqlite: Bool) -> (String, [DatabaseValue]) {
        var conditions: [String] = []
        var arguments: [DatabaseValue] = []
        func add(_ condition: String, _ values: [any DatabaseValueConvertible] = []) {
            conditions.append(condition)
            arguments += values.map(\.databaseValue)
        }
        let byStatus = q.status != nil && q.week == nil
        if let status = q.status {
            if byStatus {
                add("a.status = ? AND a.superseded_by IS NULL", [status.rawValue])
            } else {
                add("EXISTS (SELECT 1 FROM analysis a WHERE a.status = ? AND a.sample_id = sample.id AND a.superseded_by IS NULL)", [status.rawValue])
            }
        }
        if let week = q.week { add("sample.iso_week = ?", [week.description]) }
        // "YYYY-Www" strings sort as the weeks do.
        if let fromWeek = q.fromWeek { add("sample.iso_week >= ?", [fromWeek.description]) }
        if let sampleType = q.sampleType { add("sample.sample_type = ?", [sampleType.rawValue]) }
        if let region = q.region { add("sample.region = ?", [region]) }
        if let labSampleID = q.labSampleID { add("sample.lab_sample_id = ?", [labSampleID]) }
        if let labCode = q.labCode { add("sample.lab_code = ?", [labCode]) }
        if let afterID = q.afterID { add(byStatus ? "a.sample_id > ?" : "sample.id > ?", [afterID]) }
        if let reportClass = q.reportClass {
            // The column name is the class's raw value (see the v1-core migration).
            add("EXISTS (SELECT 1 FROM sample_classification c WHERE c.sample_id = sample.id AND c.\(reportClass.rawValue))")
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let page = q.limit.map { " LIMIT \($0)" } ?? ""
        if byStatus {
            // One row per sample however many of its results are in the state.
            let (join, key) = sqlite ? ("CROSS JOIN", "a.sample_id") : ("JOIN", "sample.id")
            return ("SELECT sample.* FROM analysis a \(join) sample ON sample.id = a.sample_id\(filter) GROUP BY \(key) ORDER BY \(key)\(page)",
                    arguments)
        }
        return ("SELECT sample.* FROM sample\(filter) ORDER BY sample.id\(page)", arguments)
    }

    public func fetch(in database: DrugCheckDatabase) throws -> [StoredSample] {
        try fetchWithIDs(in: database).map(\.sample)
    }
}

extension StoredRowReader {
    /// One sample by lab and lab sample id.
    public func sample(lab: String, id: String) throws -> StoredSample? {
        var query = SampleQuery(labCode: lab)
        query.labSampleID = id
        return try query.fetchWithIDs(from: self).first?.sample
    }

    /// One sample by its database id, the opaque reference that bulletins use for evidence.
    public func sample(rowID: Int64) throws -> StoredSample? {
        func read(_ source: some RowSource) throws -> StoredSample? {
            let records = try source.fetchAll(SampleRecord.self, "SELECT * FROM sample WHERE id = ?", [rowID.databaseValue])
            return try SampleReader.stored(source, records: records).first
        }
        if let database = self as? DrugCheckDatabase { return try database.pool.read { try read($0) } }
        return try read(ReaderRows(reader: self))
    }
}

extension DrugCheckDatabase {
    /// Catalogue ids of the substances detected in samples of weeks before `week`.
    public func substancesDetected(before week: ISOWeek) throws -> Set<String> {
        try SampleTimeline(reader: self).substancesDetected(before: week)
    }

    /// The latest ISO week that has samples, if any.
    public func latestWeek() throws -> ISOWeek? {
        try SampleTimeline(reader: self).latestWeek()
    }
}

/// When the stored samples were taken and what was detected before a week, read the same on
/// either backend (``StoredRowReader``): what the bulletin triggers ask of the store.
///
/// ```swift
/// let timeline = SampleTimeline(reader: db)          // or a PostgresSession
/// let known = try timeline.substancesDetected(before: ISOWeek("2026-W47")!)
/// ```
public struct SampleTimeline: Sendable {
    public let reader: any StoredRowReader

    public init(reader: any StoredRowReader) {
        self.reader = reader
    }

    /// Catalogue ids of the substances detected in samples of weeks before `week` (from the
    /// maintained `report_substance_week` aggregate, not a scan of the findings).
    public func substancesDetected(before week: ISOWeek) throws -> Set<String> {
        Set(try reader.rows("SELECT DISTINCT substance_id FROM report_substance_week WHERE region = '' AND iso_week < ?",
                            [.text(week.description)]).compactMap { if case let .text(id)? = $0.first { id } else { nil } })
    }

    /// The latest ISO week that has samples, if any.
    public func latestWeek() throws -> ISOWeek? {
        guard case let .text(week)? = try reader.rows("SELECT MAX(iso_week) FROM sample", []).first?.first else { return nil }
        return ISOWeek(week)
    }
}
