import ArgumentParser
import Foundation
import StreamtapeArchive
import StreamtapeCore

/// `streamtape list`: the exchanges in the archive.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the exchanges in the archive.",
        discussion: """
        errors and warnings count the findings `check` reports at those levels. A - in dialect, events, \
        errors or warnings means not analysed yet: the exchange is recording or has just ended. What a \
        crashed recorder left is analysed when the archive is next opened with no recorder running. \
        ttfc is the time to first content: the first event carrying text, reasoning or a tool-call delta.
        """)

    @Flag(help: "Print one JSON object per exchange (id, started, upstream, method, target, status, state, derived, dialect, chunks, events, bytes, duration, ttfb, errors, warnings, tags, timing_known, recorder, model, ttfc, content_events, tokens_out, tokens_per_s, gap_p50, gap_p99, gap_max, stall_max, stop, error_type; times in seconds); the derived facts are null while derived is false (not yet analysed), times also when the timing is unknown.")
    var json = false

    @OptionGroup var filters: ExchangeFilters

    @Option(help: "Sort by this field; exchanges without a value come last.")
    var sort: ArchiveQuery.SortField?

    @Flag(help: "Sort largest (or latest) first.")
    var desc = false

    @Option(help: "Show at most this many exchanges.")
    var limit: Int?

    @OptionGroup var archive: ArchiveOptions

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more") }
    }

    func run() async throws {
        var query = filters.query()
        query.sort = sort; query.descending = desc; query.limit = limit
        let rows = try ArchiveAccess.list(archive: archive, query: query)
        if json {
            for r in rows { Out.line(Self.json(r)) }
        } else if rows.isEmpty {
            Out.line(query.selectsAll ? "no exchanges in \(archive.displayName)" : "no exchanges match in \(archive.displayName)")
        } else {
            Out.line(cols(["id", "started", "request", "status", "state", "model", "dialect", "events", "ttfc", "duration", "errors", "warnings"]))
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
                Timeline.clip(d?.measures.model ?? "-", 24), d.map(\.dialect) ?? "-", d.map { "\($0.events)" } ?? "-",
                d?.measures.ttfcNs.map { Timeline.secs($0) } ?? "-", duration,
                d.map { "\($0.errors)" } ?? "-", d.map { "\($0.warnings)" } ?? "-"]
    }

    private static let widths = [6, 25, 41, 7, 20, 25, 17, 8, 10, 10, 8, 8]

    private func cols(_ values: [String]) -> String {
        zip(values, Self.widths).map { Timeline.pad($0, $1) }.joined().trimmingCharacters(in: .whitespaces)
    }

    /// The measures' keys (model, ttfc, content_events, tokens_out, tokens_per_s, gap_p50, gap_p99,
    /// gap_max, stall_max, stop, error_type): seconds for times, null when not known.
    static func measureFields(_ j: inout JSONText, _ m: Measures?) {
        j.string("model", m?.model)
        j.raw("ttfc", m?.ttfcNs.map(Seconds.format) ?? "null")
        j.int("content_events", m?.contentEvents)
        j.int("tokens_out", m?.tokensOut)
        j.raw("tokens_per_s", m?.tokensPerSecond.map { String(format: "%.3f", $0) } ?? "null")
        j.raw("gap_p50", m?.gapP50Ns.map(Seconds.format) ?? "null")
        j.raw("gap_p99", m?.gapP99Ns.map(Seconds.format) ?? "null")
        j.raw("gap_max", m?.gapMaxNs.map(Seconds.format) ?? "null")
        j.raw("stall_max", m?.stallMaxNs.map(Seconds.format) ?? "null")
        j.string("stop", m?.stop)
        j.string("error_type", m?.errorType)
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
        j.raw("ttfb", s.timingUnknown ? "null" : s.firstChunkNs.map(Seconds.format) ?? "null")
        j.int("errors", r.derived?.errors)
        j.int("warnings", r.derived?.warnings)
        j.openArray("tags"); for t in s.tags { j.string(nil, t) }; j.closeArray()
        j.raw("timing_known", s.timingUnknown ? "false" : "true")
        j.string("recorder", r.recorder)
        measureFields(&j, r.derived?.measures)
        j.close()
        return j.text
    }
}
extension ArchiveQuery.SortField: ExpressibleByArgument {}
