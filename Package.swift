// swift-tools-version:6.0
// streamtape: record, replay and inspect LLM streaming traffic.
//
// A star around a pure core: every I/O target depends on StreamtapeCore and nothing else of ours;
// only the `streamtape` executable composes them.
//   record  = StreamtapeRecord (NIO front end) + StreamtapeUpstream (libcurl) + StreamtapeArchive (SQLite)
//   replay  = StreamtapeReplay (NIO server)    + StreamtapeArchive
//   inspect = StreamtapeInspect (ncursesw TUI)  + StreamtapeArchive
//   import  = StreamtapeImport (cassettes, HAR)  + StreamtapeArchive
import PackageDescription

let nio: [Target.Dependency] = [
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOPosix", package: "swift-nio"),
    .product(name: "NIOHTTP1", package: "swift-nio"),
]

let package = Package(
    name: "streamtape",
    // macOS 15: the Synchronization module (`Atomic`, `Mutex`) the servers use.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "streamtape", targets: ["streamtape"]),
        .library(name: "StreamtapeReplay", targets: ["StreamtapeReplay", "StreamtapeCore"]),
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

        // Pure: parser, dialects, diagnostics, capture model, formats, replay schedule, faults.
        .target(name: "StreamtapeCore"),

        .target(name: "StreamtapeArchive", dependencies: ["StreamtapeCore", "CSQLite"]),
        .target(name: "StreamtapeUpstream", dependencies: ["StreamtapeCore", "CCurl"]),
        .target(name: "StreamtapeRecord", dependencies: ["StreamtapeCore"] + nio),
        .target(name: "StreamtapeReplay", dependencies: ["StreamtapeCore"] + nio),
        .target(name: "StreamtapeInspect", dependencies: ["StreamtapeCore", "CNcursesw"]),
        // Foreign formats (VCR cassettes, HAR): YAML (Yams, C) and zlib (CompressNIO) stay out of Core.
        .target(name: "StreamtapeImport", dependencies: [
            "StreamtapeCore", .product(name: "Yams", package: "Yams"), .product(name: "CompressNIO", package: "compress-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),

        .executableTarget(name: "streamtape", dependencies: [
            "StreamtapeCore", "StreamtapeArchive", "StreamtapeUpstream",
            "StreamtapeRecord", "StreamtapeReplay", "StreamtapeInspect", "StreamtapeImport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ] + nio),

        // Benchmarks (not part of the product).
        .executableTarget(name: "inspect-bench", dependencies: ["StreamtapeInspect", "StreamtapeArchive", "StreamtapeCore"], path: "bench/inspect"),
        // Benchmarks of the pure core (bench/parser.sh); not part of the product.
        .executableTarget(name: "streamtape-bench", dependencies: ["StreamtapeCore"], path: "bench/Sources/streamtape-bench"),
        .executableTarget(name: "writer-bench", dependencies: ["StreamtapeArchive", "StreamtapeCore"], path: "bench/writer"),

        .testTarget(name: "StreamtapeCoreTests", dependencies: ["StreamtapeCore"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "StreamtapeArchiveTests", dependencies: ["StreamtapeArchive", "StreamtapeCore"],
                    resources: [.copy("Fixtures")]),
        // Live tests compose the recorder with the real libcurl upstream, as the executable does.
        .testTarget(name: "StreamtapeRecordTests", dependencies: ["StreamtapeRecord", "StreamtapeUpstream", "StreamtapeCore"] + nio),
        .testTarget(name: "StreamtapeReplayTests", dependencies: ["StreamtapeReplay", "StreamtapeCore"] + nio),
        .testTarget(name: "StreamtapeInspectTests", dependencies: ["StreamtapeInspect", "StreamtapeCore"]),
        .testTarget(name: "StreamtapeImportTests", dependencies: ["StreamtapeImport", "StreamtapeCore"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "StreamtapeCLITests", dependencies: ["streamtape"]),
    ]
)
