/// The provider formats replay can fake errors for. Named as on the command line (`error@3=anthropic`).
/// Core's dialect detection (a separate module) will replace `guess(for:)`.
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

    /// A best guess from the request path, then the body: used for `status=CODE` without a dialect.
    public static func guess(for exchange: Exchange) -> ReplayDialect {
        let target = exchange.request.target
        if target.contains("/chat/completions") { return .openaiChat }
        if target.contains("/responses") { return .openaiResponses }
        if target.contains("/messages") { return .anthropic }
        if target.contains(":streamGenerateContent") || target.contains(":generateContent") { return .gemini }
        if target.hasPrefix("/api/chat") || target.hasPrefix("/api/generate") { return .ollama }
        let head = String(decoding: exchange.chunks.prefix(4).flatMap(\.bytes).prefix(4096), as: UTF8.self)
        if head.contains("event: message_start") || head.contains("\"type\":\"message_start\"") { return .anthropic }
        if head.contains("\"type\":\"response.") { return .openaiResponses }
        if head.contains("\"candidates\"") { return .gemini }
        if head.contains("\"done\":") && !head.hasPrefix("data:") { return .ollama }
        return .openaiChat
    }
}
