import DrugCheckModel
import Foundation

/// One occurrence of a trigger: what it is about, when, and the samples that show it.
struct TriggerEvent: Sendable {
    var trigger: TriggerKind
    var subject: String
    var samples: [EvidenceSample]
    /// The substances the event is about, most potent first (empty for class-level events).
    var substances: [Substance]
    var periodStart: CalendarDate
    var periodEnd: CalendarDate
    var signal: SignalFacts?

    init(trigger: TriggerKind, subject: String, samples: [EvidenceSample], substances: [Substance],
         period: ClosedRange<CalendarDate>? = nil, signal: SignalFacts? = nil) {
        self.trigger = trigger
        self.subject = subject
        self.samples = samples.sorted { $0.id < $1.id }
        self.substances = substances
        let dates = samples.map(\.date)
        periodStart = period?.lowerBound ?? dates.min()!
        periodEnd = period?.upperBound ?? dates.max()!
        self.signal = signal
    }
}

/// Triggers 1, 2, 3 and 5: pure functions from the stored samples to events.
struct DetectionTriggers: Sendable {
    var configuration: BulletinConfiguration
    /// Substances detected before the samples given: never a first detection.
    var seenBefore: Set<String>

    func events(_ samples: [EvidenceSample]) -> [TriggerEvent] {
        var events: [TriggerEvent] = []
        if configuration.firstDetection.enabled { events += firstDetections(samples) }
        if configuration.highPotency.enabled { events += highPotency(samples) }
        if configuration.unexpectedAdulteration.enabled { events += unexpectedAdulteration(samples) }
        if configuration.cluster.enabled { events += clusters(samples) }
        return events
    }

    /// Samples per substance id, for substances passing `filter`, in substance id order.
    private func bySubstance(_ samples: [EvidenceSample], where filter: (Substance) -> Bool) -> [(Substance, [EvidenceSample])] {
        var groups: [String: (Substance, [EvidenceSample])] = [:]
        for sample in samples {
            for substance in sample.substances where filter(substance) {
                groups[substance.id, default: (substance, [])].1.append(sample)
            }
        }
        return groups.keys.sorted().map { groups[$0]! }
    }

    /// Trigger 1: the samples of the first day a substance of a watched class was detected.
    func firstDetections(_ samples: [EvidenceSample]) -> [TriggerEvent] {
        let classes = Set(configuration.firstDetection.classes)
        return bySubstance(samples) { classes.contains($0.substanceClass) && !seenBefore.contains($0.id) }.map { substance, found in
            let first = found.map(\.date).min()!
            return TriggerEvent(trigger: .firstDetection, subject: "first_detection:\(substance.id)",
                                samples: found.filter { $0.date == first }, substances: [substance])
        }
    }

    /// Trigger 2: high-potency opioids (`Substance.isHighPotency`) at the configured multiple of morphine.
    func highPotency(_ samples: [EvidenceSample]) -> [TriggerEvent] {
        let multiple = configuration.highPotency.morphineMultiple
        return bySubstance(samples) { $0.isHighPotency(morphineMultiple: multiple) }.flatMap { substance, found in
            Episodes.split(found, gapDays: configuration.eventGapDays).map {
                TriggerEvent(trigger: .highPotency, subject: "high_potency:\(substance.id)", samples: $0, substances: [substance])
            }
        }
    }

    /// Trigger 3: samples classified as unexpected, grouped by their most potent synthetic opioid.
    func unexpectedAdulteration(_ samples: [EvidenceSample]) -> [TriggerEvent] {
        var groups: [String: (Substance, [EvidenceSample])] = [:]
        for sample in samples where sample.classification.unexpected {
            guard let opioid = sample.substances.first(where: { ReportClass.anySyntheticOpioid.contains($0.substanceClass) }) else { continue }
            groups[opioid.id, default: (opioid, [])].1.append(sample)
        }
        return groups.keys.sorted().flatMap { id in
            let (substance, found) = groups[id]!
            return Episodes.split(found, gapDays: configuration.eventGapDays).map {
                TriggerEvent(trigger: .unexpectedAdulteration, subject: "unexpected_adulteration:\(id)",
                             samples: $0, substances: [substance])
            }
        }
    }

    /// Trigger 5: at least `minimumSamples` synthetic-opioid positive samples of one product or one
    /// region within `windowDays`. The event spans every positive sample chained to the cluster.
    func clusters(_ samples: [EvidenceSample]) -> [TriggerEvent] {
        let c = configuration.cluster
        let positives = samples.filter { $0.classification.syntheticOpioidPositive }
        var keyed: [(String, [EvidenceSample])] = []
        if c.byProduct {
            let groups = Dictionary(grouping: positives.filter { $0.productKey != nil }, by: { $0.productKey! })
            keyed += groups.keys.sorted().map { ("cluster:product:\($0)", groups[$0]!) }
        }
        if c.byRegion {
            let groups = Dictionary(grouping: positives.filter { $0.sample.region != nil }, by: { $0.sample.region! })
            keyed += groups.keys.sorted().map { ("cluster:region:\($0)", groups[$0]!) }
        }
        return keyed.flatMap { subject, group in
            Episodes.split(group, gapDays: c.windowDays)
                .filter { Episodes.hasWindow($0, days: c.windowDays, minimum: c.minimumSamples) }
                .map { episode in
                    let substances = Dictionary(episode.flatMap(\.substances).filter { ReportClass.anySyntheticOpioid.contains($0.substanceClass) }.map { ($0.id, $0) },
                                                uniquingKeysWith: { a, _ in a })
                    return TriggerEvent(trigger: .cluster, subject: subject, samples: episode,
                                        substances: substances.values.sorted(by: Potency.morePotent))
                }
        }
    }
}
