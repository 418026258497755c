import ArgumentParser
import Foundation
import StreamtapeArchive
import StreamtapeCore
import StreamtapeForwarding
import StreamtapeReplay
import StreamtapeUpstream

extension ReplayMatchMode: ExpressibleByArgument {}

/// `streamtape replay`: serve recorded exchanges over HTTP, byte-exact and on their recorded schedule.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Serve recorded streams over HTTP with their original chunks and timing, optionally broken on purpose.",
        discussion: """
        GET /__streamtape/health answers 200 JSON; POST /__streamtape/reset makes matching start again \
        (other methods on them get 405). A request no recording matches gets 404 with a JSON body naming \
        the closest recorded requests. Each request gets one line on stderr (served or miss) unless --quiet. \
        Faults: cut@N, stall@N=SECONDS, rechunk=K, rechunk=random:SEED, error@N=DIALECT, status=CODE[:DIALECT], \
        drop-terminator. Events are numbered from 0 as show and check number them; @N means before event #N \
        (events #0 to #N-1 are delivered; @0 is before the first event); see docs/replay.md. \
        With --record-misses --upstream URL a request no recording matches is forwarded to URL, streamed \
        back, recorded (credentials redacted) into --archive (or, with --into FOLDER, as the next \
        NNN.tape.jsonl of FOLDER), and serves later identical requests. GET /__streamtape/misses lists \
        the 404 bodies served so far. SIGINT or SIGTERM stops it with exit 0.
        """
    )

    @Argument(help: "Tape files, folders of tapes or archives to serve (.tape.jsonl, .sse, .ndjson); none with --record-misses.")
    var sources: [String] = []

    // `.unconditional` on the numeric options: `--speed -1` reaches validate() and gets a message
    // about the value, instead of "missing value" for an option that looks like a flag.
    /// `replay`'s listen address: 8788, beside the recorder's 8787.
    enum Listen: ListenDefault {
        static let address = "127.0.0.1:8788"
        static let help = "Address and port to listen on, HOST:PORT."
    }

    @OptionGroup var listen: ListenOptions<Listen>

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Port to listen on, overriding the one in --listen; 0 picks a free port.", valueName: "port"))
    var port: Int?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Replay this many times faster than recorded: 2 is twice as fast, 0.5 half speed (default: 1).", valueName: "factor"))
    var speed: Double?

    @Flag(help: "Send everything as fast as the client reads, ignoring recorded timing (not with --speed or --max-gap).")
    var instant = false

    @Option(name: .customLong("max-gap"), parsing: .unconditional, help: ArgumentHelp("Cap every pause between writes at this many seconds (0 to \(Int(Self.longestMaxGap))).", valueName: "seconds"))
    var maxGap: Double?

    @Option(help: ArgumentHelp("How requests pick recordings: request (method, path, query, JSON body), path, or sequence.", valueName: "mode"))
    var match: ReplayMatchMode = .request

    @Option(name: .customLong("ignore-field"), help: ArgumentHelp("A JSON body field left out of matching, dot-separated (e.g. metadata.session); repeatable.", valueName: "field"))
    var ignoreFields: [String] = []

    @Flag(name: .customLong("repeat"), help: "Serve each recording as often as it is asked, not once.")
    var repeats = false

    @Option(name: .customLong("fault"), help: ArgumentHelp("A fault to inject, e.g. cut@3 (close before event #3), stall@2=5, rechunk=1, error@4=anthropic, status=429, drop-terminator; repeatable.", valueName: "spec"))
    var faults: [String] = []

    @Option(help: ArgumentHelp("Serve only this exchange id of an archive.", valueName: "id"))
    var exchange: Int64?

    @Option(help: ArgumentHelp("Serve only the exchanges of an archive carrying this tag (recorded misses get it too).", valueName: "name"))
    var tag: String?

    @Flag(name: .customLong("record-misses"), help: "Forward requests no recording matches to --upstream and record them into --archive.")
    var recordMisses = false

    @Option(name: .long, help: ArgumentHelp("Where --record-misses forwards: a base URL, a preset (\(ProviderPreset.allCases.map(\.rawValue).joined(separator: ", "))) or PREFIX=URL; repeatable.", valueName: "url"))
    var upstream: [String] = []

    @Flag(name: .long, help: "Print only the startup line and errors, no line per request.")
    var quiet = false

    @Flag(name: .customLong("record-every-miss"), help: "With --record-misses: forward every miss, also one an earlier recording of this run would answer.")
    var recordEveryMiss = false

    @Option(help: ArgumentHelp("With --record-misses: write each recorded miss as the next NNN.tape.jsonl of this folder instead of into an archive.", valueName: "folder"))
    var into: String?

    @OptionGroup var archive: ArchiveOptions

    @OptionGroup var recorder: RecorderOptions

    @OptionGroup var clientLimits: ClientLimitOptions

    /// The largest `--max-gap`, in seconds (a day): any longer cap is no cap.
    static let longestMaxGap: Double = 86_400
    /// The slowest `--speed`: a thousand times slower than recorded.
    static let slowestSpeed = 0.001

    func validate() throws { _ = try checkedOptions() }

    /// The options, checked: what is wrong with a value is said about that value.
    func checkedOptions() throws -> (host: String, port: Int, pacing: ReplayPacing, faults: [FaultSpec]) {
        if instant, speed != nil || maxGap != nil {
            throw ValidationError("--instant ignores recorded timing: leave out --speed and --max-gap, or --instant")
        }
        if let speed, !(speed >= Self.slowestSpeed && speed.isFinite) {
            throw ValidationError("--speed must be a number from \(Self.slowestSpeed) up (2 is twice as fast), got \(Self.shown(speed))")
        }
        var maxGapNs: UInt64?
        if let maxGap {
            guard let ns = ReplayNanoseconds.from(seconds: maxGap, limit: Self.longestMaxGap) else {
                throw ValidationError("--max-gap must be a number of seconds from 0 to \(Int(Self.longestMaxGap)), got \(Self.shown(maxGap))")
            }
            maxGapNs = ns
        }
        if let port, !(0...65535).contains(port) { throw ValidationError("--port must be from 0 to 65535, got \(port)") }
        let (host, listenPort) = try listen.address()
        let specs = try faults.map { spec in
            do { return try FaultSpec(parsing: spec) } catch { throw ValidationError(String(describing: error)) }
        }
        if recordMisses, upstream.isEmpty { throw ValidationError("--record-misses needs --upstream URL: where requests no recording matches are forwarded") }
        if !recordMisses, !upstream.isEmpty { throw ValidationError("--upstream is used only with --record-misses (replay forwards nothing otherwise)") }
        if into != nil, !recordMisses { throw ValidationError("--into is used only with --record-misses (where recorded misses are written)") }
        if recordEveryMiss, !recordMisses { throw ValidationError("--record-every-miss is used only with --record-misses") }
        if into != nil, archive.archive != nil { throw ValidationError("--into and --archive both say where misses are recorded: give one") }
        if sources.isEmpty, !recordMisses { throw ValidationError("give at least one SOURCE to replay (a tape, a folder of tapes or an archive)") }
        _ = try missRoutes()
        return (host, port ?? listenPort, ReplayPacing(speed: speed ?? 1, instant: instant, maxGapNs: maxGapNs,
                                                         pacesUnknownTiming: speed != nil || maxGapNs != nil), specs)
    }

    /// The `--upstream` routes of record-on-miss (same syntax as `streamtape record --upstream`).
    func missRoutes() throws -> UpstreamRoutes {
        var routes = UpstreamRoutes()
        do { for spec in upstream { try routes.add(spec) } } catch { throw ValidationError("\(error)") }
        return routes
    }

    /// The sources to load: with record-on-miss, the archive (or `--into` folder) being written may not exist yet.
    private func sourcesToLoad() -> [String] {
        guard recordMisses else { return sources }
        let target = URL(fileURLWithPath: into ?? archive.path).standardizedFileURL.path
        return sources.filter { source in
            ArchiveLocation(source).isPostgres || FileManager.default.fileExists(atPath: source) || URL(fileURLWithPath: source).standardizedFileURL.path != target
        }
    }


    func run() async throws {
        let (host, port, pacing, specs) = try checkedOptions()
        let paths = sourcesToLoad()
        // Loaded into memory before the archive writer opens: a SOURCE that is --archive is read, then written.
        let exchanges = paths.isEmpty ? [] : try loadReplaySources(paths, exchange: exchange, tag: tag, allowEmpty: recordMisses)
        guard !exchanges.isEmpty || recordMisses else { throw CLIError.unreadable("no exchanges to replay in \(sources.joined(separator: " "))") }
        var config = ReplayConfiguration(host: host, port: port, pacing: pacing, match: match, ignoreFields: ignoreFields,
                                         repeats: repeats, faults: specs, limits: clientLimits.limits)
        if !quiet { config.onRequest = { Self.say($0.line) } }
        let destination: MissRecorder.Destination = into.map { .folder($0) } ?? .archive(archive)
        let misses = recordMisses ? try MissRecorder(routes: try missRoutes(), destination: destination, tags: tag.map { [$0] } ?? [], learns: !recordEveryMiss,
                                                       recorder: recorder.name) : nil
        config.recordMisses = misses?.recording
        if !isLoopback(host) { Self.say("warning: listening on \(host), reachable from other machines") }
        let server: ReplayServer
        do {
            server = try await ReplayServer.start(exchanges: exchanges, configuration: config)
        } catch let error as FaultSpecError {
            misses?.discard()
            throw CLIError.unreadable(error.description)
        } catch let error as ReplayPortInUse {
            misses?.discard()
            throw CLIError.runtime(error.description)
        } catch {
            misses?.discard()
            throw CLIError.runtime("cannot listen on \(host):\(port): \(error)")
        }
        // Before the first line: a script that reads the port and then signals must find the handler in place.
        // A signal stops the server; with record-on-miss the archive is then flushed and closed before exit.
        let signals = SignalWatcher([SIGINT, SIGTERM]) { number in
            Self.say("stopping (\(SignalWatcher.name(number)))")
            Task { try? await server.stop() }
        }
        // The first stdout line, written unbuffered: scripts read the port from it.
        FileHandle.standardOutput.write(Data("listening on \(server.url)\n".utf8))
        misses?.announce()
        try? await server.wait()
        signals.cancel()
        misses?.close()
        Self.say("stopped")
    }

    /// A number as typed: `-1`, not `-1.0`.
    static func shown(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
    }

    private static func say(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }
}
