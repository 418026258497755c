import ArgumentParser
import Foundation
import StreamtapeArchive
import StreamtapeCore
import StreamtapeForwarding
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

    /// `record`'s listen address: 8787 unless told otherwise.
    enum Listen: ListenDefault {
        static let address = "127.0.0.1:8787"
        static let help = "Address to listen on, HOST:PORT (binding beyond loopback prints a warning)."
    }

    @OptionGroup var listen: ListenOptions<Listen>

    @Option(name: .long, help: ArgumentHelp("Upstream base URL, or PREFIX=URL (or PREFIX=PRESET) to route a path prefix; repeatable.", valueName: "url"))
    var upstream: [String] = []

    @Option(name: .long, help: ArgumentHelp("Use a provider's public API as the default upstream.", valueName: "name"))
    var provider: ProviderPreset?

    @OptionGroup var archive: ArchiveOptions

    @OptionGroup var recorder: RecorderOptions

    @Option(name: .long, help: ArgumentHelp("A tag put on every recorded exchange; repeatable.", valueName: "name"))
    var tag: [String] = []

    @Option(name: .long, help: ArgumentHelp("Record a header the default list drops (e.g. openai-organization); never a credential. Repeatable.", valueName: "name"))
    var keepHeader: [String] = []

    @Option(name: .long, help: ArgumentHelp("Trust this PEM CA bundle for upstream TLS instead of the system store.", valueName: "file"))
    var upstreamCa: String?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Seconds streams in flight may run on after SIGINT/SIGTERM before they are recorded as interrupted.", valueName: "seconds"))
    var drain: Double = 10

    @OptionGroup var clientLimits: ClientLimitOptions

    @Flag(name: .long, help: "Print only the startup line and errors, no line per exchange.")
    var quiet = false

    @Flag(name: .long, help: "Print the startup line and one line per exchange as JSON objects.")
    var json = false

    func validate() throws {
        if upstream.isEmpty && provider == nil {
            throw ValidationError("give an upstream: --provider NAME or --upstream URL (e.g. --provider openai)")
        }
        _ = try routes()
        do { _ = try Redaction(keep: keepHeader) } catch { throw ValidationError("\(error)") }
        if !(drain >= 0) { throw ValidationError("--drain must be 0 or more seconds, not \(drain)") }
        if let upstreamCa, !FileManager.default.isReadableFile(atPath: upstreamCa) {
            throw ValidationError("--upstream-ca \(upstreamCa): no readable file there")
        }
    }

    private func routes() throws -> UpstreamRoutes {
        var routes = UpstreamRoutes()
        do {
            if let provider { try routes.add(prefix: "", baseURL: provider.baseURL) }
            for spec in upstream { try routes.add(spec) }
        } catch { throw ValidationError("\(error)") }
        return routes
    }

    func run() async throws {
        let (host, port) = try listen.address()
        let log = RecordLog(quiet: quiet, json: json)
        let stops = AsyncStream<String>.makeStream()
        let configuration = RecordConfiguration(host: host, port: port, routes: try routes(), redaction: try Redaction(keep: keepHeader),
                                                tags: tag, threads: min(4, max(1, ProcessInfo.processInfo.activeProcessorCount)),
                                                limits: clientLimits.limits)

        // A port in use is reported before the archive is created or opened (migrated, recovered).
        do { try await RecordServer.checkListen(host: host, port: port) } catch { throw CLIError.runtime("\(error)") }

        // Composition point: the sink the recorder writes to.
        // The archive is opened before the port: a recorder that cannot record does not proxy.
        // A write that fails (disk full, file removed) stops the recorder rather than proxy unrecorded traffic.
        let failures = FailureRelay()
        let started = try ArchiveAccess.startWriter(archive, recorder: recorder.name, onFailure: { failures.report($0.description) })
        let writer = started.writer
        let sink: any CaptureSink = writer

        let client = CurlUpstreamClient(options: .init(caFile: upstreamCa))
        let server = RecordServer(configuration: configuration, upstream: client, sink: sink,
                                  onFinish: { log.exchange($0) },
                                  onFatal: { stops.continuation.yield("archive: \($0)") })
        failures.connect { server.fail($0) }
        let boundPort: Int
        do { boundPort = try await server.start() } catch {
            client.shutdown()
            writer.close()
            throw CLIError.runtime("\(error)")
        }
        if !isLoopback(host) {
            log.warning("listening on \(host), beyond this machine: anyone who can reach it can use your upstream credentials")
        }
        warn(started.announcement)
        log.startup(listen: "\(host.contains(":") ? "[\(host)]" : host):\(boundPort)", archive: archive.displayName, routes: configuration.routes)

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
        writer.close()
        log.note("stopped: \(server.stats.finished) exchange(s), \(server.stats.failed) not complete")
        log.flush()
        // A failure while closing (a database still unreachable after the stop) is said too.
        if let failure = fatal ?? writer.failure?.description { throw CLIError.runtime("the archive cannot be written: \(failure)") }
    }
}

/// Hands an archive failure to the server, which exists only after the writer is made.
private final class FailureRelay: @unchecked Sendable {
    private let lock = NSLock()
    private var target: (@Sendable (String) -> Void)?
    private var pending: String?

    /// Sets where failures go; a failure reported before this is delivered now.
    func connect(_ target: @escaping @Sendable (String) -> Void) {
        let early: String? = lock.withLock { self.target = target; return pending }
        if let early { target(early) }
    }

    /// Reports a failure (delivered at once when connected, else kept for `connect`).
    func report(_ message: String) {
        let t: (@Sendable (String) -> Void)? = lock.withLock {
            if target == nil { pending = message }
            return target
        }
        t?(message)
    }
}

extension ProviderPreset: ExpressibleByArgument {}
