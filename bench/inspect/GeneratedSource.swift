import StreamtapeCore

/// A synthetic exchange of `events` OpenAI-style chunks, generated on demand so that the
/// benchmark measures the inspector's memory, not the source's. Event `k` is one chunk arriving
/// at `k` ms, except every 50,000th event, which follows a 6 s stall; event `errorAt` is an
/// in-stream error object. The final chunk is `data: [DONE]`.
struct GeneratedSource: CaptureSource {
    let events: Int
    let errorAt: Int

    func head() throws -> Exchange {
        Exchange(startedMs: 0, upstream: "https://api.example", request: CapturedRequest(method: "POST", target: "/v1/chat/completions"),
                 response: CapturedResponse(status: 200, headers: [Header("content-type", "text/event-stream")], offsetNs: 1_000_000),
                 end: ExchangeEnd(offsetNs: time(events) + 1_000_000, state: .complete))
    }

    func chunkCount() throws -> Int { events + 1 }

    func chunks(_ range: Range<Int>) throws -> [Chunk] {
        range.clamped(to: 0..<(events + 1)).map { Chunk(seq: $0, offsetNs: time($0), bytes: bytes($0)) }
    }

    func time(_ k: Int) -> UInt64 { UInt64(k) * 1_000_000 + UInt64(k / 50_000) * 6_000_000_000 }

    func bytes(_ k: Int) -> [UInt8] {
        if k == events { return Array("data: [DONE]\n\n".utf8) }
        if k == errorAt { return Array("data: {\"error\":{\"type\":\"server_error\",\"message\":\"boom\"}}\n\n".utf8) }
        return Array("data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"t\(k) \"}}]}\n\n".utf8)
    }
}
