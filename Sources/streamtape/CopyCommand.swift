import ArgumentParser
import Foundation
import StreamtapeArchive
import StreamtapeCore

/// `streamtape copy`: exchanges from one archive into another, each at most once.
struct CopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy exchanges between archives (SQLite files or PostgreSQL URIs); copying again copies nothing twice.",
        discussion: """
        Every exchange keeps its uid and recorder name, so an exchange already in DST (by uid) is \
        skipped. Exchanges still recording are left for a later copy. Prints the counts.
        """)

    @Argument(help: "The archive to copy from: a SQLite file or a postgresql:// URI.")
    var source: String

    @Argument(help: "The archive to copy into (created when missing).")
    var destination: String

    @Option(help: "Only exchanges with this tag.")
    var tag: String?

    @Option(help: ArgumentHelp("Only exchanges this recorder wrote.", valueName: "name"))
    var recorder: String?

    @Option(help: ArgumentHelp("Only exchanges started at or after DATE (YYYY-MM-DD or RFC 3339).", valueName: "date"))
    var since: String?

    func validate() throws {
        if let since, PruneCommand.date(since) == nil {
            throw ValidationError("--since \(since): expected a date, YYYY-MM-DD or 2026-11-26T07:00:00Z")
        }
        if ArchiveLocation(source) == ArchiveLocation(destination) { throw ValidationError("SOURCE and DST are the same archive") }
    }

    func run() async throws {
        let from = ArchiveOptions.named(source)
        let query = ArchiveQuery(sinceMs: since.flatMap(PruneCommand.date), tag: tag)
        let rows = try ArchiveAccess.list(archive: from, query: query).filter { r in recorder.map { $0 == r.recorder } ?? true }
        let src = try ArchiveAccess.openForReading(from)
        let started = try ArchiveAccess.startWriter(ArchiveOptions.named(destination))
        warn(started.announcement)
        defer { started.writer.close() }
        var present = try ArchiveAccess.wrap { try started.archive.uids() }
        var (copied, skipped, recording) = (0, 0, 0)
        for row in rows {
            if row.summary.state == .inProgress { recording += 1; continue }
            let identity = try ArchiveAccess.wrap { try src.identity(id: row.summary.id) }
            if present.contains(identity.uid) { skipped += 1; continue }
            let exchange = try ArchiveAccess.wrap { try src.exchange(id: row.summary.id) }
            _ = try ArchiveAccess.wrap { try started.writer.insert(exchange, identity: identity) }
            present.insert(identity.uid)
            copied += 1
        }
        try ArchiveAccess.wrap { try started.writer.flush() }
        Out.line("copied \(copied), already there \(skipped), still recording \(recording)")
        Out.flush()
    }
}

extension ArchiveOptions {
    /// Options naming `archive` explicitly (for commands that take archives as arguments).
    static func named(_ archive: String) -> ArchiveOptions {
        var options = ArchiveOptions()
        options.archive = archive
        return options
    }
}
