// swift-tools-version:6.0
// Replay benchmark: a package of its own (not built by CI or `swift test`), using the StreamtapeReplay
// library of the repository root in-process. Run: swift run -c release replay-bench
import PackageDescription

let package = Package(
    name: "replay-bench",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "streamtape", path: "../.."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(name: "replay-bench", dependencies: [
            .product(name: "StreamtapeReplay", package: "streamtape"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ], path: "Sources/ReplayBench"),
    ]
)
