/// Whether the stream so far ends with its dialect's end marker, judged by the same assembler the
/// diagnostics use (`[DONE]`, `message_stop`, a final Responses event, a Gemini `finishReason`,
/// Ollama `"done":true`), so the recorder keeps no second list of terminators.
extension EventCounter {
    /// Whether the last complete event is the end marker of a response to `target`.
    func endsWithTerminator(target: String) -> Bool {
        guard let framing else { return false }
        var parser = SSEParser(framing: framing)
        let events = parser.feed(lastEvent) + parser.finish()
        guard let event = events.last else { return false }
        return Dialect.detect(target: target, contentType: contentType, firstEvents: events).isTerminator(event)
    }
}
