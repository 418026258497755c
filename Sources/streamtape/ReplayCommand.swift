import ArgumentParser
import Foundation
import StreamtapeArchive
import StreamtapeCore
import StreamtapeRecord
import StreamtapeReplay
import StreamtapeUpstream

extension ReplayMatchMode: ExpressibleByArgument {}

/// `streamtape replay`: serve recorded exchanges over HTTP, byte-exact and on their recorded schedule.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Serve recorded streams over HTTP with their original chunks and timing, optionally broken on purpose.",
        discussion: """
        GET /__streamtape/health answers 200 JSON; POST /__streamtape/reset makes matching start again. \
        A request no recording matches gets 404 with a JSON body naming the closest recorded requests. \
        Faults: cut@N, stall@N=SECONDS, rechunk=K, rechunk=random:SEED, error@N=DIALECT, status=CODE[:DIALECT], \
        drop-terminator (N counts events from 1; see docs/replay.md). \
        With --record-misses --upstream URL a request no recording matches is forwarded to URL, streamed \
        back, recorded (credentials redacted) into --archive, and serves later identical requests.
        """
    )

    @Argument(help: "Tape files, folders of tapes or archives to serve (.tape.jsonl, .sse, .ndjson).")
    var sources: [String]

    @Option(help: "Address and port to listen on, HOST:PORT.")
    var listen: String = "127.0.0.1:8788"

    @Option(help: "Port to listen on, overriding the one in --listen; 0 picks a free port.")
    var port: Int?

    @Option(help: "Replay this many times faster than recorded (0.5 is half speed).")
    var speed: Double = 1

    @Flag(help: "Send everything as fast as the client reads, ignoring recorded timing.")
    var instant = false

    @Option(name: .customLong("max-gap"), help: "Cap every pause between writes at this many seconds.")
    var maxGap: Double?

    @Option(help: "How requests pick recordings: request (method, path, query, JSON body), path, or sequence.")
    var match: ReplayMatchMode = .request

    @Option(name: .customLong("ignore-field"), help: "A JSON body field left out of matching, dot-separated (e.g. metadata.session); repeatable.")
    var ignoreFields: [String] = []

    @Option(name: .customLong("fault"), help: "A fault to inject, e.g. cut@3, stall@2=5, rechunk=1, error@4=anthropic, status=429, drop-terminator; repeatable.")
    var faults: [String] = []

    @Option(help: "Serve only this exchange id of an archive.")
    var exchange: Int64?

    @Option(help: "Serve only the exchanges of an archive carrying this tag (recorded misses get it too).")
    var tag: String?

    @Flag(name: .customLong("record-misses"), help: "Forward requests no recording matches to --upstream and record them into --archive.")
    var recordMisses = false

    @Option(name: .long, help: ArgumentHelp("Where --record-misses forwards: a base URL, a preset (\(ProviderPreset.allCases.map(\.rawValue).joined(separator: ", "))) or PREFIX=URL; repeatable.", valueName: "url"))
    var upstream: [String] = []

    @OptionGroup var archive: ArchiveOptions

    /// Checks the options; usage errors are `CLIError`s with exit code 2.
    func checkedOptions() throws -> (host: String, port: Int, faults: [FaultSpec]) {
        func usage(_ message: String) -> CLIError { CLIError(description: message, code: 2) }
        guard speed > 0, speed.isFinite else { throw usage("--speed must be a number above 0") }
        if let maxGap, !(maxGap >= 0 && maxGap.isFinite) { throw usage("--max-gap must be 0 seconds or more") }
        if let port, !(0...65535).contains(port) { throw usage("--port must be from 0 to 65535") }
        guard let (host, listenPort) = parseListenAddress(listen) else { throw usage("--listen must be HOST:PORT, e.g. 127.0.0.1:8788") }
        let specs = try faults.map { spec in
            do { return try FaultSpec(parsing: spec) } catch { throw usage(String(describing: error)) }
        }
        if recordMisses, upstream.isEmpty { throw usage("--record-misses needs --upstream URL: where requests no recording matches are forwarded") }
        if !recordMisses, !upstream.isEmpty { throw usage("--upstream is used only with --record-misses (replay forwards nothing otherwise)") }
        _ = try missRoutes()
        return (host, port ?? listenPort, specs)
    }

    /// The `--upstream` routes of record-on-miss (same syntax as `streamtape record --upstream`).
    func missRoutes() throws -> UpstreamRoutes {
        var routes = UpstreamRoutes()
        do { for spec in upstream { try routes.add(spec) } } catch { throw CLIError(description: "\(error)", code: 2) }
        return routes
    }

    /// The sources to load: with record-on-miss, the archive being written may not exist yet.
    private func sourcesToLoad() -> [String] {
        guard recordMisses else { return sources }
        let target = URL(fileURLWithPath: archive.path).standardizedFileURL.path
        return sources.filter { source in
            FileManager.default.fileExists(atPath: source) || URL(fileURLWithPath: source).standardizedFileURL.path != target
        }
    }


    func run() async throws {
        let (host, port, specs) = try checkedOptions()
        let paths = sourcesToLoad()
        // Loaded into memory before the archive writer opens: a SOURCE that is --archive is read, then written.
        let exchanges = paths.isEmpty ? [] : try loadReplaySources(paths, exchange: exchange, tag: tag, allowEmpty: recordMisses)
        guard !exchanges.isEmpty || recordMisses else { throw CLIError.unreadable("no exchanges to replay in \(sources.joined(separator: " "))") }
        var config = ReplayConfiguration(
            host: host, port: port,
            pacing: ReplayPacing(speed: speed, instant: instant, maxGapNs: maxGap.map { UInt64(($0 * 1e9).rounded()) }),
            match: match, ignoreFields: ignoreFields, faults: specs)
        let misses = recordMisses ? try MissRecorder(routes: try missRoutes(), archive: archive, tags: tag.map { [$0] } ?? []) : nil
        config.recordMisses = misses?.recording
        if !isLoopback(host) {
            FileHandle.standardError.write(Data("warning: listening on \(host), reachable from other machines\n".utf8))
        }
        let server: ReplayServer
        do {
            server = try await ReplayServer.start(exchanges: exchanges, configuration: config)
        } catch let error as FaultSpecError {
            misses?.close()
            throw CLIError.unreadable(error.description)
        } catch {
            misses?.close()
            throw CLIError.runtime("cannot listen on \(host):\(port): \(error)")
        }
        // The first stdout line, written unbuffered: scripts read the port from it.
        FileHandle.standardOutput.write(Data("listening on \(server.url)\n".utf8))
        guard let misses else { return try await server.wait() }
        // Recording: a signal stops the server, then the archive is flushed and closed before exit.
        let signals = SignalWatcher([SIGINT, SIGTERM]) { _ in Task { try? await server.stop() } }
        try? await server.wait()
        signals.cancel()
        misses.close()
    }
}
