import ArgumentParser
import Foundation
import StreamtapeCore
import StreamtapeRecord
import StreamtapeUpstream

/// `streamtape record`: a local proxy that forwards to the provider and records every chunk.
struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Proxy requests to an LLM provider and record every streamed chunk with its timing.",
        discussion: """
        Point the SDK's base URL at the listen address. With PREFIX=URL routes one recorder serves \
        several providers: --upstream /openai=openai --upstream /anthropic=anthropic sends \
        /openai/v1/chat/completions to https://api.openai.com/v1/chat/completions. \
        Ctrl-C stops accepting, lets streams finish for --drain seconds, then records the rest as interrupted.
        """)

    @Option(name: .long, help: "Address to listen on, HOST:PORT (binding beyond loopback prints a warning).")
    var listen = "127.0.0.1:8787"

    @Option(name: .long, help: "Upstream base URL, or PREFIX=URL (or PREFIX=PRESET) to route a path prefix; repeatable.")
    var upstream: [String] = []

    @Option(name: .long, help: "Use a provider's public API as the default upstream: \(ProviderPreset.allCases.map(\.rawValue).joined(separator: ", ")).")
    var provider: String?

    @OptionGroup var archive: ArchiveOptions

    @Option(name: .long, help: "A tag put on every recorded exchange; repeatable.")
    var tag: [String] = []

    @Option(name: .long, help: "Record a header the default list drops (e.g. openai-organization); never a credential. Repeatable.")
    var keepHeader: [String] = []

    @Option(name: .long, help: "Trust this PEM CA bundle for upstream TLS instead of the system store.")
    var upstreamCa: String?

    @Option(name: .long, help: "Seconds streams in flight may run on after SIGINT/SIGTERM before they are recorded as interrupted.")
    var drain: Double = 10

    @Flag(name: .long, help: "Print only the startup line and errors, no line per exchange.")
    var quiet = false

    @Flag(name: .long, help: "Print the startup line and one line per exchange as JSON objects.")
    var json = false

    func validate() throws {
        if upstream.isEmpty && provider == nil {
            throw ValidationError("give an upstream: --provider NAME or --upstream URL (e.g. --provider openai)")
        }
        if let provider, ProviderPreset(rawValue: provider) == nil {
            throw ValidationError("unknown provider \"\(provider)\"; known: \(ProviderPreset.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        _ = try parsedListen()
        _ = try routes()
        do { _ = try Redaction(keep: keepHeader) } catch { throw ValidationError("\(error)") }
        if drain < 0 { throw ValidationError("--drain must be 0 or more seconds") }
        if let upstreamCa, !FileManager.default.isReadableFile(atPath: upstreamCa) {
            throw ValidationError("--upstream-ca \(upstreamCa): no readable file there")
        }
    }

    private func parsedListen() throws -> (host: String, port: Int) {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (0...65535).contains(port) else {
            throw ValidationError("--listen \(listen): expected HOST:PORT, e.g. 127.0.0.1:8787")
        }
        var host = String(listen[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "127.0.0.1" : host, port)
    }

    private func routes() throws -> UpstreamRoutes {
        var routes = UpstreamRoutes()
        do {
            if let provider, let preset = ProviderPreset(rawValue: provider) { try routes.add(prefix: "", baseURL: preset.baseURL) }
            for spec in upstream { try routes.add(spec) }
        } catch { throw ValidationError("\(error)") }
        return routes
    }

    func run() async throws {
        let (host, port) = try parsedListen()
        let log = RecordLog(quiet: quiet, json: json)
        let stops = AsyncStream<String>.makeStream()
        let configuration = RecordConfiguration(host: host, port: port, routes: try routes(), redaction: try Redaction(keep: keepHeader),
                                                tags: tag, threads: min(4, max(1, ProcessInfo.processInfo.activeProcessorCount)))

        // Composition point: the sink the recorder writes to.
        let sink: any CaptureSink = DiscardingCaptureSink()   // LEAD: replace with `try ArchiveWriter(path: archive.path)` after the archive merge.

        let client = CurlUpstreamClient(options: .init(caFile: upstreamCa))
        let server = RecordServer(configuration: configuration, upstream: client, sink: sink,
                                  onFinish: { log.exchange($0) },
                                  onFatal: { stops.continuation.yield("archive: \($0)") })
        let boundPort: Int
        do { boundPort = try await server.start() } catch {
            client.shutdown()
            throw CLIError.runtime("cannot listen on \(host):\(port): \(error)")
        }
        if !["127.0.0.1", "localhost", "::1"].contains(host) {
            log.warning("listening on \(host), beyond this machine: anyone who can reach it can use your upstream credentials")
        }
        log.startup(listen: "\(host.contains(":") ? "[\(host)]" : host):\(boundPort)", archive: archive.path, routes: configuration.routes)

        let signals = SignalWatcher([SIGINT, SIGTERM]) { stops.continuation.yield("signal \($0 == SIGINT ? "SIGINT" : "SIGTERM")") }
        let status = isatty(2) == 1 && !quiet && !json ? Task { await log.statusLoop { server.stats } } : nil

        var reasons = stops.stream.makeAsyncIterator()
        let reason = await reasons.next() ?? "end"
        status?.cancel()
        let fatal = server.failure
        log.note(fatal == nil ? "stopping (\(reason)): draining \(server.stats.active) exchange(s) for up to \(drain) s; again to stop now"
                              : "stopping: the archive cannot be written, so nothing more is proxied: \(fatal!)")
        let again = Task { if await reasons.next() != nil { server.interruptAll() } }
        await server.drain(seconds: fatal == nil ? drain : 0)
        again.cancel()
        signals.cancel()
        await server.shutdown()
        client.shutdown()
        // LEAD: close the archive here (flush and checkpoint) once the sink is the ArchiveWriter.
        log.note("stopped: \(server.stats.finished) exchange(s), \(server.stats.failed) not complete")
        log.flush()
        if let fatal { throw CLIError.runtime("the archive cannot be written: \(fatal)") }
    }
}

/// Turns SIGINT/SIGTERM into a callback instead of the default exit, so the recorder can drain.
final class SignalWatcher: @unchecked Sendable {  // sources are only cancelled, which Dispatch allows from any thread
    private let sources: [any DispatchSourceSignal]

    init(_ signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
    }

    func cancel() { sources.forEach { $0.cancel() } }
}

/// The recorder's output: startup line, one line per exchange (text or JSON), the tty status line.
final class RecordLog: Sendable {
    private let quiet: Bool
    private let json: Bool
    private let lock = NSLock()
    private let statusShown = Locked(false)
    private let queue = DispatchQueue(label: "streamtape.record.log")

    init(quiet: Bool, json: Bool) { self.quiet = quiet; self.json = json }

    func startup(listen: String, archive: String, routes: UpstreamRoutes) {
        let table = routes.routes.map { ($0.prefix.isEmpty ? "" : "\($0.prefix) → ") + $0.baseURL }
        if json {
            let ups = routes.routes.map { ["prefix": $0.prefix, "url": $0.baseURL] }
            emit(Self.jsonLine(["event": "listening", "listen": "http://\(listen)", "archive": archive, "upstreams": ups]))
        } else {
            emit("streamtape record: listening on http://\(listen), archive \(archive), upstream \(table.joined(separator: ", "))")
        }
    }

    func exchange(_ r: ExchangeReport) {
        guard !quiet else { return }
        if json {
            var o: [String: Any] = ["event": "exchange", "method": r.method, "target": r.target, "upstream": r.upstream,
                                    "state": r.state.rawValue, "events": r.events, "chunks": r.chunks, "bytes": r.bytes,
                                    "duration_ms": Double(r.durationNs) / 1e6]
            o["id"] = r.id; o["status"] = r.status; o["error"] = r.error
            o["ttfb_ms"] = r.ttfbNs.map { Double($0) / 1e6 }
            emit(Self.jsonLine(o))
        } else {
            let id = r.id.map { "#\($0)" } ?? "-"
            let status = r.status.map(String.init) ?? "---"
            let ttfb = r.ttfbNs.map { Self.ms($0) } ?? "-"
            var line = "\(id) \(r.method) \(r.target) \(status) \(r.state.rawValue) events=\(r.events) ttfb=\(ttfb) duration=\(Self.ms(r.durationNs))"
            if let error = r.error { line += " error=\"\(error)\"" }
            emit(line)
        }
    }

    func note(_ text: String) {
        guard !quiet else { return }
        if json { emit(Self.jsonLine(["event": "note", "message": text])) } else { emit("streamtape record: \(text)") }
    }

    func warning(_ text: String) { write(2, "warning: \(text)\n") }

    /// Redraws `active · done · bytes` on stderr twice a second until cancelled (terminals only).
    func statusLoop(_ stats: @Sendable () -> RecordStats) async {
        while !Task.isCancelled {
            let s = stats()
            lock.withLock {
                statusShown.withLock { $0 = true }
                write(2, "\r\u{1B}[K\(s.active) active · \(s.finished) done · \(s.failed) not complete · \(Self.bytes(s.bytes))")
            }
            try? await Task.sleep(nanoseconds: 500_000_000)
        }
        lock.withLock { clearStatus() }
    }

    /// Lines are written from a queue of their own, so a slow or blocked stdout never stalls an event loop.
    private func emit(_ line: String) {
        queue.async { [self] in
            lock.withLock {
                clearStatus()
                write(1, line + "\n")
            }
        }
    }

    /// Waits until every line so far is written.
    func flush() { queue.sync {} }

    private func clearStatus() {
        if statusShown.withLock({ let was = $0; $0 = false; return was }) { write(2, "\r\u{1B}[K") }
    }

    private func write(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Foundation.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { return }
            offset += n
        }
    }

    private static func jsonLine(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    private static func ms(_ ns: UInt64) -> String {
        ns >= 1_000_000_000 ? String(format: "%.2fs", Double(ns) / 1e9) : String(format: "%.1fms", Double(ns) / 1e6)
    }

    private static func bytes(_ n: Int) -> String {
        n >= 1 << 20 ? String(format: "%.1f MB", Double(n) / 1_048_576) : n >= 1024 ? String(format: "%.1f kB", Double(n) / 1024) : "\(n) B"
    }
}

/// A value behind a lock.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<R>(_ body: (inout Value) -> R) -> R { lock.lock(); defer { lock.unlock() }; return body(&value) }
}
