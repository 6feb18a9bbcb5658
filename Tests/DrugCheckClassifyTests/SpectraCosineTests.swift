import DrugCheckClassify
import DrugCheckIngest
import DrugCheckModel
import Foundation
import XCTest

final class SpectraCosineTests: XCTestCase {
    struct Fixture: Decodable {
        struct Pair: Decodable {
            var reference: String, query: String
            var tolerance: Double, mz_power: Double, intensity_power: Double
            var reference_peaks: [[Double]], query_peaks: [[Double]]
            var score: Double, matches: Int
        }
        var matchms_version: String
        var pairs: [Pair]
    }

    /// 200 refdata pairs scored by matchms CosineGreedy (Fixtures/make_matchms_fixture.py).
    func testScoresEqualMatchmsCosineGreedyWithin1e6() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/matchms_cosine_pairs.json")
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        XCTAssertEqual(fixture.pairs.count, 200)
        for p in fixture.pairs {
            let cosine = CosineGreedy(tolerance: p.tolerance, mzPower: p.mz_power, intensityPower: p.intensity_power)
            let ref = Spectrum(id: p.reference, mz: p.reference_peaks.map { $0[0] }, intensity: p.reference_peaks.map { $0[1] })
            let query = Spectrum(id: p.query, mz: p.query_peaks.map { $0[0] }, intensity: p.query_peaks.map { $0[1] })
            let (score, matches) = cosine.score(reference: ref, query: query)
            XCTAssertEqual(score, p.score, accuracy: 1e-6, "\(p.reference) vs \(p.query)")
            XCTAssertEqual(matches, p.matches, "\(p.reference) vs \(p.query)")
        }
        XCTAssertGreaterThan(fixture.pairs.filter { $0.score > 0.5 }.count, 10)
    }

    /// The index must return exactly the exhaustive top hits for every refdata spectrum.
    func testIndexedSearchEqualsExhaustiveOnRefdata() throws {
        let spectra = try SpectraRefData.all().map(\.spectrum).filter { IonisationKind(of: $0) == .esi }
        for tolerance in [CosineGreedy.Tolerance.da(0.01), .da(0.1), .ppm(20)] {
            let index = SpectralIndex(library: spectra, cosine: CosineGreedy(tolerance: tolerance))
            for query in spectra {
                XCTAssertEqual(index.search(query, top: 5), index.exhaustiveSearch(query, top: 5), "\(query.id) \(tolerance)")
            }
            let withPrecursor = index.search(spectra[0], top: 5, precursorTolerance: 0.02)
            XCTAssertEqual(withPrecursor, index.exhaustiveSearch(spectra[0], top: 5, precursorTolerance: 0.02))
        }
    }
}
