/// The provider formats replay can fake errors for. Named as on the command line (`error@3=anthropic`).
public enum ReplayDialect: String, Sendable, CaseIterable {
    /// OpenAI Chat Completions (and compatible APIs).
    case openaiChat = "openai-chat"
    /// OpenAI Responses.
    case openaiResponses = "openai-responses"
    /// Anthropic Messages.
    case anthropic
    /// Gemini `streamGenerateContent?alt=sse`.
    case gemini
    /// Ollama NDJSON.
    case ollama

    /// The dialect of a recorded exchange by Core's detection (path, content type, first events):
    /// used for `status=CODE` without a dialect. A generic stream gets OpenAI's error shape, the
    /// one most OpenAI-compatible servers use.
    public static func guess(for exchange: Exchange) -> ReplayDialect {
        let head = Array(exchange.chunks.prefix(16).flatMap(\.bytes).prefix(16_384))
        let contentType = exchange.response?.headers.value(for: "content-type")
        let framing: StreamFraming = contentType?.contains("ndjson") == true ? .ndjson : Dialect.detect(body: head).framing
        let events = SSEParser.parse(chunks: [head], framing: framing).events
        let dialect = Dialect.detect(target: exchange.request.target, contentType: contentType, firstEvents: Array(events.prefix(8)))
        return ReplayDialect(rawValue: dialect.rawValue) ?? .openaiChat
    }
}
