import StreamtapeCore

/// What one event carries, for the timeline's preview column: the text, thinking and tool-call
/// argument deltas, the finish reason and in-stream errors, as Core's assembler reads them for the
/// dialect; the raw data when the event carries none of these (a role-only chunk, `ping`, `[DONE]`).
enum EventPreview {
    /// The preview of one event, read on its own (an Anthropic argument delta names no tool then).
    static func of(_ event: SSEEvent, dialect: Dialect) -> String {
        var assembler = Assembler(dialect: dialect)
        assembler.add(event)
        let a = assembler.assembly
        var parts: [String] = []
        if !a.text.isEmpty { parts.append(JSONText.quote(a.text)) }
        if !a.reasoning.isEmpty { parts.append("thinking " + JSONText.quote(a.reasoning)) }
        for call in a.toolCalls {
            parts.append("tool " + (call.name.isEmpty ? "" : call.name + " ") + (call.arguments.isEmpty ? "" : JSONText.quote(call.arguments)))
        }
        for e in a.errors { parts.append("error \(e.type): \(e.message)") }
        if let stop = a.stop { parts.append("stop: \(stop)") }
        return parts.isEmpty ? event.data : parts.joined(separator: "  ")
    }
}
