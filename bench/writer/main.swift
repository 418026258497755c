// writer-bench: the archive writer alone, fed the way the recorder feeds it under load.
//
// N exchanges are open at once and each gets a chunk every 1/rate seconds (interleaved, paced in
// 1 ms ticks) for the given seconds; then the writer is flushed and closed. Printed: chunks, the
// process CPU time per chunk (the pacing loop itself is a few percent of it), commits, and the
// bytes the writer thread wrote and read (from /proc/self/io: WAL appends, checkpoints, page reads).
//
//   swift run -c release writer-bench [--exchanges 1000] [--rate 100] [--seconds 5] [--chunk 70]
import Foundation
import StreamtapeArchive
import StreamtapeCore

func argument(_ name: String, _ fallback: Int) -> Int {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: name), i + 1 < args.count, let v = Int(args[i + 1]) else { return fallback }
    return v
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// Bytes passed to read and write calls (rchar/wchar): this process has no sockets, so it is the
/// file I/O SQLite does, page cache included (read_bytes/write_bytes would miss cached pages).
func ioBytes() -> (read: Int, written: Int) {
    guard let text = try? String(contentsOfFile: "/proc/self/io", encoding: .utf8) else { return (0, 0) }
    var read = 0, written = 0
    for line in text.split(separator: "\n") {
        let parts = line.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let v = Int(parts[1]) else { continue }
        if parts[0] == "rchar" { read = v }
        if parts[0] == "wchar" { written = v }
    }
    return (read, written)
}

let exchanges = argument("--exchanges", 1000)
let rate = argument("--rate", 100)
let seconds = argument("--seconds", 5)
let chunkSize = argument("--chunk", 70)

let folder = FileManager.default.temporaryDirectory.appendingPathComponent("writer-bench-\(getpid())")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }
let path = folder.appendingPathComponent("bench.sqlite").path

let writer = try ArchiveWriter(archive: try Archive.open(path: path))
var ids: [Int64] = []
for i in 0..<exchanges {
    let id = try writer.begin(startedMs: 1_790_000_000_000 + Int64(i), upstream: "http://127.0.0.1:1",
                              request: CapturedRequest(method: "POST", target: "/v1/chat/completions",
                                                       headers: [Header("content-type", "application/json")],
                                                       body: Array(#"{"stream":true}"#.utf8)), tags: ["bench"])
    writer.response(id, CapturedResponse(status: 200, headers: [Header("content-type", "text/event-stream")], offsetNs: 1_000_000))
    ids.append(id)
}
try writer.flush()

let payload = Array("data: {\"choices\":[{\"delta\":{\"content\":\"".utf8)
let cpu0 = cpuSeconds(), io0 = ioBytes(), start = Date()
var seq = [Int](repeating: 0, count: exchanges)
var sent = 0
let ticks = seconds * 1000
let perTick = Double(exchanges * rate) / 1000
var owed = 0.0
for tick in 0..<ticks {
    owed += perTick
    while owed >= 1 {
        let e = sent % exchanges
        var bytes = payload + Array(String(sent).utf8)
        bytes += [UInt8](repeating: 0x78, count: max(0, chunkSize - bytes.count - 2)) + [0x0A, 0x0A]
        writer.chunk(ids[e], Chunk(seq: seq[e], offsetNs: UInt64(tick) * 1_000_000 + 2_000_000, bytes: bytes))
        seq[e] += 1
        sent += 1
        owed -= 1
    }
    let due = start.addingTimeInterval(Double(tick + 1) / 1000)
    let wait = due.timeIntervalSinceNow
    if wait > 0 { usleep(UInt32(wait * 1e6)) }
}
let fed = Date().timeIntervalSince(start)
try writer.flush()
let drained = Date().timeIntervalSince(start)
let cpu = cpuSeconds() - cpu0, io = ioBytes()
for (i, id) in ids.enumerated() { writer.end(id, ExchangeEnd(offsetNs: UInt64(ticks + 10) * 1_000_000 + UInt64(i), state: .complete)) }
writer.close()
let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
print(String(format: "%d exchanges x %d chunks/s for %d s: %d chunks of %d B fed in %.2f s, flushed at %.2f s",
             exchanges, rate, seconds, sent, chunkSize, fed, drained))
print(String(format: "CPU %.2f s = %.2f cores, %.1f µs per chunk; file I/O: wrote %.1f MB (%.1f x the chunk bytes), read %.1f MB; archive %.1f MB",
             cpu, cpu / drained, cpu * 1e6 / Double(sent), Double(io.written - io0.written) / 1e6,
             Double(io.written - io0.written) / Double(sent * chunkSize), Double(io.read - io0.read) / 1e6, Double(size) / 1e6))
