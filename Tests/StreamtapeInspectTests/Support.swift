import Foundation
import StreamtapeCore
@testable import StreamtapeInspect

/// Corpus bodies and exchanges built from them with chunking and timing chosen by the tests.
enum Fixtures {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../StreamtapeCoreTests/Fixtures/real-streams").standardized
    static let tmux = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../tmux/fixtures").standardized

    static var corpusNames: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? [])
            .filter { $0.hasSuffix(".sse") }.map { String($0.dropLast(4)) }.sorted()
    }

    static func body(_ name: String) -> [UInt8] {
        [UInt8](FileManager.default.contents(atPath: corpus.appendingPathComponent(name + ".sse").path) ?? Data())
    }

    static func midstreamError() -> [UInt8] {
        [UInt8](FileManager.default.contents(atPath: tmux.appendingPathComponent("anthropic-midstream-error.sse").path) ?? Data())
    }

    /// An exchange whose chunk `k` holds `size` bytes and arrives at `(k + 1) * paceMs` ms, unless
    /// `times` gives the arrival of each chunk.
    static func exchange(_ bytes: [UInt8], chunk size: Int, paceMs: UInt64 = 10, times: [UInt64]? = nil) -> Exchange {
        var chunks: [Chunk] = []
        var i = 0
        while i < bytes.count {
            let k = chunks.count
            let t = times?[k] ?? UInt64(k + 1) * paceMs * 1_000_000
            chunks.append(Chunk(seq: k, offsetNs: t, bytes: Array(bytes[i..<min(i + size, bytes.count)])))
            i += size
        }
        return Exchange(startedMs: 0, upstream: "https://api.example", request: CapturedRequest(method: "POST", target: "/v1/messages"),
                        response: CapturedResponse(status: 200, headers: [Header("content-type", "text/event-stream")], offsetNs: 1_000_000),
                        chunks: chunks, end: ExchangeEnd(offsetNs: (chunks.last?.offsetNs ?? 0) + 1_000_000, state: .complete))
    }

    /// A fully indexed document, read as `dialect` (detected when nil), with Core's findings.
    static func document(_ exchange: Exchange, dialect: Dialect? = nil, pageSize: Int = 4) throws -> InspectDocument {
        let d = try InspectDocument(source: MemoryCaptureSource(exchange), dialect: dialect, pageSize: pageSize)
        try d.indexToEnd()
        return d
    }
}

/// A context over a document with a clock the test sets.
struct ManualContext: InspectorContext {
    let doc: InspectDocument
    var nowNs: UInt64 = 0
    var eventCount: Int { doc.eventCount }
    var isComplete: Bool { doc.isComplete }
    var findingEvents: [Int] { doc.findingEvents }
    var findingsStatus: InspectDocument.FindingsState { doc.findingsStatus }
    func eventTime(_ i: Int) -> UInt64? { doc.eventTime(i) }
    func lastEvent(atOrBefore ns: UInt64) -> Int? { doc.lastEvent(atOrBefore: ns) }
    var endTimeNs: UInt64 { doc.endTimeNs }
    func search(_ query: String, from: Int, forward: Bool) -> Int? { doc.search(query, from: from, forward: forward) }
    var isCaughtUp: Bool { doc.isCaughtUp }
    var progress: Double { doc.progress }
    var tailCount: Int { doc.tailCount }
    func loadTail() -> Int { doc.loadTail() }
}
