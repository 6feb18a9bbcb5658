import DrugCheckModel
import Foundation

extension BulletinFacts {
    /// The facts of an event. Only the product, sold-as, type, region, lab and date of each
    /// sample are used: never the seizure context or extra columns, which may name people.
    init(_ event: TriggerEvent) {
        let samples = event.samples
        let ids = Set(event.substances.map(\.id))
        let top = event.substances.first
        var classes = ReportClass.positive(for: event.substances)
        if let signal = event.signal { classes.insert(signal.reportClass) }
        let confidences = samples.map { $0.confidence(for: ids) }
        self.init(
            trigger: event.trigger,
            substanceIDs: event.substances.map(\.id),
            substanceNames: event.substances.map(\.name),
            classes: ReportClass.allCases.filter(classes.contains),
            relativePotency: top?.relativePotency,
            potencySource: top?.relativePotency == nil ? nil : top?.potencySource,
            riskTier: samples.map(\.classification.riskTier).max() ?? .none,
            sampleCount: samples.count,
            sampleTypes: SampleType.allCases.filter { t in samples.contains { $0.sample.type == t } },
            products: Set(samples.compactMap(\.productLabel)).sorted(),
            soldAs: event.trigger == .unexpectedAdulteration ? Set(samples.compactMap(\.sample.soldAs)).sorted() : [],
            regions: Set(samples.compactMap(\.sample.region)).union(event.signal?.region.map { [$0] } ?? []).sorted(),
            labs: Set(samples.map(\.sample.labCode)).sorted(),
            firstDate: event.periodStart,
            lastDate: event.periodEnd,
            confidence: ConfidenceSummary(level: confidences.compactMap(\.level).min(),
                                          swgdrugCategory: confidences.compactMap(\.swgdrugCategory).min()),
            sampleIDs: samples.map(\.id),
            weeks: Set(samples.map(\.week)).union(event.signal.map { [$0.week] } ?? []).sorted(),
            signal: event.signal
        )
        let provisional = samples.filter(\.sample.isProvisional).count
        if provisional > 0 { provisionalSamples = provisional }
        if event.trigger == .cluster { clusterBasis = event.subject.hasPrefix("cluster:region:") ? "region" : "product" }
    }
}
