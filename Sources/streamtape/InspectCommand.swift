import ArgumentParser
import Foundation
import StreamtapeArchive
import StreamtapeCore
import StreamtapeInspect

/// `streamtape inspect`: the terminal inspector, for one exchange or the archive's list.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Walk through captured streams in the terminal: events, raw bytes and chunk cuts, findings, timing.",
        discussion: """
        Without SOURCE, the archive's exchange list (Enter opens one, q goes back). A raw body file (.sse, \
        .ndjson) carries no chunk boundaries or timing: it is cut into --chunk-size byte chunks spaced \
        --pace ms apart. Press ? inside for the keys. Needs a terminal; `streamtape show` prints instead.
        """
    )

    @Argument(help: "An exchange id in the archive, or a tape (.tape.jsonl), .sse or .ndjson file; without it, the exchange list.")
    var source: String?

    @OptionGroup var archive: ArchiveOptions

    @Flag(name: .long, help: "Show exchanges while they are being recorded, new events appearing live.")
    var follow = false

    @Option(help: "Force a dialect instead of detecting it (\(Dialect.allCases.map(\.rawValue).joined(separator: ", "))).")
    var dialect: Dialect?

    @Option(name: .long, help: "Bytes per chunk when cutting a raw body file.")
    var chunkSize = 64

    @Option(name: .long, help: "Milliseconds between chunks of a raw body file.")
    var pace = 20

    func validate() throws {
        guard chunkSize > 0 else { throw ValidationError("--chunk-size must be positive") }
        guard pace >= 0 else { throw ValidationError("--pace must not be negative") }
    }

    func run() throws {
        guard InspectorApp.hasTerminal else {
            throw CLIError(description: "inspect needs a terminal (stdin and stdout); use `streamtape show` to print an exchange instead", code: 2)
        }
        let signal: Int32?
        do { signal = try open() } catch let error as TerminalError { throw CLIError.runtime(error.description) }
        if let signal { throw ExitCode(128 + signal) }
    }

    /// Opens the list, an archived exchange or a file, and runs the inspector until the user quits.
    private func open() throws -> Int32? {
        let signal: Int32?
        switch source.map(CaptureRef.init) {
        case nil:
            let catalog = ArchiveCatalog(archive: try ArchiveAccess.openForReading(archive), dialect: dialect)
            signal = try InspectorApp.run(catalog: catalog, title: archive.displayName, follow: follow)
        case .archived(let id)?:
            let store = try ArchiveAccess.openForReading(archive)
            let document = try ArchiveAccess.wrap { try InspectDocument(source: try store.source(id: id), dialect: dialect, follow: follow) }
            signal = try InspectorApp.run(document, follow: follow)
        case .file(let path)?:
            var exchange = try CaptureFiles.load(path)
            if exchange.request.method.isEmpty {   // a raw body: one chunk, no timing
                exchange = RawBodyChunks.split(exchange, size: chunkSize, paceMs: pace, name: (path as NSString).lastPathComponent)
            }
            signal = try InspectorApp.run(try InspectDocument(source: MemoryCaptureSource(exchange), dialect: dialect))
        }
        return signal
    }
}

/// The archive as the inspector's exchange list.
struct ArchiveCatalog: ExchangeCatalog {
    let archive: Archive
    let dialect: Dialect?

    func rows() throws -> [ExchangeRow] {
        var rows: [ExchangeRow] = []
        while true {
            let page = try archive.summaries(limit: 1000, offset: rows.count)
            rows += try page.map(row)
            if page.count < 1000 { return rows }
        }
    }

    /// A list row from the stored derived facts, or (an exchange that just ended, its facts not stored
    /// yet) facts derived now, so the list is never wrong; a recording exchange's counts are unknown (`-`).
    private func row(_ r: ArchivedSummary) throws -> ExchangeRow {
        if r.derived == nil, r.summary.state == .inProgress {
            return ExchangeRow(r.summary, dialect: "", events: nil, problems: nil)
        }
        let d = try r.derived ?? ArchiveAccess.derive(try archive.exchange(id: r.summary.id))
        return ExchangeRow(r.summary, dialect: d.dialect, events: d.events, problems: d.errors + d.warnings,
                           measures: d.measures, findings: d.codes)
    }

    func open(_ id: Int64, follow: Bool) throws -> InspectDocument {
        try InspectDocument(source: try archive.source(id: id), dialect: dialect, follow: follow)
    }
}

/// A raw body cut into fixed-size chunks at a fixed pace, so the inspector has cuts and timing to show.
enum RawBodyChunks {
    static func split(_ e: Exchange, size: Int, paceMs: Int, name: String) -> Exchange {
        let body = e.body
        var out = e
        out.request = CapturedRequest(method: "FILE", target: name)
        out.chunks = stride(from: 0, to: body.count, by: size).enumerated().map { k, i in
            Chunk(seq: k, offsetNs: UInt64(k + 1) * UInt64(paceMs) * 1_000_000, bytes: Array(body[i..<min(i + size, body.count)]))
        }
        out.end = ExchangeEnd(offsetNs: (out.chunks.last?.offsetNs ?? 0) + 1_000_000, state: .complete)
        return out
    }
}
