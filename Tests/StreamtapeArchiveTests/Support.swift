import Foundation
import StreamtapeCore
@testable import StreamtapeArchive

/// A fresh folder under the system temp directory, removed by `cleanup()`.
struct TempFolder {
    let url: URL
    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("streamtape-archive-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    func cleanup() { try? FileManager.default.removeItem(at: url) }
}

/// Deterministic pseudo-random bytes (a fixed LCG), so failures reproduce.
func pseudoRandomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return UInt8(truncatingIfNeeded: state >> 33)
    }
}

/// The permission bits of a file.
func mode(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

/// An SSE exchange whose chunks cut events, lines and a UTF-8 character, plus raw non-UTF-8 bytes.
func sampleExchange(end: ExchangeEnd? = ExchangeEnd(offsetNs: 1_503_000_000, state: .complete)) -> Exchange {
    let request = CapturedRequest(
        method: "POST", target: "/v1/chat/completions?stream=1",
        headers: [Header("Content-Type", "application/json"), Header("x-trace", "b"), Header("X-Trace", "a"),
                  Header("authorization", "[redacted sha256:1a2b3c]")],
        body: Array(#"{"model":"m","stream":true}"#.utf8) + [0x00, 0xFF])
    let response = CapturedResponse(status: 200,
                                     headers: [Header("content-type", "text/event-stream"), Header("Set-Cookie", "[redacted]"),
                                               Header("set-cookie", "[redacted]")],
                                     offsetNs: 182_000_000)
    let chunks = [
        Chunk(seq: 0, offsetNs: 231_045_000, bytes: Array("data: {\"a\":\"h\u{E9}".utf8.dropLast())),  // cuts é
        Chunk(seq: 1, offsetNs: 262_990_000, bytes: [0xA9] + Array("\"}\n\ndata: x\r".utf8)),
        Chunk(seq: 2, offsetNs: 262_990_001, bytes: [0x0A, 0x0D, 0x0A, 0xFF, 0xFE, 0x00]),
        Chunk(seq: 3, offsetNs: UInt64.max, bytes: Array("\n\ndata: [DONE]\n\n".utf8)),
    ]
    return Exchange(startedMs: 1_795_000_000_123, upstream: "https://api.openai.com", request: request,
                    response: response, chunks: chunks, end: end, tags: ["smoke", "openai"], note: "a note")
}

/// Records `exchange` through the sink calls, as the recorder would, and returns the id.
@discardableResult
func record(_ exchange: Exchange, into writer: ArchiveWriter) throws -> Int64 {
    let id = try writer.begin(startedMs: exchange.startedMs, upstream: exchange.upstream, request: exchange.request,
                              tags: exchange.tags)
    if let r = exchange.response { writer.response(id, r) }
    for c in exchange.chunks { writer.chunk(id, c) }
    if let note = exchange.note { writer.setNote(id: id, note) }
    if let e = exchange.end { writer.end(id, e) }
    return id
}

/// What the archive gives back for `exchange` stored under `id`: tags sorted, everything else equal.
func stored(_ exchange: Exchange, id: Int64) -> Exchange {
    var e = exchange
    e.id = id
    e.tags = Array(Set(e.tags)).sorted()
    return e
}

/// Polls `condition` until it holds or `seconds` pass; for effects of another thread (not pacing).
func eventually(_ seconds: Double = 5, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(2_000)
    }
    return try condition()
}

/// A thread-safe list of reported failures.
final class FailureLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [ArchiveError] = []
    func append(_ e: ArchiveError) { lock.lock(); items.append(e); lock.unlock() }
    var all: [ArchiveError] { lock.lock(); defer { lock.unlock() }; return items }
}
