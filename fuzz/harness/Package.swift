// swift-tools-version:6.0
// libFuzzer targets that need the package's other modules (importers with Yams, zlib and brotli; the
// NIO front ends). Not part of the product: fuzz/run.sh builds it with
// `swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing`. Each executable's
// main.swift hands its test function to libFuzzer (`fuzzMain`); the front-end targets use
// `@testable import` for the servers' own handlers, hence `-enable-testing`.
import Foundation
import PackageDescription

/// The main package, two folders up; SwiftPM names a path dependency after its folder.
let root = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().deletingLastPathComponent()
let streamtape = root.lastPathComponent.lowercased()

func product(_ name: String) -> Target.Dependency { .product(name: name, package: streamtape) }
let nio: [Target.Dependency] = ["NIOCore", "NIOHTTP1", "NIOEmbedded"].map { .product(name: $0, package: "swift-nio") }

let package = Package(
    name: "streamtape-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: root.path),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // The libFuzzer entry; raw HTTP bytes into an EmbeddedChannel and the checks on what comes out.
        .target(name: "FuzzSupport", dependencies: nio + [product("StreamtapeReplay")]),
        .executableTarget(name: "fuzz-cassette", dependencies: ["FuzzSupport", product("StreamtapeImport")], path: "Sources/cassette"),
        .executableTarget(name: "fuzz-har", dependencies: ["FuzzSupport", product("StreamtapeImport")], path: "Sources/har"),
        .executableTarget(name: "fuzz-record-http", dependencies: ["FuzzSupport", product("StreamtapeRecord"),
                                                                   product("StreamtapeTestSupport")] + nio,
                          path: "Sources/record-http"),
        .executableTarget(name: "fuzz-replay-http", dependencies: ["FuzzSupport", product("StreamtapeReplay")] + nio,
                          path: "Sources/replay-http"),
    ]
)
