import DrugCheckModel

extension WeeklyReport {
    /// One class in one stratum. At most one of `sample_type`, `source`, `region`, `lab` is not `all`.
    public struct Cell: Codable, Sendable, Equatable {
        public var reportClass: ReportClass
        /// A `SampleType` raw value, or `all`.
        public var sampleType: String
        /// A `SampleSource` raw value, or `all`.
        public var source: String = WeeklyReport.all
        /// A region, `unknown` when the lab gave none, or `all`.
        public var region: String = WeeklyReport.all
        /// The region's name in the report's language when `region` is a NUTS code; null otherwise.
        public var regionName: String?
        /// A lab code, or `all`.
        public var lab: String = WeeklyReport.all
        /// Samples tested, negatives included, whose results are verified.
        public var tested: Int
        public var positive: Int
        /// Samples with a result still waiting for verification: counted apart, never in `tested`.
        public var provisionalTested: Int = 0
        public var provisionalPositive: Int = 0
        /// `positive / tested`; null when nothing was tested.
        public var prevalence: Double?
        /// 95% Wilson score interval of the prevalence.
        public var ciLow: Double?
        public var ciHigh: Double?
        /// Fewer than 5 samples tested: shown, but read with care.
        public var smallNumber: Bool
        /// Mean prevalence of the previous 4 weeks that had samples.
        public var baselinePrevalence: Double?
        /// `prevalence − baseline_prevalence` (0.05 = five percentage points up).
        public var changeVsBaseline: Double?
        /// Positive samples flagged unexpected: sold as a non-opioid (or a vape refill / e-liquid) and found to contain a synthetic opioid.
        public var unexpected: Int = 0
        /// Median concentration of this class's substances where quantified, in `concentration_unit`
        /// (the unit most findings of the cell were reported in).
        public var medianConcentration: Double?
        public var concentrationUnit: String?
        /// Findings behind `median_concentration`.
        public var quantified: Int = 0
        /// Catalogue ids of this class's substances detected for the first time in the jurisdiction this week.
        public var firstSeen: [String] = []
        /// Catalogue id of the most potent substance of this class seen in the cell (relative potency to morphine).
        public var highestPotencySubstance: String?
        /// EARS C1/C2/C3 and CUSUM on the weekly positive counts; only for the class totals and per region.
        public var signals: CellSignals?

        enum CodingKeys: String, CodingKey {
            case reportClass = "class", sampleType = "sample_type", source, region, regionName = "region_name", lab, tested, positive, prevalence
            case provisionalTested = "provisional_tested", provisionalPositive = "provisional_positive"
            case ciLow = "ci_low", ciHigh = "ci_high", smallNumber = "small_number"
            case baselinePrevalence = "baseline_prevalence", changeVsBaseline = "change_vs_baseline", unexpected
            case medianConcentration = "median_concentration", concentrationUnit = "concentration_unit", quantified
            case firstSeen = "first_seen", highestPotencySubstance = "highest_potency_substance", signals
        }

        public init(reportClass: ReportClass, sampleType: String, tested: Int, positive: Int) {
            self.reportClass = reportClass
            self.sampleType = sampleType
            self.tested = tested
            self.positive = positive
            (prevalence, ciLow, ciHigh) = WilsonInterval.prevalence(positive: positive, tested: tested)
            smallNumber = tested < WeeklyReport.smallNumberThreshold
        }

        /// The stratum as `dimension=value`, e.g. `region=Vienna`, or `all`.
        public var stratum: String {
            if sampleType != WeeklyReport.all { return "sample_type=\(sampleType)" }
            if source != WeeklyReport.all { return "source=\(source)" }
            if region != WeeklyReport.all { return "region=\(region)" + (regionName.map { " (\($0))" } ?? "") }
            if lab != WeeklyReport.all { return "lab=\(lab)" }
            return WeeklyReport.all
        }

        public func encode(to encoder: Encoder) throws {
            // Every key is written, null included, so consumers see a fixed shape.
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(reportClass, forKey: .reportClass)
            try c.encode(sampleType, forKey: .sampleType)
            try c.encode(source, forKey: .source)
            try c.encode(region, forKey: .region)
            try c.encode(regionName, forKey: .regionName)
            try c.encode(lab, forKey: .lab)
            try c.encode(tested, forKey: .tested)
            try c.encode(positive, forKey: .positive)
            try c.encode(provisionalTested, forKey: .provisionalTested)
            try c.encode(provisionalPositive, forKey: .provisionalPositive)
            try c.encode(prevalence, forKey: .prevalence)
            try c.encode(ciLow, forKey: .ciLow)
            try c.encode(ciHigh, forKey: .ciHigh)
            try c.encode(smallNumber, forKey: .smallNumber)
            try c.encode(baselinePrevalence, forKey: .baselinePrevalence)
            try c.encode(changeVsBaseline, forKey: .changeVsBaseline)
            try c.encode(unexpected, forKey: .unexpected)
            try c.encode(medianConcentration, forKey: .medianConcentration)
            try c.encode(concentrationUnit, forKey: .concentrationUnit)
            try c.encode(quantified, forKey: .quantified)
            try c.encode(firstSeen, forKey: .firstSeen)
            try c.encode(highestPotencySubstance, forKey: .highestPotencySubstance)
            try c.encode(signals, forKey: .signals)
        }
    }
}
