/// A raw response body file (`.sse`, `.ndjson`) seen as an exchange: one chunk at t=0, no request.
public enum RawBody {
    /// Wraps body bytes as a complete exchange; the content type follows the file's extension.
    public static func exchange(_ bytes: [UInt8], ndjson: Bool, startedMs: Int64 = 0, note: String? = nil) -> Exchange {
        let type = ndjson ? "application/x-ndjson" : "text/event-stream"
        return Exchange(startedMs: startedMs, request: CapturedRequest(method: "", target: ""),
                        response: CapturedResponse(status: 200, headers: [Header("content-type", type)], offsetNs: 0),
                        chunks: bytes.isEmpty ? [] : [Chunk(seq: 0, offsetNs: 0, bytes: bytes)],
                        end: ExchangeEnd(offsetNs: 0, state: .complete), note: note)
    }
}
