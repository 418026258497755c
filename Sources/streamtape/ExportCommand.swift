import ArgumentParser
import Foundation
import StreamtapeCore
import StreamtapeImport

/// `streamtape export`: one exchange out of the archive as a tape, raw body, event lines or HAR; several as a VCR cassette.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export an exchange as a tape, its raw body, its events (JSON Lines) or HAR 1.2; exchanges as a VCR cassette.")

    /// The export formats.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case tape, sse, events, har, cassette
    }

    @Argument(help: "The exchange id (or a capture file, to convert it); several with --format cassette.")
    var sources: [String]

    @Option(help: "tape (*.tape.jsonl), sse (the raw body bytes), events (JSON Lines), har (HAR 1.2) or cassette (vcrpy YAML).")
    var format: Format = .tape

    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
    var output: String?

    @Option(help: "Force a dialect for --format events.")
    var dialect: Dialect?

    @OptionGroup var archive: ArchiveOptions

    func validate() throws {
        if sources.isEmpty { throw ValidationError("give an exchange id or a capture file") }
        if sources.count > 1, format != .cassette { throw ValidationError("only --format cassette exports several exchanges into one file") }
    }

    func run() async throws {
        var exchange = try loadExchange(sources[0], archive: archive)
        // The archive id is local to one archive: a portable tape leaves it out, so that
        // tape → archive → tape gives the same bytes.
        exchange.id = nil
        let bytes: [UInt8]
        switch format {
        case .tape: bytes = Array(Tape.encode(exchange).utf8)
        case .sse: bytes = exchange.body
        case .events:
            let a = Analysis.analyze(exchange, dialect: dialect)
            bytes = Array(zip(a.events, a.eventTimesNs).map { EventLines.line($0, timeNs: $1) + "\n" }.joined().utf8)
        case .har: bytes = Array(HAR.encode([exchange], creatorVersion: streamtapeVersion).utf8)
        case .cassette: bytes = Array(CassetteWriter.encode([exchange] + (try sources.dropFirst().map { try loadExchange($0, archive: archive) })).utf8)
        }
        if let output {
            try OutputFile.write(bytes, to: output)
        } else {
            Out.bytes(bytes)
        }
    }
}
