import ArgumentParser
import Foundation
import StreamtapeCore

/// `streamtape list`: the exchanges in the archive.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the exchanges in the archive.",
        discussion: """
        errors and warnings count the findings `check` reports at those levels. A - in dialect, events, \
        errors or warnings means not analysed yet: the exchange is recording or has just ended. What a \
        crashed recorder left is analysed when the archive is next opened with no recorder running.
        """)

    @Flag(help: "Print one JSON object per exchange (id, started, upstream, method, target, status, state, derived, dialect, chunks, events, bytes, duration, ttfb, errors, warnings, tags, timing_known, recorder); dialect, events, errors and warnings are null while derived is false (not yet analysed).")
    var json = false

    @Option(help: "Only exchanges with this tag.")
    var tag: String?

    @OptionGroup var archive: ArchiveOptions

    func run() async throws {
        let rows = try ArchiveAccess.list(archive: archive, tag: tag)
        if json {
            for r in rows { Out.line(Self.json(r)) }
        } else if rows.isEmpty {
            Out.line("no exchanges in \(archive.displayName)")
        } else {
            Out.line(cols(["id", "started", "request", "status", "state", "dialect", "events", "duration", "errors", "warnings"]))
            for r in rows { Out.line(cols(Self.tableRow(r))) }
        }
        Out.flush()
    }

    /// The plain table's cells for one exchange; `-` where a fact is unknown (not yet derived).
    static func tableRow(_ r: ArchiveAccess.Row) -> [String] {
        let s = r.summary
        let request: String = s.method.isEmpty ? "(raw body)" : "\(s.method) \(s.target)"
        let status: String = s.status.map { String($0) } ?? "-"
        let duration: String = s.endNs.map { Timeline.secs($0) } ?? "-"
        let d = r.derived
        return ["\(s.id)", WallClock.iso(ms: s.startedMs), Timeline.clip(request, 40), status, s.state.rawValue,
                d.map(\.dialect) ?? "-", d.map { "\($0.events)" } ?? "-", duration,
                d.map { "\($0.errors)" } ?? "-", d.map { "\($0.warnings)" } ?? "-"]
    }

    private static let widths = [6, 25, 41, 7, 20, 17, 8, 10, 8, 8]

    private func cols(_ values: [String]) -> String {
        zip(values, Self.widths).map { Timeline.pad($0, $1) }.joined().trimmingCharacters(in: .whitespaces)
    }

    /// One `--json` line.
    static func json(_ r: ArchiveAccess.Row) -> String {
        let s = r.summary
        var j = JSONText()
        j.open()
        j.int("id", s.id)
        j.string("started", WallClock.iso(ms: s.startedMs))
        j.string("upstream", s.upstream)
        j.string("method", s.method)
        j.string("target", s.target)
        j.int("status", s.status)
        j.string("state", s.state.rawValue)
        j.bool("derived", r.derived != nil)
        j.string("dialect", r.derived?.dialect)
        j.int("chunks", s.chunks)
        j.int("events", r.derived?.events)
        j.int("bytes", s.bytes)
        j.raw("duration", s.endNs.map(Seconds.format) ?? "null")
        j.raw("ttfb", s.firstChunkNs.map(Seconds.format) ?? "null")
        j.int("errors", r.derived?.errors)
        j.int("warnings", r.derived?.warnings)
        j.openArray("tags"); for t in s.tags { j.string(nil, t) }; j.closeArray()
        j.raw("timing_known", s.timingUnknown ? "false" : "true")
        j.string("recorder", r.recorder)
        j.close()
        return j.text
    }
}
