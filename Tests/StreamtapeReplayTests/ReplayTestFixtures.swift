import Foundation
import StreamtapeCore
import StreamtapeTestSupport

/// Corpus streams as exchanges for live replay tests. Bodies come from the Core test fixtures (`Corpus`);
/// chunking is one event per chunk, chunk k at (k + 1) * `step` (chosen: the corpus has no timing).
enum ReplayTestFixtures {
    static func exchange(_ name: String, step: UInt64 = 1_000_000, target: String = "/v1/chat/completions", body: String = "{}",
                         headers: [Header] = [Header("content-type", "text/event-stream; charset=utf-8")]) -> Exchange {
        let all = Corpus.bytes(name)
        var cuts = SSEParser.parse(chunks: [all]).events.map(\.end)
        if cuts.last != all.count { cuts.append(all.count) }
        var chunks: [Chunk] = []
        var last = 0
        for end in cuts where end > last {
            chunks.append(Chunk(seq: chunks.count, offsetNs: UInt64(chunks.count + 1) * step, bytes: Array(all[last..<end])))
            last = end
        }
        return Exchange(startedMs: 0, request: CapturedRequest(method: "POST", target: target, body: Array(body.utf8)),
                        response: CapturedResponse(status: 200, headers: headers, offsetNs: 0),
                        chunks: chunks, end: ExchangeEnd(offsetNs: UInt64(chunks.count) * step, state: .complete))
    }

    static func timed(_ texts: [(UInt64, String)], headers: [Header] = [Header("content-type", "text/event-stream")],
                      target: String = "/v1/chat/completions", body: String = "{}") -> Exchange {
        Exchange(startedMs: 0, request: CapturedRequest(method: "POST", target: target, body: Array(body.utf8)),
                 response: CapturedResponse(status: 200, headers: headers, offsetNs: 0),
                 chunks: texts.enumerated().map { Chunk(seq: $0.offset, offsetNs: $0.element.0, bytes: Array($0.element.1.utf8)) },
                 end: ExchangeEnd(offsetNs: texts.last?.0 ?? 0, state: .complete))
    }
}
