/// Which event ends a stream, decided here only: by the assembler that builds the answer (`[DONE]` with
/// any surrounding whitespace, `message_stop`, a final Responses event, a Gemini `finishReason`, Ollama
/// `"done":true`), so replay's faults, the recorder and the diagnostics agree.
extension Dialect {
    /// Whether `event` is this dialect's end marker (judged on the event alone).
    public func isTerminator(_ event: SSEEvent) -> Bool {
        var assembler = Assembler(dialect: self)
        return assembler.ingest(event).terminal
    }

    /// The last end marker in `events`; else the last event, when the dialect has no marker of its own.
    public func terminator(in events: [SSEEvent]) -> SSEEvent? {
        events.last { isTerminator($0) } ?? events.last
    }
}
