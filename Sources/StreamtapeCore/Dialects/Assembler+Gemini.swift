/// Gemini and Ollama assembly: both send whole objects per event, not deltas of blocks.
extension Assembler {
    /// Gemini: candidate 0 parts (text, `thought` text, `functionCall`), `finishReason`, `{"error":...}`.
    mutating func gemini(_ object: [String: Any], event: SSEEvent, note: inout EventNote) {
        if errorObject(object, event: event.index, note: &note) { return }
        if let candidate = object.array("candidates")?.first as? [String: Any] {
            for case let part as [String: Any] in candidate.object("content")?.array("parts") ?? [] {
                if let text = part.string("text") {
                    if part.bool("thought") == true { assembly.reasoning += text } else { assembly.text += text }
                }
                if let call = part.object("functionCall") {
                    assembly.toolCalls.append(ToolCall(id: call.string("id"), name: call.string("name") ?? "",
                                                       arguments: JSONPayload.sortedString(call["args"])))
                }
            }
            if let reason = candidate.string("finishReason"), !reason.isEmpty {
                assembly.stop = reason
                note.terminal = true
            }
        } else if let blocked = object.object("promptFeedback")?.string("blockReason") {
            assembly.stop = blocked
            note.terminal = true
        }
    }

    /// Ollama: `message.content` / `response`, `thinking`, `message.tool_calls`, `done_reason`, `{"error":...}`.
    mutating func ollama(_ object: [String: Any], event: SSEEvent, note: inout EventNote) {
        if errorObject(object, event: event.index, note: &note) { return }
        let message = object.object("message")
        if let text = message?.string("content") ?? object.string("response") { assembly.text += text }
        if let thinking = message?.string("thinking") ?? object.string("thinking") { assembly.reasoning += thinking }
        for case let call as [String: Any] in message?.array("tool_calls") ?? [] {
            let function = call.object("function")
            assembly.toolCalls.append(ToolCall(id: call.string("id"), name: function?.string("name") ?? "",
                                               arguments: JSONPayload.sortedString(function?["arguments"])))
        }
        if object.bool("done") == true {
            note.terminal = true
            if let reason = object.string("done_reason") { assembly.stop = reason }
        }
    }
}
