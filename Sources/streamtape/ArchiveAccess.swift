import Foundation
import StreamtapeArchive
import StreamtapeCore

/// How the CLI's offline commands reach the archive: open, read, insert, with errors as one line and exit 3.
enum ArchiveAccess {
    /// A list row: the summary and the derived facts.
    typealias Row = ArchivedSummary

    /// The derived facts the archive stores for an exchange: dialect, event count, error-level findings.
    @Sendable static func derive(_ exchange: Exchange) -> DerivedInfo {
        let a = Analysis.analyze(exchange)
        return DerivedInfo(dialect: a.dialect.rawValue, events: a.events.count, problems: a.problems)
    }

    /// Opens the archive for reading; a missing file is unreadable input.
    static func openForReading(_ options: ArchiveOptions) throws -> Archive {
        guard FileManager.default.fileExists(atPath: options.path) else {
            throw CLIError.unreadable("no archive at \(options.path) (record or import something first, or pass --archive)")
        }
        return try openForReading(path: options.path)
    }

    /// Opens an existing archive file for reading, after crash recovery when no writer is live.
    static func openForReading(path: String) throws -> Archive {
        // With no live writer, exchanges left `recording` by a killed recorder are really interrupted:
        // a read-write open marks them so (best effort: a read-only file is simply read as it is).
        if !Archive.hasLiveWriter(path: path), FileManager.default.isWritableFile(atPath: path) {
            _ = try? Archive.open(path: path)
        }
        return try wrap { try Archive.open(path: path, readOnly: true) }
    }

    /// One whole exchange.
    static func exchange(_ id: Int64, archive options: ArchiveOptions) throws -> Exchange {
        let archive = try openForReading(options)
        return try wrap { try archive.exchange(id: id) }
    }

    /// Every exchange's summary (optionally only those with a tag), oldest first.
    static func list(archive options: ArchiveOptions, tag: String?) throws -> [Row] {
        guard FileManager.default.fileExists(atPath: options.path) else { return [] }
        let archive = try openForReading(options)
        return try wrap {
            var rows: [Row] = []
            var offset = 0
            while true {
                let page = try archive.summaries(limit: 1000, offset: offset)
                rows += page
                if page.count < 1000 { break }
                offset += page.count
            }
            if let tag { rows = rows.filter { $0.summary.tags.contains(tag) } }
            return rows
        }
    }

    /// Inserts exchanges (each in its own transaction) with their derived facts; returns the new ids.
    static func insert(_ exchanges: [Exchange], archive options: ArchiveOptions) throws -> [Int64] {
        let archive = try wrap { try Archive.open(path: options.path) }
        let writer = try wrap { try ArchiveWriter(archive: archive, derive: derive) }
        defer { writer.close() }
        var ids: [Int64] = []
        for e in exchanges { ids.append(try wrap { try writer.insert(e) }) }
        try wrap { try writer.flush() }
        return ids
    }

    /// Runs an archive call and turns its error into a one-line CLI error.
    static func wrap<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as ArchiveError {
            switch e {
            case .inUse, .readOnly, .writeFailed: throw CLIError.runtime(e.description)
            default: throw CLIError.unreadable(e.description)
            }
        }
    }
}
