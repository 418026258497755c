import Foundation
import StreamtapeCore
import StreamtapeInspect

/// Inspector benchmark: open a 1,000,000-event exchange, time the first screen and the jump to
/// the end, and report peak memory. Run a release build: `swift run -c release inspect-bench [events]`,
/// or over an archive: `inspect-bench --make-archive PATH [events]`, then `inspect-bench --archive PATH`.
var args = Array(CommandLine.arguments.dropFirst())
var archivePath: String?
if args.first == "--make-archive", args.count >= 2 {
    let n = args.dropFirst(2).first.flatMap(Int.init) ?? 1_000_000
    try ArchiveMode.make(path: args[1], source: GeneratedSource(events: n, errorAt: n / 2))
    exit(0)
}
if args.first == "--archive", args.count >= 2 { archivePath = args[1]; args.removeFirst(2) }
let events = args.first.flatMap(Int.init) ?? 1_000_000
let source: any CaptureSource = try archivePath.map { try ArchiveMode.open(path: $0) } ?? GeneratedSource(events: events, errorAt: events / 2)

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
func ms(_ ns: UInt64) -> String { String(format: "%.1f ms", Double(ns) / 1e6) }
func peakRSSMB() -> Double {
    // VmHWM: the resident set's high-water mark (Linux).
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
    return Double(line.split(separator: " ").dropFirst().first ?? "0").map { $0 / 1024 } ?? 0
}

let baseline = peakRSSMB()

// First screen: open (head + first page) and render 80x24.
let t0 = now()
let doc = try InspectDocument(source: source, dialect: .openaiChat)
var state = InspectorState()
let first = ExchangeScreen.render(&state, doc, width: 80, height: 24)
let tFirst = now() - t0
doc.startIndexing()

// Jump to end right away, while the index is still being built.
let t1 = now()
_ = Keymap().handle(.char("G"), &state, DocumentContext(doc, nowNs: now()))
let last = ExchangeScreen.render(&state, doc, width: 80, height: 24)
let tEnd = now() - t1
let shownAtEnd = last.text.contains("[DONE]")

// Full index in the background.
let t2 = now()
while !doc.isComplete { Thread.sleep(forTimeInterval: 0.005) }
let tIndex = now() - t2 + tEnd
_ = state.tick(DocumentContext(doc, nowNs: now()))
let t3 = now()
_ = Keymap().handle(.char("g"), &state, DocumentContext(doc, nowNs: now()))
_ = Keymap().handle(.char("G"), &state, DocumentContext(doc, nowNs: now()))
let indexedEnd = ExchangeScreen.render(&state, doc, width: 80, height: 24)
let tEndIndexed = now() - t3

print("inspector benchmark\(archivePath.map { " (archive \($0))" } ?? " (generated source)"): \(doc.eventCount) events, \(doc.chunkCount) chunks, \(doc.byteCount / 1_000_000) MB body")
print("  first screen          \(ms(tFirst))   (target < 300 ms)  shows event 0: \(first.text.contains("events 1/"))")
print("  jump to end (G)       \(ms(tEnd))   (target < 100 ms, index still building)  shows [DONE]: \(shownAtEnd)")
print("  full index            \(ms(tIndex))   (background)")
print("  G once indexed        \(ms(tEndIndexed))   shows [DONE]: \(indexedEnd.text.contains("[DONE]"))  selected \(state.selected)")
print("  peak RSS              \(String(format: "%.0f", peakRSSMB())) MB (process baseline \(String(format: "%.0f", baseline)) MB)")
