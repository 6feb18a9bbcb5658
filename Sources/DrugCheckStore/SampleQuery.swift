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
        try database.pool.read { db in
            var request = SampleRecord.all().order(Column("id"))
            if let week { request = request.filter(Column("iso_week") == week.description) }
            // "YYYY-Www" strings sort as the weeks do.
            if let fromWeek { request = request.filter(Column("iso_week") >= fromWeek.description) }
            if let sampleType { request = request.filter(Column("sample_type") == sampleType.rawValue) }
            if let region { request = request.filter(Column("region") == region) }
            if let labSampleID { request = request.filter(Column("lab_sample_id") == labSampleID) }
            if let labCode { request = request.filter(Column("lab_code") == labCode) }
            if let afterID { request = request.filter(Column("id") > afterID) }
            if let status {
                request = request.filter(sql: "id IN (SELECT sample_id FROM analysis WHERE status = ? AND superseded_by IS NULL)", arguments: [status.rawValue])
            }
            if let reportClass {
                // The column name is the class's raw value (see the v1-core migration).
                request = request.filter(sql: "id IN (SELECT sample_id FROM sample_classification WHERE \(reportClass.rawValue))")
            }
            if let limit { request = request.limit(limit) }
            let records = try request.fetchAll(db)
            return zip(records, try SampleReader.stored(db, records: records)).map { ($0.id!, $1) }
        }
    }

    public func fetch(in database: DrugCheckDatabase) throws -> [StoredSample] {
        try fetchWithIDs(in: database).map(\.sample)
    }
}

extension DrugCheckDatabase {
    /// One sample by lab and lab sample id.
    public func sample(lab: String, id: String) throws -> StoredSample? {
        try pool.read { db in
            try SampleRecord.filter(Column("lab_code") == lab && Column("lab_sample_id") == id).fetchOne(db)
                .map { try SampleReader.stored(db, record: $0) }
        }
    }

    /// One sample by its database id, the opaque reference that bulletins use for evidence.
    public func sample(rowID: Int64) throws -> StoredSample? {
        try pool.read { db in try SampleRecord.fetchOne(db, key: rowID).map { try SampleReader.stored(db, record: $0) } }
    }

    /// Catalogue ids of the substances detected in samples of weeks before `week` (from the
    /// maintained `report_substance_week` aggregate, not a scan of the findings).
    public func substancesDetected(before week: ISOWeek) throws -> Set<String> {
        try pool.read { db in
            Set(try String.fetchAll(db, sql: "SELECT DISTINCT substance_id FROM report_substance_week WHERE region = '' AND iso_week < ?",
                                    arguments: [week.description]))
        }
    }

    /// The latest ISO week that has samples, if any.
    public func latestWeek() throws -> ISOWeek? {
        try pool.read { db in try String.fetchOne(db, sql: "SELECT MAX(iso_week) FROM sample").flatMap(ISOWeek.init) }
    }
}
