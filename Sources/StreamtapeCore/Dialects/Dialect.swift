/// The streaming API a response speaks: decides how events are read and how the answer is rebuilt.
public enum Dialect: String, CaseIterable, Sendable {
    /// OpenAI Chat Completions and compatible APIs (Mistral, Groq, OpenRouter, DeepSeek, vLLM): `data:` chunks, `[DONE]`.
    case openaiChat = "openai-chat"
    /// OpenAI Responses: typed `response.*` events with `sequence_number`.
    case openaiResponses = "openai-responses"
    /// Anthropic Messages: `message_start`, `content_block_*`, `message_delta`, `message_stop`.
    case anthropic
    /// Gemini `streamGenerateContent?alt=sse`: whole response objects, no sentinel.
    case gemini
    /// Ollama `/api/chat` and `/api/generate`: NDJSON lines, the last with `"done":true`.
    case ollama
    /// Any other event stream: framed, not interpreted.
    case generic

    /// How this dialect's streams are framed.
    public var framing: StreamFraming { self == .ollama ? .ndjson : .sse }

    /// A short human name, e.g. `OpenAI Chat Completions`.
    public var title: String {
        switch self {
        case .openaiChat: return "OpenAI Chat Completions"
        case .openaiResponses: return "OpenAI Responses"
        case .anthropic: return "Anthropic Messages"
        case .gemini: return "Gemini"
        case .ollama: return "Ollama"
        case .generic: return "generic SSE"
        }
    }

    /// What ends a stream of this dialect, in words; nil when the dialect has no end marker.
    public var terminatorDescription: String? {
        switch self {
        case .openaiChat: return "data: [DONE]"
        case .openaiResponses: return "a response.completed, response.incomplete or response.failed event"
        case .anthropic: return "a message_stop event"
        case .gemini: return "a chunk with a finishReason"
        case .ollama: return "a line with \"done\":true"
        case .generic: return nil
        }
    }

    /// Whether every event's data is expected to be JSON (the `[DONE]` sentinel aside).
    var expectsJSON: Bool { self != .generic }
}
