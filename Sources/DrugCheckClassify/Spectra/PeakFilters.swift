import DrugCheckModel

/// One spectrum processing step: returns the processed spectrum, or `nil` to discard it.
public typealias SpectrumFilter = @Sendable (Spectrum) -> Spectrum?

/// Small pure spectrum-processing functions, modelled on the matchms filters
/// (Huber et al., "matchms – processing and similarity evaluation of mass spectrometry data",
/// J. Open Source Softw. 2020, 5(52), 2411, doi:10.21105/joss.02411), composed into a ``SpectrumPipeline``.
///
/// ```swift
/// let pipeline = SpectrumPipeline([PeakFilters.normalizeIntensities, PeakFilters.requireMinimumPeaks(1)])
/// let cleaned = pipeline.apply(spectrum)
/// ```
public enum PeakFilters {
    /// Scales intensities so the base peak is 1 (matchms `normalize_intensities`).
    public static let normalizeIntensities: SpectrumFilter = { s in
        guard let top = s.intensity.max(), top > 0 else { return s }
        var out = s
        out.intensity = s.intensity.map { $0 / top }
        return out
    }

    /// Keeps peaks with `range.lowerBound <= m/z <= range.upperBound` (matchms `select_by_mz`).
    public static func selectByMZ(_ range: ClosedRange<Double>) -> SpectrumFilter {
        { s in keep(s) { mz, _ in range.contains(mz) } }
    }

    /// Keeps peaks at or above `fraction` of the base peak (matchms `select_by_relative_intensity`).
    public static func selectByRelativeIntensity(atLeast fraction: Double) -> SpectrumFilter {
        { s in
            guard let top = s.intensity.max(), top > 0 else { return s }
            return keep(s) { _, i in i / top >= fraction }
        }
    }

    /// Keeps the `count` most intense peaks, in m/z order (matchms `reduce_to_number_of_peaks`).
    public static func keepMostIntense(_ count: Int) -> SpectrumFilter {
        { s in
            guard s.peakCount > count else { return s }
            let threshold = s.intensity.sorted(by: >)[count - 1]
            var kept = 0
            return keep(s) { _, i in
                guard i >= threshold, kept < count else { return false }
                kept += 1
                return true
            }
        }
    }

    /// Removes peaks within `tolerance` Da of the precursor or above it (matchms `remove_peaks_around_precursor_mz`).
    public static func removePrecursorRegion(tolerance: Double) -> SpectrumFilter {
        { s in
            guard let p = s.precursorMZ else { return s }
            return keep(s) { mz, _ in mz < p - tolerance }
        }
    }

    /// Drops zero-intensity peaks, which carry no information and only slow search.
    public static let dropZeroIntensity: SpectrumFilter = { s in keep(s) { _, i in i > 0 } }

    /// Discards spectra with fewer than `count` peaks (matchms `require_minimum_number_of_peaks`).
    public static func requireMinimumPeaks(_ count: Int) -> SpectrumFilter {
        { s in s.peakCount >= count ? s : nil }
    }

    static func keep(_ s: Spectrum, _ predicate: (Double, Double) -> Bool) -> Spectrum {
        var out = s
        out.mz = []
        out.intensity = []
        for (m, i) in zip(s.mz, s.intensity) where predicate(m, i) {
            out.mz.append(m)
            out.intensity.append(i)
        }
        return out
    }
}

/// Filters applied in order; the first that discards the spectrum ends the pipeline.
public struct SpectrumPipeline: Sendable {
    public var steps: [SpectrumFilter]

    public init(_ steps: [SpectrumFilter]) {
        self.steps = steps
    }

    public func apply(_ spectrum: Spectrum) -> Spectrum? {
        var current = spectrum
        for step in steps {
            guard let next = step(current) else { return nil }
            current = next
        }
        return current
    }

    /// The processing used before library search: drop zero peaks, keep at least one peak.
    public static let librarySearch = SpectrumPipeline([PeakFilters.dropZeroIntensity, PeakFilters.requireMinimumPeaks(1)])
}
