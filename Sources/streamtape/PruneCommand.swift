import ArgumentParser
import Foundation
import StreamtapeArchive
import StreamtapeCore

/// `streamtape prune`: removes old exchanges from the archive.
struct PruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Remove exchanges that started before a date (or are older than an age), except tagged ones to keep.",
        discussion: """
        Exchanges still recording are never removed. Prints the ids removed (with --dry-run, the ids \
        that would be), then a count.
        """)

    @Option(help: ArgumentHelp("Remove exchanges older than this age: a number and d, h, m or s (e.g. 30d).", valueName: "age"))
    var olderThan: String?

    @Option(help: ArgumentHelp("Remove exchanges started before DATE (YYYY-MM-DD, UTC midnight, or RFC 3339).", valueName: "date"))
    var before: String?

    @Option(help: ArgumentHelp("Keep exchanges with this tag; repeatable.", valueName: "name"))
    var keepTag: [String] = []

    @Flag(help: "Print what would be removed and remove nothing.")
    var dryRun = false

    @OptionGroup var archive: ArchiveOptions

    func validate() throws {
        guard (olderThan == nil) != (before == nil) else { throw ValidationError("give one of --older-than AGE or --before DATE") }
        if let olderThan, Self.age(olderThan) == nil {
            throw ValidationError("--older-than \(olderThan): expected a number and d, h, m or s, e.g. 30d")
        }
        if let before, Self.date(before) == nil {
            throw ValidationError("--before \(before): expected a date, YYYY-MM-DD or 2026-11-26T07:00:00Z")
        }
    }

    func run() async throws {
        let nowMs = Int64(Date().timeIntervalSince1970 * 1000)
        let cutoff = before.flatMap(Self.date) ?? (nowMs - (olderThan.flatMap(Self.age) ?? 0))
        guard archive.location.isPostgres || FileManager.default.fileExists(atPath: archive.path) else {
            throw CLIError.unreadable("no archive at \(archive.path)")
        }
        let store = try ArchiveAccess.wrap(writing: true) { try Archive.open(path: archive.path) }
        let ids = try ArchiveAccess.wrap { try store.pruneCandidates(before: cutoff, keepTags: keepTag) }
        if !dryRun { try ArchiveAccess.wrap(writing: true) { try store.delete(ids: ids) } }
        for id in ids { Out.line("\(id)") }
        Out.flush()
        warn("\(dryRun ? "would remove" : "removed") \(ids.count) exchange(s) started before \(WallClock.iso(ms: cutoff)) from \(archive.displayName)")
    }

    /// Milliseconds in an age like `30d`, `12h`, `90m`, `45s`; nil otherwise.
    static func age(_ text: String) -> Int64? {
        guard let unit = text.last, let n = Int64(text.dropLast()), n >= 0 else { return nil }
        let ms: Int64? = ["d": 86_400_000, "h": 3_600_000, "m": 60_000, "s": 1000][unit]
        guard let ms else { return nil }
        let (product, overflow) = n.multipliedReportingOverflow(by: ms)
        return overflow ? nil : product
    }

    /// Milliseconds since 1970 of `YYYY-MM-DD` (UTC midnight) or an RFC 3339 timestamp; nil otherwise.
    static func date(_ text: String) -> Int64? {
        WallClock.parse(text) ?? (text.count == 10 ? WallClock.parse(text + "T00:00:00Z") : nil)
    }
}
