// Replay benchmark. Measures, against the StreamtapeReplay server in-process on 127.0.0.1:
//   1. per-chunk timing error at speed 1 (arrival - (request sent + recorded offset)) with 1, 100 and
//      1,000 concurrent replays: p50, p99, max;
//   2. drift at the end of a 60-second tape (one chunk every 100 ms);
//   3. time to serve a 1,000-event tape with instant pacing (request sent to last byte received).
// Targets (docs/design): p99 under 1 ms, no drift, 1,000 events in under 10 ms.
// Every concurrency level is repeated (rounds run one after another) until it has at least
// `--min-chunks` samples (1,000 by default), so its p99 is not just its maximum; p99 and max are raw.
// Usage: swift run -c release replay-bench [--drift-seconds 60] [--concurrency 1,100,1000]
//        [--min-chunks 1000] [--instant-runs 1000] [--only-instant]
import Foundation
import NIOPosix
import StreamtapeCore
import StreamtapeReplay

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
}

func ms(_ v: Double) -> String { String(Double(Int(v * 1000)) / 1000) }

var driftSeconds = 60
var levels = [1, 100, 1000]
var minChunks = 1000
var instantRuns = 1000
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
    if a == "--drift-seconds", let v = args.popFirst().flatMap({ Int($0) }) { driftSeconds = v }
    if a == "--only-instant" { levels = []; driftSeconds = 0 }
    if a == "--concurrency", let v = args.popFirst() { levels = v.split(separator: ",").compactMap { Int($0) } }
    if a == "--min-chunks", let v = args.popFirst().flatMap({ Int($0) }) { minChunks = v }
    if a == "--instant-runs", let v = args.popFirst().flatMap({ Int($0) }) { instantRuns = max(1, v) }
}
BenchClient.raiseFileLimit()
let clientGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)

/// The 1-, 5- and 15-minute load averages (Linux), to tell a quiet run from a disturbed one.
func loadAverage() -> String {
    guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
    return text.split(separator: " ").prefix(3).joined(separator: " ")
}

/// CPU time (user + system, ms) used so far by the server's threads: NIO's singleton event loops
/// (`NIO-SGLTN-*`), which only the replay server uses here (the client has its own group). Linux
/// counts it in clock ticks (10 ms), so it is read over whole rows of thousands of chunks.
func serverCPUms() -> Double {
    let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
    let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
    var total = 0.0
    for t in tasks {
        guard let stat = try? String(contentsOfFile: "/proc/self/task/\(t)/stat", encoding: .utf8),
              let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")"),
              stat[stat.index(after: open)..<close].hasPrefix("NIO-SGLTN") else { continue }
        let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
        total += (Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)  // utime, stime (fields 14, 15)
    }
    return total / ticks * 1000
}

/// "server CPU N ms, M µs per chunk" since `start` (a `serverCPUms()` reading).
func cpuNote(since start: Double, chunks: Int) -> String {
    let used = serverCPUms() - start
    return "server CPU \(Int(used)) ms, \(chunks > 0 ? String(Double(Int(used * 1000 / Double(chunks) * 10)) / 10) : "–") µs per chunk"
}

print("load average at start: \(loadAverage())")
print("")
print("| measurement | p50 (ms) | p99 (ms) | max (ms) | notes |")
print("|---|---|---|---|---|")

// 1. Timing error under concurrency: 40 chunks, 50 ms apart (2 s), speed 1; N replays per round,
//    rounds one after another until the level has at least `minChunks` chunks.
let interval: UInt64 = 50_000_000
let chunksPerTape = 40
for n in levels {
    let tape = Tapes.exchange(events: chunksPerTape, intervalNs: interval)
    let rounds = max(1, (minChunks + n * chunksPerTape - 1) / (n * chunksPerTape))
    let server = try await ReplayServer.start(exchanges: Array(repeating: tape, count: n), configuration: .init(match: .sequence))
    let cpu0 = serverCPUms()
    var records: [StreamRecord] = []
    for _ in 0..<rounds {
        server.reset()
        records += try await BenchClient.run(port: server.port, count: n, spreadNs: n > 1 ? 1_000_000 : 0, timeoutNs: 30_000_000_000, group: clientGroup)
    }
    let cpu = cpuNote(since: cpu0, chunks: n * rounds * chunksPerTape)
    try await server.stop()
    var errors: [Double] = []
    var headErrors: [Double] = []
    var missing = 0
    for c in records {
        for k in 0..<chunksPerTape {
            guard let at = c.arrivals[k] else { missing += 1; continue }
            errors.append((Double(at) - Double(c.sentAt + Tapes.deadline(k, intervalNs: interval))) / 1e6)
            if let head = c.firstReadAt { headErrors.append((Double(at) - Double(head + Tapes.deadline(k, intervalNs: interval))) / 1e6) }
        }
    }
    headErrors.sort()
    if CommandLine.arguments.contains("--verbose") { print(errors.prefix(40).map(ms)) }
    errors.sort()
    print("| timing error, \(n) concurrent, speed 1 | \(ms(percentile(errors, 0.5))) | \(ms(percentile(errors, 0.99))) | \(ms(errors.last ?? .nan)) | \(errors.count) chunks (\(rounds) round\(rounds == 1 ? "" : "s") of \(n) × \(chunksPerTape)), \(missing) missing; min \(ms(errors.first ?? .nan)); measured from the head's arrival instead: p50 \(ms(percentile(headErrors, 0.5))), p99 \(ms(percentile(headErrors, 0.99))), max \(ms(headErrors.last ?? .nan)); \(cpu) |")
}

