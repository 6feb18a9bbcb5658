import DrugCheckModel
import Foundation

/// Peaks of one spectrum prepared for cosine scoring: m/z in ascending order and the weight
/// `m/z^mzPower × intensity^intensityPower` of each peak, with the Euclidean norm of the weights.
public struct WeightedPeaks: Sendable {
    public let mz: [Double]
    public let weight: [Double]
    public let norm: Double

    public init(mz: [Double], intensity: [Double], mzPower: Double, intensityPower: Double) {
        self.mz = mz
        let w = zip(mz, intensity).map { m, i in
            (mzPower == 0 ? 1 : pow(m, mzPower)) * (intensityPower == 1 ? i : pow(i, intensityPower))
        }
        weight = w
        norm = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }
}

/// The greedy cosine score exactly as matchms `CosineGreedy` defines it (matchms 0.x,
/// `matchms/similarity/CosineGreedy.py` and `spectrum_similarity_functions.py`; Huber et al.,
/// J. Open Source Softw. 2020, doi:10.21105/joss.02411):
///
/// 1. every pair of peaks with `|m/z_ref − m/z_query| <= tolerance` (Da) is a candidate;
/// 2. candidates are ranked by the product of their weights `m/z^mz_power × I^intensity_power`,
///    highest first (ties: the pair enumerated later first, as matchms's reversed stable sort);
/// 3. greedily, each peak is used at most once;
/// 4. score = Σ products / (‖w_ref‖ × ‖w_query‖).
///
/// Defaults (`tolerance` 0.1, `mzPower` 0, `intensityPower` 1) are matchms's. Scores agree with
/// matchms within 1e-6 (fixture `Tests/DrugCheckClassifyTests/Fixtures/matchms_cosine_pairs.json`).
///
/// ```swift
/// let cosine = CosineGreedy(tolerance: 0.01)
/// let (score, matches) = cosine.score(reference: libraryEntry, query: unknown)
/// ```
public struct CosineGreedy: Sendable {
    /// Peak matching window. `.da` is matchms's definition; `.ppm` scales the window with the
    /// reference peak's m/z (`|Δ| <= ppm × 1e-6 × m/z_ref`), for high-resolution data over a wide range.
    public enum Tolerance: Sendable, Hashable {
        case da(Double)
        case ppm(Double)

        @inline(__always) func window(_ mz: Double) -> Double {
            switch self {
            case .da(let d): d
            case .ppm(let p): p * 1e-6 * mz
            }
        }
    }

    public var tolerance: Tolerance
    public var mzPower: Double
    public var intensityPower: Double

    public init(tolerance: Double = 0.1, mzPower: Double = 0, intensityPower: Double = 1) {
        self.init(tolerance: .da(tolerance), mzPower: mzPower, intensityPower: intensityPower)
    }

    public init(tolerance: Tolerance, mzPower: Double = 0, intensityPower: Double = 1) {
        self.tolerance = tolerance
        self.mzPower = mzPower
        self.intensityPower = intensityPower
    }

    public func prepare(_ s: Spectrum) -> WeightedPeaks {
        WeightedPeaks(mz: s.mz, intensity: s.intensity, mzPower: mzPower, intensityPower: intensityPower)
    }

    public func score(reference: Spectrum, query: Spectrum) -> (score: Double, matches: Int) {
        score(prepare(reference), prepare(query))
    }

    /// Score of prepared peaks; `reference` plays matchms's `spec1`, `query` its `spec2`.
    public func score(_ reference: WeightedPeaks, _ query: WeightedPeaks) -> (score: Double, matches: Int) {
        var pairs: [(i: Int, j: Int, product: Double)] = []
        var lowest = 0
        for i in reference.mz.indices {
            let window = tolerance.window(reference.mz[i])
            let low = reference.mz[i] - window
            let high = reference.mz[i] + window
            var j = lowest
            while j < query.mz.count {
                let m = query.mz[j]
                if m > high { break }
                if m < low { lowest = j + 1 } else { pairs.append((i, j, reference.weight[i] * query.weight[j])) }
                j += 1
            }
        }
        guard !pairs.isEmpty else { return (0, 0) }
        // matchms: np.argsort(products, kind="mergesort")[::-1] — descending, later pair first on ties.
        let order = pairs.indices.sorted { a, b in
            pairs[a].product != pairs[b].product ? pairs[a].product > pairs[b].product : a > b
        }
        var usedRef = [Bool](repeating: false, count: reference.mz.count)
        var usedQuery = [Bool](repeating: false, count: query.mz.count)
        var total = 0.0
        var matches = 0
        for k in order where !usedRef[pairs[k].i] && !usedQuery[pairs[k].j] {
            total += pairs[k].product
            usedRef[pairs[k].i] = true
            usedQuery[pairs[k].j] = true
            matches += 1
        }
        let denominator = reference.norm * query.norm
        return (denominator > 0 ? total / denominator : 0, matches)
    }
}
