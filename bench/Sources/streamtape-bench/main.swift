// streamtape-bench: throughput of the pure core (parser, analysis, tape codec) in a release build.
// Run through bench/parser.sh, which prints a table; numbers are medians of several rounds.
import Foundation
import StreamtapeCore

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s[s.count / 2] }

/// Times `body` `rounds` times and returns the median seconds.
func time(rounds: Int = 5, _ body: () -> Void) -> Double {
    (0..<rounds).map { _ in let t = now(); body(); return Double(now() - t) / 1e9 }.sorted()[rounds / 2]
}

func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }

func row(_ name: String, bytes: Int, events: Int, seconds: Double) {
    let mbps = Double(bytes) / 1e6 / seconds
    let eps = Double(events) / seconds
    print(pad(name, 44) + String(format: " %10d %9d %9.2f %10.1f %12.0f", bytes, events, seconds * 1000, mbps, eps))
}

let corpusDir = CommandLine.arguments.dropFirst().first ?? "Tests/StreamtapeCoreTests/Fixtures/real-streams"
/// Events in the synthetic stream (second argument; smaller counts suit callgrind).
let eventCount = CommandLine.arguments.dropFirst(2).first.flatMap { Int($0) } ?? 1_000_000
let files = ((try? FileManager.default.contentsOfDirectory(atPath: corpusDir)) ?? []).filter { $0.hasSuffix(".sse") }.sorted()
let corpus = files.map { [UInt8](FileManager.default.contents(atPath: corpusDir + "/" + $0)!) }

print(pad("case", 44) + " " + ["bytes", "events", "ms", "MB/s", "events/s"].enumerated()
    .map { String(repeating: " ", count: [10, 9, 9, 10, 12][$0] - $1.count) + $1 }.joined(separator: " "))

// 1. The whole corpus, each stream fed as one chunk, repeated 50 times.
let corpusBytes = corpus.reduce(0) { $0 + $1.count } * 50
var corpusEvents = 0
let tCorpus = time {
    corpusEvents = 0
    for _ in 0..<50 { for s in corpus { corpusEvents += SSEParser.parse(chunks: [s]).events.count } }
}
row("parse corpus x50 (one chunk each)", bytes: corpusBytes, events: corpusEvents, seconds: tCorpus)

// 2. The corpus in 64-byte network-like chunks.
let tChunked = time {
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
let tSynth = time(rounds: 3) { synthEvents = SSEParser.parse(chunks: chunks).events.count }
let label = eventCount == 1_000_000 ? "1M" : String(eventCount)
row("parse synthetic \(label) events (4 KiB chunks)", bytes: synthetic.count, events: synthEvents, seconds: tSynth)

// 4. Full analysis (dialect, assembly, diagnostics) of the synthetic stream.
let exchange = Exchange(startedMs: 0, request: CapturedRequest(method: "POST", target: "/v1/chat/completions"),
                        response: CapturedResponse(status: 200, headers: [Header("content-type", "text/event-stream")]),
                        chunks: chunks.enumerated().map { Chunk(seq: $0, offsetNs: UInt64($0) * 1_000_000, bytes: $1) },
                        end: ExchangeEnd(offsetNs: UInt64(chunks.count) * 1_000_000, state: .complete))
var analysed = 0
let tAnalysis = time(rounds: 3) { analysed = Analysis.analyze(exchange).events.count }
row("analyze synthetic \(label) events (all findings)", bytes: synthetic.count, events: analysed, seconds: tAnalysis)

// 5. Tape encode + decode of the synthetic stream.
var tapeText = ""
let tEncode = time(rounds: 3) { tapeText = Tape.encode(exchange) }
row("tape encode synthetic", bytes: synthetic.count, events: synthEvents, seconds: tEncode)
let tapeBytes = Array(tapeText.utf8)
let tDecode = time(rounds: 3) { _ = try! Tape.decode(tapeBytes) }
row("tape decode synthetic", bytes: synthetic.count, events: synthEvents, seconds: tDecode)
