import Foundation
import StreamtapeArchive
import StreamtapeCore

/// How the CLI's offline commands reach the archive: open, read, insert, with errors as one line and exit 3.
enum ArchiveAccess {
    /// A list row: the summary and the derived facts.
    typealias Row = ArchivedSummary

    /// The derived facts the archive stores for an exchange: dialect, event count, errors, warnings, measures.
    @Sendable static func derive(_ exchange: Exchange) -> DerivedInfo {
        let a = Analysis.analyze(exchange)
        return DerivedInfo(dialect: a.dialect.rawValue, events: a.events.count, errors: a.count(.error), warnings: a.count(.warning),
                           measures: Measures(exchange, a), codes: Set(a.findings.map(\.code)).sorted())
    }

    /// Opens the archive for reading; a missing file is unreadable input.
    static func openForReading(_ options: ArchiveOptions) throws -> Archive {
        guard options.location.isPostgres || FileManager.default.fileExists(atPath: options.path) else {
            throw CLIError.unreadable("no archive at \(options.path) (record or import something first, or pass --archive)")
        }
        return try openForReading(path: options.path)
    }

    /// Opens an existing archive file for reading, after crash recovery when no writer is live.
    /// A PostgreSQL archive is opened as it is: readers see a dead recorder's exchanges as
    /// `interrupted` once its heartbeat lapsed, and the next writer to start repairs them.
    static func openForReading(path: String) throws -> Archive {
        if ArchiveLocation(path).isPostgres { return try wrap { try Archive.open(path: path, readOnly: true) } }
        // With no live writer, exchanges left `recording` by a killed recorder are really interrupted:
        // a read-write open marks them so and derives their summaries (best effort: a read-only
        // file is simply read as it is, and summaries not derived list as unknown).
        if !Archive.hasLiveWriter(path: path), FileManager.default.isWritableFile(atPath: path) {
            _ = try? Archive.open(path: path).deriveMissing(derive)
        }
        return try wrap { try Archive.open(path: path, readOnly: true) }
    }

    /// One whole exchange.
    static func exchange(_ id: Int64, archive options: ArchiveOptions) throws -> Exchange {
        let archive = try openForReading(options)
        return try wrap { try archive.exchange(id: id) }
    }

    /// The summaries a query selects, in its order.
    static func list(archive options: ArchiveOptions, query: ArchiveQuery) throws -> [Row] {
        let archive = try openForReading(options)
        return try wrap { try archive.summaries(matching: query) }
    }

    /// A started writer, and the stderr line that names its archive ("archive: PATH", "(new)" when
    /// just created), so an archive made in an unexpected folder is no silent surprise.
    struct StartedWriter {
        /// The archive opened read-write.
        let archive: Archive
        /// The writer.
        let writer: ArchiveWriter
        /// What to print on stderr once the command is running.
        let announcement: String
    }

    /// Opens (creating when missing; the folder only for the default archive) the archive a command
    /// writes to, starts its writer, then (the archive now being ours) derives the summaries a crash
    /// or an upgrade left missing. Exit 4 when it cannot be created or written.
    /// `recorder` names the exchanges it writes; outages of a PostgreSQL archive are logged on stderr.
    static func startWriter(_ options: ArchiveOptions, recorder: String = RecorderName.default,
                            onFailure: @escaping @Sendable (ArchiveError) -> Void = { _ in }) throws -> StartedWriter {
        let isNew = !options.location.isPostgres && !FileManager.default.fileExists(atPath: options.path)
        let archive = try wrap(writing: true) { try Archive.open(path: options.path, createFolder: options.isDefault) }
        let writer = try wrap(writing: true) {
            try ArchiveWriter(archive: archive, recorder: recorder, derive: derive, onFailure: onFailure, log: { warn($0) })
        }
        _ = try wrap { try archive.deriveMissing(derive) }
        return StartedWriter(archive: archive, writer: writer, announcement: "archive: \(options.displayName)\(isNew ? " (new)" : "")")
    }

    /// Inserts exchanges (each in its own transaction) with their derived facts, computed here while
    /// the writer stores each; returns the new ids.
    static func insert(_ exchanges: [Exchange], archive options: ArchiveOptions) throws -> [Int64] {
        let started = try startWriter(options)
        warn(started.announcement)
        let writer = started.writer
        defer { writer.close() }
        var ids: [Int64] = []
        for e in exchanges { ids.append(try wrap { try writer.insert(e, deriveHere: true) }) }
        try wrap { try writer.flush() }
        return ids
    }

    /// Runs an archive call and turns its error into a one-line CLI error: exit 4 when the archive
    /// cannot be written (or, `writing`, not even opened or created), else 3 (unreadable input).
    static func wrap<T>(writing: Bool = false, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as ArchiveError {
            switch e {
            case .inUse, .readOnly, .writeFailed: throw CLIError.runtime(e.description)
            case .cannotOpen where writing: throw CLIError.runtime(e.description)
            default: throw CLIError.unreadable(e.description)
            }
        }
    }
}
