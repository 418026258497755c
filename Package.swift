// swift-tools-version:6.0
// streamtape: record, replay and inspect LLM streaming traffic.
//
// A star around a pure core: every I/O target depends on StreamtapeCore and nothing else of ours;
// only the `streamtape` executable composes them.
//   record  = StreamtapeRecord (NIO front end) + StreamtapeUpstream (libcurl) + StreamtapeArchive (SQLite or PostgreSQL)
//   replay  = StreamtapeReplay (NIO server)    + StreamtapeArchive (+ StreamtapeUpstream to record misses)
//   record and replay's record-on-miss forward through one StreamtapeForwarding (NIO) session.
//   inspect = StreamtapeInspect (ncursesw TUI)  + StreamtapeArchive
//   import  = StreamtapeImport (cassettes, HAR)  + StreamtapeArchive
import PackageDescription

let nioEmbedded: Target.Dependency = .product(name: "NIOEmbedded", package: "swift-nio")
let nio: [Target.Dependency] = [
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOPosix", package: "swift-nio"),
    .product(name: "NIOHTTP1", package: "swift-nio"),
    .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
]

let package = Package(
    name: "streamtape",
    // macOS 15: the Synchronization module (`Atomic`, `Mutex`) the servers use.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "streamtape", targets: ["streamtape"]),
        .library(name: "StreamtapeReplay", targets: ["StreamtapeReplay", "StreamtapeCore"]),
        // For the fuzz harness (fuzz/harness), which depends on this package by path; not part of the product.
        .library(name: "StreamtapeImport", targets: ["StreamtapeImport"]),
        .library(name: "StreamtapeRecord", targets: ["StreamtapeRecord"]),
        .library(name: "StreamtapeTestSupport", targets: ["StreamtapeTestSupport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
    ],
    targets: [
        // C libraries: a module map and a shim header each, imported in exactly one target.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CNcursesw", pkgConfig: "ncursesw", providers: [.apt(["libncurses-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CBrotli", pkgConfig: "libbrotlidec", providers: [.apt(["libbrotli-dev"])]),

        // Pure: parser, dialects, diagnostics, capture model, formats, replay schedule, faults.
        .target(name: "StreamtapeCore"),

        // SQLite by default; PostgreSQL (libpq) for a store shared by many recorders.
        .target(name: "StreamtapeArchive", dependencies: ["StreamtapeCore", "CSQLite", "CLibPQ"]),
        .target(name: "StreamtapeUpstream", dependencies: ["StreamtapeCore", "CCurl"]),
        // One forwarding session (upstream bridge, backpressure, response writes) for record and record-on-miss.
        .target(name: "StreamtapeForwarding", dependencies: ["StreamtapeCore"] + nio),
        .target(name: "StreamtapeRecord", dependencies: ["StreamtapeCore", "StreamtapeForwarding"] + nio),
        .target(name: "StreamtapeReplay", dependencies: ["StreamtapeCore", "StreamtapeForwarding"] + nio),
        .target(name: "StreamtapeInspect", dependencies: ["StreamtapeCore", "CNcursesw"]),
        // Foreign formats (VCR cassettes, HAR): YAML (Yams, C), zlib (CompressNIO) and brotli stay out of Core.
        .target(name: "StreamtapeImport", dependencies: [
            "StreamtapeCore", "CBrotli", .product(name: "Yams", package: "Yams"), .product(name: "CompressNIO", package: "compress-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),

        .executableTarget(name: "streamtape", dependencies: [
            "StreamtapeCore", "StreamtapeArchive", "StreamtapeUpstream", "StreamtapeForwarding",
            "StreamtapeRecord", "StreamtapeReplay", "StreamtapeInspect", "StreamtapeImport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ] + nio),

        // Benchmarks (not part of the product).
        .executableTarget(name: "inspect-bench", dependencies: ["StreamtapeInspect", "StreamtapeArchive", "StreamtapeCore"], path: "bench/inspect"),
        // Benchmarks of the pure core (bench/parser.sh); not part of the product.
        .executableTarget(name: "streamtape-bench", dependencies: ["StreamtapeCore"], path: "bench/Sources/streamtape-bench"),
        .executableTarget(name: "writer-bench", dependencies: ["StreamtapeArchive", "StreamtapeCore"], path: "bench/writer"),

        // Test support (as NIO ships NIOTestUtils): in-memory sink, hand-driven upstream client, fake upstream server, corpus.
        .target(name: "StreamtapeTestSupport", dependencies: ["StreamtapeCore", nioEmbedded] + nio),

        .testTarget(name: "StreamtapeCoreTests", dependencies: ["StreamtapeCore"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "StreamtapeArchiveTests", dependencies: ["StreamtapeArchive", "StreamtapeCore", "StreamtapeTestSupport"],
                    resources: [.copy("Fixtures")]),
        // Live tests compose the recorder with the real libcurl upstream, as the executable does.
        .testTarget(name: "StreamtapeRecordTests", dependencies: ["StreamtapeRecord", "StreamtapeForwarding", "StreamtapeUpstream",
                                                                 "StreamtapeCore", "StreamtapeTestSupport", nioEmbedded] + nio),
        .testTarget(name: "StreamtapeForwardingTests", dependencies: ["StreamtapeForwarding", nioEmbedded] + nio),
        .testTarget(name: "StreamtapeReplayTests", dependencies: ["StreamtapeReplay", "StreamtapeForwarding", "StreamtapeCore",
                                                                 "StreamtapeTestSupport", nioEmbedded] + nio),
        .testTarget(name: "StreamtapeInspectTests", dependencies: ["StreamtapeInspect", "StreamtapeCore"]),
        .testTarget(name: "StreamtapeImportTests", dependencies: ["StreamtapeImport", "StreamtapeCore"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "StreamtapeCLITests", dependencies: ["streamtape", "StreamtapeTestSupport"]),
    ]
)
