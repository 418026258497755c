import Foundation
import StreamtapeTestSupport

/// The two archive backends the CLI tests run against: a SQLite file in a temp folder, or a fresh
/// database in a throwaway PostgreSQL cluster (`PGCluster`, started once per test run and stopped
/// when the test process exits).
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
