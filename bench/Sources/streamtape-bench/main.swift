// streamtape-bench: throughput of the pure core (parser, analysis, tape codec) in a release build.
// Run through bench/parser.sh, which prints a table; each row is the best of several rounds.
// BENCH_ONLY=analyze (or parse, tape) runs only the rows whose case names contain it (for profilers).
import Foundation
import StreamtapeCore

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// CPU time of this thread in ns: what "on one core" means, whatever else the machine runs.
func cpuNow() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// Wall and CPU seconds of one case.
struct Timing { var wall: Double; var cpu: Double }

/// Times `body` `rounds` times and returns the round with the least CPU time: on a shared machine the
/// other rounds measure the neighbours as well (cache and core contention), not the code.
func time(rounds: Int = 5, _ body: () -> Void) -> Timing {
    (0..<rounds).map { _ in
        let (t, c) = (now(), cpuNow())
        body()
        return Timing(wall: Double(now() - t) / 1e9, cpu: Double(cpuNow() - c) / 1e9)
    }.min { $0.cpu < $1.cpu }!
}

func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }

/// The rows to run: those whose case name contains BENCH_ONLY (all when unset).
let only = ProcessInfo.processInfo.environment["BENCH_ONLY"]
func wanted(_ name: String) -> Bool { only.map { name.contains($0) } ?? true }

/// Prints one case; rates are per CPU second (one core).
func row(_ name: String, bytes: Int, events: Int, seconds t: Timing) {
    guard wanted(name), t.cpu > 0 else { return }
    let mbps = Double(bytes) / 1e6 / t.cpu
    let eps = Double(events) / t.cpu
    print(pad(name, 44) + String(format: " %10d %9d %9.2f %9.2f %10.1f %12.0f", bytes, events, t.wall * 1000, t.cpu * 1000, mbps, eps))
}

let corpusDir = CommandLine.arguments.dropFirst().first ?? "Tests/StreamtapeCoreTests/Fixtures/real-streams"
/// Events in the synthetic stream (second argument; smaller counts suit callgrind).
let eventCount = CommandLine.arguments.dropFirst(2).first.flatMap { Int($0) } ?? 1_000_000
let files = ((try? FileManager.default.contentsOfDirectory(atPath: corpusDir)) ?? []).filter { $0.hasSuffix(".sse") }.sorted()
let corpus = files.map { [UInt8](FileManager.default.contents(atPath: corpusDir + "/" + $0)!) }

print(pad("case", 44) + " " + ["bytes", "events", "wall ms", "CPU ms", "MB/s", "events/s"].enumerated()
    .map { String(repeating: " ", count: [10, 9, 9, 9, 10, 12][$0] - $1.count) + $1 }.joined(separator: " "))

// 1. The whole corpus, each stream fed as one chunk, repeated 50 times.
let corpusBytes = corpus.reduce(0) { $0 + $1.count } * 50
var corpusEvents = 0
let tCorpus = !wanted("parse corpus") ? Timing(wall: 0, cpu: 0) : time {
    corpusEvents = 0
    for _ in 0..<50 { for s in corpus { corpusEvents += SSEParser.parse(chunks: [s]).events.count } }
}
row("parse corpus x50 (one chunk each)", bytes: corpusBytes, events: corpusEvents, seconds: tCorpus)

// 2. The corpus in 64-byte network-like chunks.
let tChunked = !wanted("parse corpus") ? Timing(wall: 0, cpu: 0) : time {
    corpusEvents = 0
    for _ in 0..<50 {
        for s in corpus {
            var p = SSEParser()
            var n = 0
            var i = 0
            while i < s.count { n += p.feed(s[i..<min(i + 64, s.count)]).count; i += 64 }
            corpusEvents += n + p.finish().count
        }
    }
}
row("parse corpus x50 (64-byte chunks)", bytes: corpusBytes, events: corpusEvents, seconds: tChunked)

// 3. A large synthetic OpenAI-style stream: 1,000,000 events (or the count given), 4 KiB chunks.
var synthetic: [UInt8] = []
synthetic.reserveCapacity(eventCount * 160)
for i in 0..<eventCount {
    synthetic += Array("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok\(i % 977) \"}}]}\n\n".utf8)
}
synthetic += Array("data: [DONE]\n\n".utf8)
var chunks: [[UInt8]] = []
var i = 0
while i < synthetic.count { chunks.append(Array(synthetic[i..<min(i + 4096, synthetic.count)])); i += 4096 }
var synthEvents = 0
let tSynth = !wanted("parse synthetic") ? Timing(wall: 0, cpu: 0) : time(rounds: 5) { synthEvents = SSEParser.parse(chunks: chunks).events.count }
let label = eventCount == 1_000_000 ? "1M" : String(eventCount)
row("parse synthetic \(label) events (4 KiB chunks)", bytes: synthetic.count, events: synthEvents, seconds: tSynth)

// 4. Full analysis (dialect, assembly, diagnostics) of the synthetic stream.
let exchange = Exchange(startedMs: 0, request: CapturedRequest(method: "POST", target: "/v1/chat/completions"),
                        response: CapturedResponse(status: 200, headers: [Header("content-type", "text/event-stream")]),
                        chunks: chunks.enumerated().map { Chunk(seq: $0, offsetNs: UInt64($0) * 1_000_000, bytes: $1) },
                        end: ExchangeEnd(offsetNs: UInt64(chunks.count) * 1_000_000, state: .complete))
var analysed = 0
let tAnalysis = !wanted("analyze") ? Timing(wall: 0, cpu: 0) : time(rounds: 5) { analysed = Analysis.analyze(exchange).events.count }
row("analyze synthetic \(label) events (all findings)", bytes: synthetic.count, events: analysed, seconds: tAnalysis)

// 5. Tape encode + decode of the synthetic stream.
var tapeText = ""
let tEncode = !wanted("tape") ? Timing(wall: 0, cpu: 0) : time(rounds: 5) { tapeText = Tape.encode(exchange) }
row("tape encode synthetic", bytes: synthetic.count, events: synthEvents, seconds: tEncode)
let tapeBytes = Array(tapeText.utf8)
let tDecode = !wanted("tape") ? Timing(wall: 0, cpu: 0) : time(rounds: 5) { _ = try! Tape.decode(tapeBytes) }
row("tape decode synthetic", bytes: synthetic.count, events: synthEvents, seconds: tDecode)
