import ArgumentParser
import DrugCheckIngest
import Foundation

/// `drugcheck bench mzml FILE`: parse and fully decode every spectrum of an mzML file without
/// storing anything, and print the figures `../shared/bench/peers_mzml.py` prints for its peers.
///
/// ```
/// drugcheck bench mzml /tmp/bench.mzML
/// ```
struct BenchMzML: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mzml",
        abstract: "Decode every spectrum of an mzML file; print counts, the intensity checksum, MB/s and peak RSS."
    )

    @Argument(help: "mzML file (e.g. one made by ../shared/bench/gen_mzml.py -n 20000).")
    var file: String

    @Option(name: .long, help: "Largest file accepted, in bytes.")
    var maxBytes: Int64 = ImportOptions.defaultMaxBytes

    func run() throws {
        let url = URL(fileURLWithPath: file)
        let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int ?? 0
        var spectra = 0, peaks = 0, ms2 = 0, chromatograms = 0
        var sumIntensity = 0.0, sumMZ = 0.0
        let start = ContinuousClock.now
        try MzMLStreamParser(file: url, maxBytes: maxBytes).parse { record in
            guard record.kind == .spectrum else {
                chromatograms += 1
                return
            }
            let mz = record.xValues, intensity = record.intensities
            spectra += 1
            peaks += mz.count
            if record.msLevel == 2 { ms2 += 1 }
            // Summed per spectrum then added, like the peers' float64 numpy sums.
            sumMZ += mz.reduce(0, +)
            sumIntensity += intensity.reduce(0, +)
        }
        let elapsed = start.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        let megabytes = Double(size) / 1e6
        print("file \(file): \(String(format: "%.1f", megabytes)) MB")
        print("spectra \(spectra), MS2 \(ms2), peaks \(peaks), chromatograms \(chromatograms)")
        print("sum(intensity) \(String(format: "%.6e", sumIntensity)), sum(m/z) \(String(format: "%.6e", sumMZ))")
        print("parse \(String(format: "%.2f", seconds)) s, \(String(format: "%.1f", megabytes / seconds)) MB/s, peak RSS \(usage.ru_maxrss / 1024) MB")
    }
}
