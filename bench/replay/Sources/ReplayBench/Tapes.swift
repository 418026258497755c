import StreamtapeCore

/// Synthetic tapes: event k is `data: NNNNNN {...}\n\n` (k in six digits, so the client can tell
/// which chunk arrived), one event per chunk, chunk k at `(k + 1) * interval`.
enum Tapes {
    static func event(_ k: Int) -> String {
        let n = String(k)
        return "data: " + String(repeating: "0", count: 6 - n.count) + n
            + #" {"choices":[{"index":0,"delta":{"content":"token \#(k)"},"finish_reason":null}]}"# + "\n\n"
    }

    static func exchange(events: Int, intervalNs: UInt64) -> Exchange {
        let chunks = (0..<events).map { Chunk(seq: $0, offsetNs: UInt64($0 + 1) * intervalNs, bytes: Array(event($0).utf8)) }
        return Exchange(startedMs: 0, request: CapturedRequest(method: "POST", target: "/v1/chat/completions"),
                        response: CapturedResponse(status: 200, headers: [Header("content-type", "text/event-stream")], offsetNs: 0),
                        chunks: chunks, end: ExchangeEnd(offsetNs: UInt64(events) * intervalNs, state: .complete))
    }

    /// Deadline of event k after the request, at speed 1.
    static func deadline(_ k: Int, intervalNs: UInt64) -> UInt64 { UInt64(k + 1) * intervalNs }
}
