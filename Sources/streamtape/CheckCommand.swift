import ArgumentParser
import Foundation
import StreamtapeCore

/// `streamtape check`: the diagnostics of one or more captures, for people and CI.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check captures for stream problems; exit 1 when any error-level finding is found.",
        discussion: "Exit codes: 0 no error-level finding; 1 at least one; 2 usage error; 3 unreadable input.")

    @Argument(help: "Exchange ids in the archive, or tape (.tape.jsonl), .sse or .ndjson files.")
    var sources: [String]

    @Flag(help: "Print one JSON object per finding (code, severity, offset, event, message, source).")
    var json = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Report gaps between chunks longer than this many seconds.", valueName: "seconds"))
    var stall: Double = 5

    @Option(parsing: .unconditional, help: ArgumentHelp("Report a first chunk later than this many seconds.", valueName: "seconds"))
    var slowFirstByte: Double = 10

    @Option(help: "Force a dialect instead of detecting it.")
    var dialect: Dialect?

    @OptionGroup var archive: ArchiveOptions

    func validate() throws {
        if sources.isEmpty { throw ValidationError("give at least one exchange id or capture file") }
        if !(stall > 0) { throw ValidationError("--stall must be a positive number of seconds, got \(stall)") }
        if !(slowFirstByte > 0) { throw ValidationError("--slow-first-byte must be a positive number of seconds, got \(slowFirstByte)") }
    }

    func run() async throws {
        var errors = 0
        var unreadable = false
        for source in sources {
            let exchange: Exchange
            do { exchange = try loadExchange(source, archive: archive) } catch let e as CLIError {
                warn("streamtape: \(e.description)")
                unreadable = true
                continue
            }
            let options = DiagnosticOptions(stallSeconds: stall, slowFirstByteSeconds: slowFirstByte)
            let analysis = Analysis.analyze(exchange, dialect: dialect, options: options)
            errors += analysis.findings.filter { $0.severity == .error }.count
            for f in analysis.findings {
                if json {
                    var j = JSONText()
                    j.open()
                    j.string("code", f.code); j.string("severity", f.severity.rawValue); j.int("offset", f.offset)
                    j.int("event", f.event); j.string("message", f.message); j.string("source", source)
                    j.close()
                    Out.line(j.text)
                } else {
                    Out.line("\(source): \(f.severity.rawValue) \(f.code) at byte \(f.offset)"
                             + "\(f.event.map { ", event \($0)" } ?? ""): \(f.message)")
                }
            }
            if !json && analysis.findings.isEmpty { Out.line("\(source): ok (\(analysis.dialect.rawValue), \(analysis.events.count) events)") }
        }
        Out.flush()
        if unreadable { throw ExitCode(3) }
        if errors > 0 { throw ExitCode(1) }
    }
}
