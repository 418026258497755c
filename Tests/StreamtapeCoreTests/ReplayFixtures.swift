import StreamtapeCore

/// Exchanges for replay tests, built in code. Corpus bodies are chunked one event per chunk (cut at
/// each event's end as the parser reports it), chunk k at (k + 1) * 20 ms, head at 5 ms: a choice,
/// since the corpus keeps no timing.
enum ReplayFixtures {
    static let stepNs: UInt64 = 20_000_000

    static func exchange(corpus name: String, method: String = "POST", target: String = "/v1/chat/completions",
                         requestBody: String = "{}", headers: [Header] = [Header("content-type", "text/event-stream")]) -> Exchange {
        let body = Corpus.bytes(name, "sse")
        let events = SSEParser.parse(chunks: [body]).events
        var cuts = events.map(\.end)
        if cuts.last != body.count { cuts.append(body.count) }
        var chunks: [Chunk] = []
        var last = 0
        for (k, end) in cuts.enumerated() where end > last {
            chunks.append(Chunk(seq: k, offsetNs: UInt64(k + 1) * stepNs, bytes: Array(body[last..<end])))
            last = end
        }
        return Exchange(startedMs: 0, request: CapturedRequest(method: method, target: target, body: Array(requestBody.utf8)),
                        response: CapturedResponse(status: 200, headers: headers, offsetNs: 5_000_000),
                        chunks: chunks, end: ExchangeEnd(offsetNs: (chunks.last?.offsetNs ?? 0) + 1_000_000, state: .complete))
    }

    static func exchange(chunks texts: [(UInt64, String)], status: Int = 200, headers: [Header] = [Header("content-type", "text/event-stream")],
                         end: EndState = .complete, method: String = "POST", target: String = "/v1/chat/completions", body: String = "") -> Exchange {
        let chunks = texts.enumerated().map { Chunk(seq: $0.offset, offsetNs: $0.element.0, bytes: Array($0.element.1.utf8)) }
        return Exchange(startedMs: 0, request: CapturedRequest(method: method, target: target, body: Array(body.utf8)),
                        response: CapturedResponse(status: status, headers: headers, offsetNs: 1_000_000),
                        chunks: chunks, end: ExchangeEnd(offsetNs: (texts.last?.0 ?? 0) + 500_000, state: end))
    }

    static func events(_ bytes: [UInt8]) -> [SSEEvent] { SSEParser.parse(chunks: [bytes]).events }
}
