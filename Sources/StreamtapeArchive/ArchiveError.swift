import Foundation

/// Why the archive could not be opened, read or written. Each case prints as one line naming the file.
public enum ArchiveError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file exists but is not a streamtape archive (not SQLite, or another program's database).
    case notAnArchive(path: String, reason: String)
    /// The archive was written by a newer streamtape whose format this build does not know.
    case newerVersion(path: String, version: Int, supported: Int)
    /// The archive is older than this build and must be opened read-write once to be upgraded.
    case needsUpgrade(path: String, version: Int, supported: Int)
    /// SQLite found the file damaged.
    case corrupt(path: String, detail: String)
    /// The file or its folder could not be created or opened.
    case cannotOpen(path: String, detail: String)
    /// No exchange has this id.
    case noExchange(id: Int64, path: String)
    /// A write was attempted on an archive opened read-only.
    case readOnly(path: String)
    /// Another `ArchiveWriter` (usually another streamtape process) is writing this archive.
    case inUse(path: String)
    /// The writer could not store what it was given (disk full, file removed); it stopped recording.
    case writeFailed(path: String, detail: String)
    /// Any other SQLite failure.
    case sqlite(path: String, SQLiteError)
    /// Any other PostgreSQL failure (the server unreachable, a statement refused).
    case postgres(path: String, PGError)

    /// One line for the terminal (SQLite messages can quote schema text with newlines: folded).
    public var description: String {
        let text = multiLineDescription.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        return text.count > 300 ? String(text.prefix(299)) + "…" : text
    }

    private var multiLineDescription: String {
        switch self {
        case let .notAnArchive(path, reason): return "\(path) is not a streamtape archive (\(reason))"
        case let .newerVersion(path, version, supported):
            return "\(path) was written by a newer streamtape (archive version \(version); this build reads up to \(supported))"
        case let .needsUpgrade(path, version, supported):
            return "\(path) has archive version \(version); open it read-write once to upgrade it to \(supported)"
        case let .corrupt(path, detail): return "\(path) is corrupt: \(detail)"
        case let .cannotOpen(path, detail): return "cannot open \(path): \(detail)"
        case let .noExchange(id, path): return "no exchange \(id) in \(path)"
        case let .readOnly(path): return "\(path) is open read-only"
        case let .inUse(path): return "another streamtape process is writing \(path); stop it or use another --archive"
        case let .writeFailed(path, detail): return "cannot write to \(path): \(detail); recording stopped"
        case let .sqlite(path, error): return "\(path): \(error)"
        case let .postgres(path, error): return "\(path): \(error)"
        }
    }

    /// Classifies any failure on `path`: archive errors pass through, database errors are wrapped.
    static func from(_ error: any Error, path: String) -> ArchiveError {
        switch error {
        case let e as ArchiveError: return e
        case let e as SQLiteError: return from(e, path: path)
        case let e as PGError: return .postgres(path: path, e)
        default: return .writeFailed(path: path, detail: "\(error)")
        }
    }

    /// Classifies a SQLite failure on `path`.
    static func from(_ error: SQLiteError, path: String) -> ArchiveError {
        switch error.primaryCode {
        case SQLiteError.notADatabase: return .notAnArchive(path: path, reason: "not an SQLite database")
        case SQLiteError.corrupt: return .corrupt(path: path, detail: error.message)
        case SQLiteError.cantOpen: return .cannotOpen(path: path, detail: error.message)
        default: return .sqlite(path: path, error)
        }
    }
}
