import Foundation

/// The two archive backends the CLI tests run against: a SQLite file in a temp folder, or a fresh
/// database in a throwaway PostgreSQL cluster (scripts/pg-test-cluster, started once per test run
/// and stopped when the test process exits and closes its stdin).
enum Backend: String, CaseIterable, CustomStringConvertible, Sendable {
    case sqlite, postgres

    var description: String { rawValue }

    /// A new, empty archive: a file path in `dir`, or a new database's URI.
    func archive(in dir: URL) throws -> String {
        switch self {
        case .sqlite: return dir.appendingPathComponent("a.sqlite").path
        case .postgres: return try PGCluster.shared.newDatabase()
        }
    }
}

/// The `scripts/pg-test-cluster serve` child of this test process.
final class PGCluster: @unchecked Sendable {
    /// Started on first use.
    static let shared = PGCluster()

    private let lock = NSLock()
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffered = Data()

    private init() {
        process.executableURL = CLI.root.appendingPathComponent("scripts/pg-test-cluster")
        process.arguments = ["serve"]
        process.standardInput = input
        process.standardOutput = output
        try! process.run()
        precondition(readLine() == "ready", "scripts/pg-test-cluster did not start")
    }

    /// A fresh database's URI.
    func newDatabase() throws -> String {
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
