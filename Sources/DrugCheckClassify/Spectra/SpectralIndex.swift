import DrugCheckModel

/// One library hit: the entry's position in the indexed library and its exact ``CosineGreedy`` score.
public struct SearchHit: Sendable, Hashable {
    public var entry: Int
    public var score: Double
    public var matchedPeaks: Int
}

/// A fragment index over a spectral library that returns exactly the top hits of an exhaustive
/// ``CosineGreedy`` search while scoring only a handful of entries per query.
///
/// All library peaks are kept in one array sorted by m/z (the "fragment m/z bins" at full
/// resolution, as in the flash entropy index of Li & Fiehn, Nat. Methods 2023, 20, 1475).
/// For a query, the peaks within tolerance of each query peak are found by binary search and
/// Σ w_q·w_lib/(‖q‖‖lib‖) over *all* matching pairs is accumulated per entry. Greedy cosine
/// keeps a subset of those pairs, so this sum bounds each entry's score from above; entries are
/// then scored exactly in decreasing bound order until the bound falls below the k-th best exact
/// score. Entries sharing no peak score 0 and are never touched.
///
/// ```swift
/// let index = SpectralIndex(library: spectra, cosine: CosineGreedy(tolerance: 0.01))
/// let hits = index.search(query, top: 5) // same as index.exhaustiveSearch(query, top: 5)
/// ```
public struct SpectralIndex: Sendable {
    public let cosine: CosineGreedy
    public let entries: [WeightedPeaks]
    public let precursors: [Double?]
    private let peakMZ: [Double]
    private let peakWeight: [Double]
    private let peakOwner: [Int32]

    public init(library: [Spectrum], cosine: CosineGreedy) {
        self.cosine = cosine
        entries = library.map(cosine.prepare)
        precursors = library.map(\.precursorMZ)
        var flat: [(mz: Double, weight: Double, owner: Int32)] = []
        flat.reserveCapacity(entries.reduce(0) { $0 + $1.mz.count })
        for (n, e) in entries.enumerated() where e.norm > 0 {
            for k in e.mz.indices where e.weight[k] > 0 { flat.append((e.mz[k], e.weight[k] / e.norm, Int32(n))) }
        }
        flat.sort { $0.mz < $1.mz }
        peakMZ = flat.map(\.mz)
        peakWeight = flat.map(\.weight)
        peakOwner = flat.map(\.owner)
    }

    public var count: Int { entries.count }

    /// Top `top` hits with score > 0, best first (ties: lower entry index first).
    /// `precursorTolerance` (Da) keeps only entries whose precursor lies that close to the query's.
    public func search(_ query: Spectrum, top: Int, precursorTolerance: Double? = nil) -> [SearchHit] {
        let q = cosine.prepare(query)
        guard q.norm > 0, top > 0 else { return [] }
        var bound = [Double](repeating: 0, count: entries.count)
        var touched: [Int32] = []
        for j in q.mz.indices where q.weight[j] > 0 {
            let m = q.mz[j]
            let w = q.weight[j] / q.norm
            // Window in library m/z that could satisfy |m − l| <= window(l), widened slightly.
            let reach = cosine.tolerance.window(m) * 1.001 + 1e-9
            var k = lowerBound(m - reach)
            while k < peakMZ.count, peakMZ[k] <= m + reach {
                let l = peakMZ[k]
                let window = cosine.tolerance.window(l)
                if m >= l - window && m <= l + window {
                    let owner = Int(peakOwner[k])
                    if bound[owner] == 0 { touched.append(Int32(owner)) }
                    bound[owner] += w * peakWeight[k]
                }
                k += 1
            }
        }
        var candidates = touched.map(Int.init)
        if let tol = precursorTolerance, let p = query.precursorMZ {
            candidates.removeAll { c in precursors[c].map { abs($0 - p) > tol } ?? true }
        }
        candidates.sort { bound[$0] != bound[$1] ? bound[$0] > bound[$1] : $0 < $1 }
        var best: [SearchHit] = []
        for c in candidates {
            if best.count == top, bound[c] * (1 + 1e-9) + 1e-12 < best[top - 1].score { break }
            let (score, matches) = cosine.score(entries[c], q)
            guard score > 0 else { continue }
            insert(SearchHit(entry: c, score: score, matchedPeaks: matches), into: &best, top: top)
        }
        return best
    }

    /// Scores every entry: the reference result the indexed search must reproduce.
    public func exhaustiveSearch(_ query: Spectrum, top: Int, precursorTolerance: Double? = nil) -> [SearchHit] {
        let q = cosine.prepare(query)
        var best: [SearchHit] = []
        for c in entries.indices {
            if let tol = precursorTolerance, let p = query.precursorMZ {
                guard let lp = precursors[c], abs(lp - p) <= tol else { continue }
            }
            let (score, matches) = cosine.score(entries[c], q)
            if score > 0 { insert(SearchHit(entry: c, score: score, matchedPeaks: matches), into: &best, top: top) }
        }
        return best
    }

    private func insert(_ hit: SearchHit, into best: inout [SearchHit], top: Int) {
        let position = best.firstIndex { hit.score > $0.score || (hit.score == $0.score && hit.entry < $0.entry) } ?? best.count
        guard position < top else { return }
        best.insert(hit, at: position)
        if best.count > top { best.removeLast() }
    }

    private func lowerBound(_ value: Double) -> Int {
        var low = 0, high = peakMZ.count
        while low < high {
            let mid = (low + high) / 2
            if peakMZ[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