// 2. Drift over a long tape: one chunk every 100 ms for `driftSeconds`.
if driftSeconds > 0 {
    let count = driftSeconds * 10
    let step: UInt64 = 100_000_000
    let server = try await ReplayServer.start(exchanges: [Tapes.exchange(events: count, intervalNs: step)])
    let c = try await BenchClient.run(port: server.port, count: 1, timeoutNs: UInt64(driftSeconds + 10) * 1_000_000_000, group: clientGroup)[0]
    try await server.stop()
    let errors = (0..<count).compactMap { k in c.arrivals[k].map { (Double($0) - Double(c.sentAt + Tapes.deadline(k, intervalNs: step))) / 1e6 } }
    func median(_ xs: ArraySlice<Double>) -> Double { percentile(xs.sorted(), 0.5) }
    let window = max(1, min(50, errors.count / 4))
    let head = median(errors.prefix(window)), tail = median(errors.suffix(window))
    // Least-squares slope of error against chunk time: drift in ms per minute.
    let xs = (0..<errors.count).map { Double($0 + 1) * Double(step) / 6e10 }
    let mx = xs.reduce(0, +) / Double(xs.count), my = errors.reduce(0, +) / Double(errors.count)
    let slope = zip(xs, errors).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / xs.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
    let sorted = errors.sorted()
    let fromHead = c.firstReadAt.map { head in (0..<count).compactMap { k in c.arrivals[k].map { (Double($0) - Double(head + Tapes.deadline(k, intervalNs: step))) / 1e6 } }.sorted() } ?? []
    let headAfter = c.firstReadAt.map { ms(Double($0 - c.sentAt) / 1e6) } ?? "none"
    print("| timing error over a \(driftSeconds)-second tape, 1 stream | \(ms(percentile(sorted, 0.5))) | \(ms(percentile(sorted, 0.99))) | \(ms(sorted.last ?? .nan)) | drift: median error of the first \(window) chunks \(ms(head)), of the last \(window) \(ms(tail)); fitted slope \(ms(slope)) ms per minute; \(errors.count) of \(count) chunks; the head arrived \(headAfter) ms after the request was sent; measured from the head's arrival instead: p50 \(ms(percentile(fromHead, 0.5))), p99 \(ms(percentile(fromHead, 0.99))), max \(ms(fromHead.last ?? .nan)) |")
}

// 3. A 1,000-event tape with instant pacing, `instantRuns` runs one after another.
do {
    let server = try await ReplayServer.start(exchanges: [Tapes.exchange(events: 1000, intervalNs: 10_000_000)],
                                              configuration: .init(pacing: .init(instant: true)))
    var times: [Double] = []
    let cpu0 = serverCPUms()
    for _ in 0..<instantRuns {
        server.reset()
        let c = try await BenchClient.run(port: server.port, count: 1, timeoutNs: 10_000_000_000, group: clientGroup)[0]
        if let end = c.endedAt, c.arrivals.count == 1000 { times.append(Double(end - c.sentAt) / 1e6) }
        if CommandLine.arguments.contains("--verbose"), let first = c.arrivals[0], let last = c.arrivals[999] {
            print("first event \(ms(Double(first - c.sentAt) / 1e6)) ms, last \(ms(Double(last - c.sentAt) / 1e6)) ms, reads \(c.reads)")
        }
    }
    let cpu = cpuNote(since: cpu0, chunks: instantRuns * 1000)
    try await server.stop()
    times.sort()
    print("| 1,000-event tape, instant (request to last byte) | \(ms(percentile(times, 0.5))) | \(ms(percentile(times, 0.99))) | \(ms(times.last ?? .nan)) | \(times.count) of \(instantRuns) runs complete; min \(ms(times.first ?? .nan)); \(cpu) |")
}

print("")
print("load average at end: \(loadAverage())")
