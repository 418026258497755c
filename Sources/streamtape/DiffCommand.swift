import ArgumentParser
import Foundation
import StreamtapeCore

/// `streamtape diff`: two exchanges compared part by part; exit 0 when equivalent, 1 when they differ.
struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "Compare two exchanges: requests, response heads, events, answer, timing and findings.",
        discussion: """
        Events are aligned one to one (same, changed, added, removed, with each event's byte offset); \
        JSON data compares as canonical JSON. An event counts as delayed when its arrival moved by more \
        than --tolerance against the event before it. A copy cut into different chunks is equivalent \
        unless --chunks is given. Exit codes: 0 equivalent, 1 different, 2 usage error, 3 unreadable input.
        """)

    @Argument(help: "Exchange A: an id in the archive, or a capture file.")
    var a: String

    @Argument(help: "Exchange B: an id in the archive, or a capture file.")
    var b: String

    @Flag(help: "Print one JSON object: equivalent, request, response, events (the ones not the same), answer, delays, findings, chunks, timing.")
    var json = false

    @Flag(help: "Count different chunk boundaries (the same bytes cut into other reads) as a difference.")
    var chunks = false

    @Option(help: "Seconds an event's arrival may move against the event before it without counting.")
    var tolerance: Double = 0.1

    @OptionGroup var archive: ArchiveOptions

    func validate() throws {
        guard tolerance.isFinite, tolerance >= 0, tolerance < 1e6 else { throw ValidationError("--tolerance must be 0 or more seconds") }
    }

    func run() async throws {
        let (x, y) = (try loadExchange(a, archive: archive), try loadExchange(b, archive: archive))
        let options = ExchangeDiff.Options(chunks: chunks, timeToleranceNs: UInt64((tolerance * 1e9).rounded()))
        let d = ExchangeDiff.compare(x, y, options: options)
        if json { Out.line(DiffOutput.json(d)) } else { DiffOutput.print(d, a: a, b: b) }
        Out.flush()
        if !d.equivalent { throw ExitCode(1) }
    }
}
