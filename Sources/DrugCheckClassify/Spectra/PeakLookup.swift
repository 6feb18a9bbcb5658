import DrugCheckModel

/// How a spectrum was ionised, as far as class rules care.
public enum IonisationKind: String, Sendable, Codable {
    /// Electron ionisation (GC-MS), unit-mass library spectra.
    case ei
    /// Electrospray (or other soft ionisation) product-ion spectra.
    case esi

    /// From the reader's metadata: `ionisation`, then instrument type; EI when the file says so
    /// or when there is neither precursor nor ESI hint and the spectrum is MS1.
    public init(of s: Spectrum) {
        let stated = (s.metadata[SpectrumMetadataKey.ionisation] ?? "").uppercased()
        let instrument = (s.metadata[SpectrumMetadataKey.instrumentType] ?? "").uppercased()
        if stated == "EI" || (stated.isEmpty && instrument.contains("EI") && !instrument.contains("ESI")) {
            self = .ei
        } else if stated.isEmpty && instrument.isEmpty && s.precursorMZ == nil && s.msLevel == 1 {
            self = .ei
        } else {
            self = .esi
        }
    }
}

/// Fast "is there a peak at this m/z, this intense?" questions on one spectrum.
///
/// ```swift
/// let peaks = PeakLookup(spectrum)
/// peaks.has(188.1434, tolerance: 0.003, minimumRelative: 0.05)
/// ```
public struct PeakLookup: Sendable {
    public let mz: [Double]
    /// Intensity relative to the base peak (0…1).
    public let relative: [Double]
    /// All m/z values are integers: unit-resolution data, where accurate-mass rules cannot apply.
    public let isNominalMass: Bool

    public init(_ s: Spectrum) {
        mz = s.mz
        let top = s.intensity.max() ?? 0
        relative = s.intensity.map { top > 0 ? $0 / top : 0 }
        isNominalMass = !s.mz.isEmpty && s.mz.allSatisfy { $0 == $0.rounded() }
    }

    /// The most intense peak within `tolerance` of `target`, if its relative intensity is at least `minimumRelative`.
    public func peak(_ target: Double, tolerance: Double, minimumRelative: Double) -> (mz: Double, relative: Double)? {
        var low = 0, high = mz.count
        while low < high {
            let mid = (low + high) / 2
            if mz[mid] < target - tolerance { low = mid + 1 } else { high = mid }
        }
        var best: (Double, Double)?
        var k = low
        while k < mz.count, mz[k] <= target + tolerance {
            if relative[k] >= minimumRelative, relative[k] > (best?.1 ?? -1) { best = (mz[k], relative[k]) }
            k += 1
        }
        return best
    }

    public func has(_ target: Double, tolerance: Double, minimumRelative: Double) -> Bool {
        peak(target, tolerance: tolerance, minimumRelative: minimumRelative) != nil
    }

    /// Relative intensity of the strongest fragment ion: the most intense peak more than 1.5 Da below
    /// `precursor` (so neither the precursor nor its isotopes count); 0 without fragments.
    public func strongestFragment(below precursor: Double) -> Double {
        zip(mz, relative).filter { $0.0 < precursor - 1.5 }.map(\.1).max() ?? 0
    }

    /// Nominal masses of the peaks at or above `minimumRelative`.
    public func nominalMasses(minimumRelative: Double) -> Set<Int> {
        Set(zip(mz, relative).filter { $0.1 >= minimumRelative }.map { Int($0.0.rounded()) })
    }
}
