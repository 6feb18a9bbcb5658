import DrugCheckModel

extension WeeklyReport {
    /// The four aberration-detection methods at the report week, on the weekly positive counts
    /// of a class (in all samples or one region) over the weeks up to and including it.
    public struct CellSignals: Codable, Sendable, Equatable {
        /// One method's verdict: `upperbound` and `alarm` are null where the method has too
        /// little history (or R would give NA).
        public struct Outcome: Codable, Sendable, Equatable {
            public var upperbound: Double?
            public var alarm: Bool?

            public init(_ point: SignalPoint?) {
                upperbound = point?.upperbound
                alarm = point?.alarm
            }

            public func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(upperbound, forKey: .upperbound)
                try c.encode(alarm, forKey: .alarm)
            }
        }

        /// Weeks in the series the methods ran on (the report week is the last).
        public var seriesWeeks: Int
        public var earsC1: Outcome
        public var earsC2: Outcome
        public var earsC3: Outcome
        public var cusum: Outcome

        enum CodingKeys: String, CodingKey {
            case seriesWeeks = "series_weeks", earsC1 = "ears_c1", earsC2 = "ears_c2", earsC3 = "ears_c3", cusum
        }

        /// Runs every method over `counts` (oldest first) and keeps the last week.
        public init(counts: [Double]) {
            seriesWeeks = counts.count
            earsC1 = Outcome(SignalMethod.earsC1.evaluate(counts).last)
            earsC2 = Outcome(SignalMethod.earsC2.evaluate(counts).last)
            earsC3 = Outcome(SignalMethod.earsC3.evaluate(counts).last)
            cusum = Outcome(SignalMethod.cusum.evaluate(counts).last)
        }

        /// The methods that alarm, in `SignalMethod` order.
        public var alarming: [SignalMethod] {
            zip(SignalMethod.allCases, [earsC1, earsC2, earsC3, cusum]).filter { $0.1.alarm == true }.map(\.0)
        }
    }

    /// A class × region (or all regions) whose positive count alarmed this week, for the bulletin stage.
    public struct Alarm: Codable, Sendable, Equatable {
        public var reportClass: ReportClass
        public var region: String
        public var observed: Int
        public var methods: [SignalMethod]

        public init(reportClass: ReportClass, region: String, observed: Int, methods: [SignalMethod]) {
            self.reportClass = reportClass
            self.region = region
            self.observed = observed
            self.methods = methods
        }

        enum CodingKeys: String, CodingKey {
            case reportClass = "class", region, observed, methods
        }
    }

    /// One week of a class's prevalence over all samples, for the trend chart.
    public struct TrendPoint: Codable, Sendable, Equatable {
        public var week: ISOWeek
        public var reportClass: ReportClass
        public var tested: Int
        public var positive: Int
        public var prevalence: Double?
        public var ciLow: Double?
        public var ciHigh: Double?

        public init(week: ISOWeek, reportClass: ReportClass, tested: Int, positive: Int) {
            self.week = week
            self.reportClass = reportClass
            self.tested = tested
            self.positive = positive
            (prevalence, ciLow, ciHigh) = WilsonInterval.prevalence(positive: positive, tested: tested)
        }

        enum CodingKeys: String, CodingKey {
            case week, reportClass = "class", tested, positive, prevalence, ciLow = "ci_low", ciHigh = "ci_high"
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(week, forKey: .week)
            try c.encode(reportClass, forKey: .reportClass)
            try c.encode(tested, forKey: .tested)
            try c.encode(positive, forKey: .positive)
            try c.encode(prevalence, forKey: .prevalence)
            try c.encode(ciLow, forKey: .ciLow)
            try c.encode(ciHigh, forKey: .ciHigh)
        }
    }

    /// A substance detected this week for the first time in the jurisdiction (the region when
    /// the report is restricted to one).
    public struct FirstSeenSubstance: Codable, Sendable, Equatable {
        public var substanceID: String
        public var name: String
        /// The catalogue's substance class.
        public var substanceClass: String
        public var samples: Int

        public init(substanceID: String, name: String, substanceClass: String, samples: Int) {
            self.substanceID = substanceID
            self.name = name
            self.substanceClass = substanceClass
            self.samples = samples
        }

        enum CodingKeys: String, CodingKey {
            case substanceID = "substance_id", name, substanceClass = "substance_class", samples
        }
    }
}
