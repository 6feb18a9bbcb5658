@_exported import DrugCheckModel

/// The weekly prevalence report: per substance class and sample type, how many samples were
/// tested and how many were positive.
///
/// JSON shape (later versions add fields, never remove or rename them):
/// `{"week": "2026-W47", "cells": [{"class": "nitazene", "sample_type": "vape_refill", "tested": 12, "positive": 3, "prevalence": 0.25}]}`
/// with `"all"` for a stratum summed over.
public struct WeeklyReport: Codable, Sendable, Equatable {
    public var week: ISOWeek
    public var cells: [Cell]

    public struct Cell: Codable, Sendable, Equatable {
        public var reportClass: ReportClass
        /// A `SampleType` raw value, or `all`.
        public var sampleType: String
        /// Samples tested, negatives included.
        public var tested: Int
        public var positive: Int
        /// `positive / tested`; null when nothing was tested.
        public var prevalence: Double?

        enum CodingKeys: String, CodingKey {
            case reportClass = "class", sampleType = "sample_type", tested, positive, prevalence
        }

        public init(reportClass: ReportClass, sampleType: String, tested: Int, positive: Int) {
            self.reportClass = reportClass
            self.sampleType = sampleType
            self.tested = tested
            self.positive = positive
            prevalence = tested > 0 ? Double(positive) / Double(tested) : nil
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(reportClass, forKey: .reportClass)
            try c.encode(sampleType, forKey: .sampleType)
            try c.encode(tested, forKey: .tested)
            try c.encode(positive, forKey: .positive)
            try c.encode(prevalence, forKey: .prevalence) // explicit null, not omitted
        }
    }

    public init(week: ISOWeek, cells: [Cell]) {
        self.week = week
        self.cells = cells
    }

    public func cell(_ reportClass: ReportClass, sampleType: String = "all") -> Cell? {
        cells.first { $0.reportClass == reportClass && $0.sampleType == sampleType }
    }
}
