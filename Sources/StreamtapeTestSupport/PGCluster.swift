import Foundation

/// The `scripts/pg-test-cluster serve` child of this test process: a throwaway PostgreSQL cluster,
/// stopped when the process exits and closes its stdin.
public final class PGCluster: @unchecked Sendable {
    /// Started on first use.
    public static let shared = PGCluster()

    private let lock = NSLock()
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffered = Data()

    /// scripts/pg-test-cluster (this file is Sources/StreamtapeTestSupport/PGCluster.swift).
    private static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/pg-test-cluster")

    private init() {
        process.executableURL = Self.script
        process.arguments = ["serve"]
        process.standardInput = input
        process.standardOutput = output
        try! process.run()
        precondition(readLine() == "ready", "scripts/pg-test-cluster did not start")
    }

    /// A fresh database's URI.
    public func newDatabase() throws -> String {
        lock.lock(); defer { lock.unlock() }
        input.fileHandleForWriting.write(Data("new\n".utf8))
        return readLine()
    }

    private func readLine() -> String {
        while true {
            if let nl = buffered.firstIndex(of: 10) {
                let line = String(decoding: buffered[..<nl], as: UTF8.self)
                buffered.removeSubrange(...nl)
                return line
            }
            let more = output.fileHandleForReading.availableData
            if more.isEmpty { return "" }
            buffered += more
        }
    }
}
