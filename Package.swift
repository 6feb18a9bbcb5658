// swift-tools-version: 6.2
import PackageDescription

// Data flows one way: Ingest → Classify → Store → Reports → Bulletins; DrugCheckImport is the one
// pipeline composing Ingest, Classify and Store, and the CLI and the HTTP server are thin shells on
// top. A module never imports a later stage (Tests/DrugCheckModelTests/ModuleGraphTests.swift).
let package = Package(
    name: "DrugCheck",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "drugcheck", targets: ["drugcheck"]),
        .library(name: "DrugCheckIngest", targets: ["DrugCheckIngest"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(name: "DrugCheckModel", resources: [.copy("Resources")]),
        .target(
            name: "DrugCheckIngest",
            dependencies: [
                "DrugCheckModel", "CLibXML2", "CZlib",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Resources/import-profiles")]
        ),
        .target(
            name: "DrugCheckClassify",
            dependencies: ["DrugCheckModel"],
            resources: [.copy("Resources")]
        ),
        .target(
            name: "DrugCheckStore",
            dependencies: [
                "DrugCheckModel",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The PostgreSQL backend: its own migrations, the report's reads and the copy from SQLite.
        .target(
            name: "DrugCheckPostgres",
            dependencies: [
                "DrugCheckModel", "DrugCheckStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                // TLS to the database server (`sslmode`).
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Labs, users, tokens and web sessions: who may do what (beside the store, not in it).
        .target(
            name: "DrugCheckAccess",
            dependencies: [
                "DrugCheckModel", "DrugCheckStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "DrugCheckImport",
            dependencies: [
                "DrugCheckModel", "DrugCheckIngest", "DrugCheckClassify", "DrugCheckStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Resources")]
        ),
        .target(
            name: "DrugCheckReports",
            dependencies: ["DrugCheckModel", "DrugCheckClassify", "DrugCheckStore"]
        ),
        .target(
            name: "DrugCheckBulletins",
            dependencies: [
                "DrugCheckModel", "DrugCheckClassify", "DrugCheckStore", "DrugCheckReports",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Templates")]
        ),
        .target(
            name: "DrugCheckServer",
            dependencies: [
                "DrugCheckModel", "DrugCheckIngest", "DrugCheckStore", "DrugCheckAccess", "DrugCheckReports", "DrugCheckBulletins",
                "DrugCheckImport", "DrugCheckPostgres",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // The web app's templates and assets (CSS, JavaScript, map outlines) ship in the binary.
            resources: [.copy("Web/Templates"), .copy("Web/Assets")]
        ),
        .executableTarget(
            name: "drugcheck",
            dependencies: [
                "DrugCheckModel", "DrugCheckIngest", "DrugCheckClassify", "DrugCheckStore",
                "DrugCheckReports", "DrugCheckBulletins", "DrugCheckServer", "DrugCheckImport", "DrugCheckAccess", "DrugCheckPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                // `drugcheck bench pages`: a client for the in-process server.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "DrugCheckModelTests", dependencies: ["DrugCheckModel"]),
        .testTarget(name: "DrugCheckIngestTests", dependencies: ["DrugCheckIngest", "DrugCheckModel"]),
        .testTarget(name: "DrugCheckClassifyTests", dependencies: ["DrugCheckClassify", "DrugCheckImport", "DrugCheckIngest", "DrugCheckModel"]),
        // Test helpers shared by the store and import tests (not a product).
        .target(name: "DrugCheckTestSupport", dependencies: ["DrugCheckStore", .product(name: "GRDB", package: "GRDB.swift")],
                path: "Tests/DrugCheckTestSupport"),
        .testTarget(name: "DrugCheckStoreTests", dependencies: [
            "DrugCheckTestSupport",
            "DrugCheckStore", "DrugCheckImport", "DrugCheckIngest", "DrugCheckClassify", "DrugCheckModel",
        ]),
        .testTarget(name: "DrugCheckImportTests", dependencies: [
            "DrugCheckTestSupport",
            "DrugCheckImport", "DrugCheckBulletins", "DrugCheckReports", "DrugCheckStore", "DrugCheckAccess", "DrugCheckClassify", "DrugCheckIngest",
            "DrugCheckModel",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "DrugCheckReportsTests", dependencies: ["DrugCheckReports", "DrugCheckImport", "DrugCheckStore", "DrugCheckModel"]),
        // A webhook receiver on loopback for the delivery tests of both backends (not a product).
        .target(name: "WebhookTestReceiver", dependencies: [
            "DrugCheckBulletins", "DrugCheckImport", "DrugCheckIngest", "DrugCheckStore", .product(name: "Hummingbird", package: "hummingbird"),
        ], path: "Tests/WebhookTestReceiver"),
        .testTarget(name: "DrugCheckBulletinsTests", dependencies: [
            "WebhookTestReceiver",
            "DrugCheckBulletins", "DrugCheckReports", "DrugCheckImport", "DrugCheckStore", "DrugCheckIngest", "DrugCheckModel",
        ]),
        // A browser's cookies and forms for the web app tests of both backends (not a product).
        .target(name: "WebTestBrowser", dependencies: [
            .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdTesting", package: "hummingbird"),
        ], path: "Tests/WebTestBrowser"),
        .testTarget(name: "DrugCheckPostgresTests", dependencies: [
            "WebhookTestReceiver", "WebTestBrowser", "DrugCheckServer",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            "DrugCheckTestSupport", "DrugCheckPostgres", "DrugCheckAccess", "DrugCheckBulletins", "DrugCheckReports", "DrugCheckImport", "DrugCheckIngest", "DrugCheckClassify", "DrugCheckStore", "DrugCheckModel",
        ]),
        .testTarget(name: "DrugCheckServerTests", dependencies: [
            "WebTestBrowser", "DrugCheckServer", "DrugCheckAccess", "DrugCheckBulletins", "DrugCheckReports", "DrugCheckImport", "DrugCheckStore", "DrugCheckIngest",
            "DrugCheckModel",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
