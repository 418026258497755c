import ArgumentParser
import Foundation
import StreamtapeCore

/// `streamtape show`: one exchange as a timeline, as event JSON, or as the text the user saw.
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one exchange: its event timeline, its events as JSON, or the text the user saw.")

    @Argument(help: "An exchange id in the archive, or a tape (.tape.jsonl), .sse or .ndjson file.")
    var source: String

    @Flag(help: "Print one JSON object per event (index, t, offset, length, event, data, id).")
    var json = false

    @Flag(help: "Print what the user saw: text, reasoning, tool calls, errors and stop reason.")
    var text = false

    @Flag(help: "Print the request and the response as HTTP: request line, headers and body; status, headers, and the body.")
    var http = false

    @Option(help: "Force a dialect instead of detecting it (\(Dialect.allCases.map(\.rawValue).joined(separator: ", "))).")
    var dialect: Dialect?

    @OptionGroup var archive: ArchiveOptions

    func validate() throws {
        if http, text || json { throw ValidationError("--http prints the exchange as HTTP; it does not combine with --text or --json") }
    }

    func run() async throws {
        let exchange = try loadExchange(source, archive: archive)
        if http {
            HTTPView.print(exchange)
            Out.flush()
            return
        }
        let analysis = Analysis.analyze(exchange, dialect: dialect)
        switch (text, json) {
        case (true, true): Out.line(AssemblyJSON.encode(analysis.assembly, dialect: analysis.dialect, exchange: exchange))
        case (true, false): printText(analysis, exchange)
        case (false, true):
            for (e, t) in zip(analysis.events, analysis.eventTimesNs) { Out.line(EventLines.line(e, timeNs: t)) }
        case (false, false): Timeline.print(exchange, analysis)
        }
        Out.flush()
    }

    private func printText(_ a: Analysis, _ e: Exchange) {
        let s = a.assembly
        if !s.reasoning.isEmpty { Out.line("[reasoning]\n\(s.reasoning)\n[/reasoning]") }
        if !s.text.isEmpty { Out.line(s.text) }
        for c in s.toolCalls { Out.line("[tool call] \(c.name)(\(c.arguments))" + (c.id.map { " id=\($0)" } ?? "")) }
        for e in s.errors { Out.line("[error] \(e.type): \(e.message) (event \(e.event))") }
        Out.line("[stop] \(s.stop ?? "none")")
        // What the user got besides the stream: an HTTP error answer, a cut, an upstream failure.
        if let status = e.response?.status, !(200..<300).contains(status) {
            Out.line("[http] status \(status): " + HTTPView.bodySummary(e))
        }
        if let end = e.end, end.state != .complete {
            Out.line("[end] \(end.state.rawValue)" + (end.error.map { ": \($0)" } ?? ""))
        }
    }
}

extension Dialect: ExpressibleByArgument {}

/// Loads a SOURCE (archive id or file) as a whole exchange.
func loadExchange(_ source: String, archive: ArchiveOptions) throws -> Exchange {
    switch CaptureRef(source) {
    case .file(let path): return try CaptureFiles.load(path)
    case .archived(let id): return try ArchiveAccess.exchange(id, archive: archive)
    }
}

/// The assembled text as one JSON object: `dialect, text, reasoning, tool_calls, errors, stop, status, end, end_error`.
enum AssemblyJSON {
    /// Encodes an assembly, with the exchange's HTTP status and end state (`status`, `end`, `end_error`).
    static func encode(_ s: Assembly, dialect: Dialect, exchange: Exchange) -> String {
        var j = JSONText()
        j.open()
        j.string("dialect", dialect.rawValue)
        j.string("text", s.text)
        j.string("reasoning", s.reasoning)
        j.openArray("tool_calls")
        for c in s.toolCalls { j.open(); j.string("id", c.id); j.string("name", c.name); j.string("arguments", c.arguments); j.close() }
        j.closeArray()
        j.openArray("errors")
        for e in s.errors { j.open(); j.string("type", e.type); j.string("message", e.message); j.int("event", e.event); j.close() }
        j.closeArray()
        j.string("stop", s.stop)
        j.int("status", exchange.response?.status)
        j.string("end", exchange.end?.state.rawValue)
        j.string("end_error", exchange.end?.error)
        j.close()
        return j.text
    }
}
