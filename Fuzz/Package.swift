// swift-tools-version: 6.2
// libFuzzer targets for every DrugCheckIngest reader (one executable each). Not built by the main
// package's `swift build` / `swift test`. Build and run: `bash Fuzz/run.sh all --seconds 60`.
import PackageDescription

let readers = ["FuzzFindingsCSV", "FuzzLabExport", "FuzzResultsXML", "FuzzMzML", "FuzzAnIML",
               "FuzzMSP", "FuzzMassBank", "FuzzPeakList"]

let package = Package(
    name: "DrugCheckFuzz",
    platforms: [.macOS(.v14)],
    products: readers.map { .executable(name: $0, targets: [$0]) },
    dependencies: [.package(name: "DrugCheck", path: "..")],
    targets: [
        .target(name: "CLibFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer", .product(name: "DrugCheckIngest", package: "DrugCheck")]),
    ] + readers.map {
        .executableTarget(name: $0, dependencies: ["FuzzSupport", .product(name: "DrugCheckIngest", package: "DrugCheck")])
    },
    swiftLanguageModes: [.v6]
)
