import ArgumentParser
import Foundation
import StreamtapeCore
import StreamtapeInspect

/// `streamtape inspect`: the terminal inspector for one exchange.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Walk through a captured stream in the terminal: events, raw bytes and chunk cuts, findings, timing.",
        discussion: """
        SOURCE is, for now, a raw response body (.sse, or .ndjson/.jsonl for NDJSON). A raw body carries no \
        chunk boundaries or timing: it is cut into --chunk-size byte chunks spaced --pace ms apart. \
        Press ? inside for the keys.
        """
    )

    @Argument(help: "A raw SSE/NDJSON body file to inspect.")
    var source: String?

    @OptionGroup var archive: ArchiveOptions

    @Flag(name: .long, help: "Show the exchange while it is being recorded, new events appearing live.")
    var follow = false

    @Option(name: .long, help: "Bytes per chunk when cutting a raw body.")
    var chunkSize = 64

    @Option(name: .long, help: "Milliseconds between chunks of a raw body.")
    var pace = 20

    func validate() throws {
        guard chunkSize > 0 else { throw ValidationError("--chunk-size must be positive") }
        guard pace >= 0 else { throw ValidationError("--pace must not be negative") }
    }

    func run() throws {
        do { try inspect() } catch let error as CLIError {
            // One line on stderr and the documented exit code (the root command prints others as exit 1).
            FileHandle.standardError.write(Data("streamtape inspect: \(error.description)\n".utf8))
            throw ExitCode(error.code)
        }
    }

    private func inspect() throws {
        guard InspectorApp.hasTerminal else {
            throw CLIError(description: "needs a terminal (stdin and stdout); use `streamtape show` to print an exchange instead", code: 2)
        }
        guard let source else {
            throw CLIError(description: "give a body file to inspect (the archive's exchange list is not wired yet)", code: 2)
        }
        let exchange = try RawBody.exchange(path: source, chunkSize: chunkSize, paceMs: pace)
        let framing: StreamFraming = source.hasSuffix(".ndjson") || source.hasSuffix(".jsonl") ? .ndjson : .sse
        let plugins = InspectPlugins(dialect: "generic", framing: framing,
                                     makeAssembler: { InterimAssembler() },
                                     analyze: { InterimFindings.analyze($0, framing: framing) })
        let document: InspectDocument
        do { document = try InspectDocument(source: MemoryCaptureSource(exchange), plugins: plugins, follow: follow) }
        catch { throw CLIError.unreadable("\(source): \(error)") }
        let signal: Int32?
        do { signal = try InspectorApp.run(document, follow: follow) } catch let error as TerminalError { throw CLIError.runtime(error.description) }
        if let signal { throw ExitCode(128 + signal) }
    }
}

/// A raw body file as an exchange: fixed-size chunks at a fixed pace.
enum RawBody {
    static func exchange(path: String, chunkSize: Int, paceMs: Int) throws -> Exchange {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError.unreadable("cannot read \(path)") }
        let bytes = [UInt8](data)
        var chunks: [Chunk] = []
        var i = 0
        while i < bytes.count {
            let n = chunks.count
            chunks.append(Chunk(seq: n, offsetNs: UInt64(n + 1) * UInt64(paceMs) * 1_000_000, bytes: Array(bytes[i..<min(i + chunkSize, bytes.count)])))
            i += chunkSize
        }
        let type = path.hasSuffix(".ndjson") || path.hasSuffix(".jsonl") ? "application/x-ndjson" : "text/event-stream"
        let name = (path as NSString).lastPathComponent
        return Exchange(startedMs: Int64(Date().timeIntervalSince1970 * 1000), upstream: "file",
                        request: CapturedRequest(method: "FILE", target: name),
                        response: CapturedResponse(status: 200, headers: [Header("content-type", type)], offsetNs: 0),
                        chunks: chunks, end: ExchangeEnd(offsetNs: (chunks.last?.offsetNs ?? 0) + 1_000_000, state: .complete))
    }
}

// MARK: - Interim dialect parts, replaced by Core's Assembler and Analysis when they merge.

/// Interim text assembly: OpenAI chat deltas and Anthropic text/thinking deltas and errors.
struct InterimAssembler: TextAssembling {
    var assembled = AssembledText()
    mutating func add(_ event: SSEEvent) {
        guard let o = try? JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any] else { return }
        if let err = o["error"] as? [String: Any] {
            assembled.errors.append("\(err["type"] ?? "error"): \(err["message"] ?? "")")
        }
        if let d = o["delta"] as? [String: Any] {
            if let t = d["text"] as? String { assembled.text += t }
            if let t = d["thinking"] as? String { assembled.reasoning += t }
            if let s = d["stop_reason"] as? String { assembled.stop = s }
        }
        if let c = (o["choices"] as? [[String: Any]])?.first {
            if let t = (c["delta"] as? [String: Any])?["content"] as? String { assembled.text += t }
            if let s = c["finish_reason"] as? String { assembled.stop = s }
        }
    }
}

/// Interim findings: in-stream errors, stalls and an unterminated tail.
enum InterimFindings {
    static func analyze(_ exchange: Exchange, framing: StreamFraming) -> [InspectFinding] {
        let (events, facts) = SSEParser.parse(chunks: exchange.chunks.map(\.bytes), framing: framing)
        var out: [InspectFinding] = []
        for e in events {
            let o = try? JSONSerialization.jsonObject(with: Data(e.data.utf8)) as? [String: Any]
            if e.type == "error" || o?["error"] != nil {
                let err = o?["error"] as? [String: Any]
                out.append(InspectFinding(code: "error-event", severity: .error, offset: e.start, event: e.index,
                                          message: "The provider sent an error in the stream (\(err?["type"] ?? "error"): \(err?["message"] ?? "")); the answer stops here."))
            }
        }
        var prev: UInt64 = 0
        for c in exchange.chunks {
            if c.offsetNs &- prev >= 5_000_000_000, let e = events.first(where: { $0.lastChunk >= c.seq }) {
                out.append(InspectFinding(code: "stall", severity: .warning, offset: e.start, event: e.index,
                                          message: "Nothing arrived for \(Double(c.offsetNs - prev) / 1e9) s before this chunk."))
            }
            prev = c.offsetNs
        }
        if let start = facts.unterminatedStart {
            out.append(InspectFinding(code: "unterminated-event", severity: .error, offset: start, event: nil,
                                      message: "The stream ends inside an event (no blank line after it): a spec-conforming client drops it."))
        }
        return out
    }
}
