/// Gemini and Ollama assembly: both send whole objects per event, not deltas of blocks.
extension Assembler {
    /// Gemini: candidate 0 parts (text, `thought` text, `functionCall`), `finishReason`, `{"error":...}`.
    mutating func gemini(_ object: JSONView, event: SSEEvent, note: inout EventNote) {
        if errorObject(object, event: event.index, note: &note) { return }
        if let usage = object.jsonObject("usageMetadata"), let tokens = usage.jsonInt("candidatesTokenCount") {
            assembly.outputTokens = tokens + (usage.jsonInt("thoughtsTokenCount") ?? 0)   // thinking is output too
        }
        if let candidate = object.jsonArray("candidates")?.first, candidate.isObject {
            for part in candidate.jsonObject("content")?.jsonArray("parts") ?? .none where part.isObject {
                if let text = part.jsonString("text") {
                    if part.jsonBool("thought") == true { assembly.reasoning += text } else { assembly.text += text }
                }
                if let call = part.jsonObject("functionCall") {
                    assembly.toolCalls.append(ToolCall(id: call.jsonString("id"), name: call.jsonString("name") ?? "",
                                                       arguments: JSONValue.argumentsText(call["args"]?.value)))
                }
            }
            if let reason = candidate.jsonString("finishReason"), !reason.isEmpty {
                assembly.stop = reason
                note.terminal = true
            }
        } else if let blocked = object.jsonObject("promptFeedback")?.jsonString("blockReason") {
            assembly.stop = blocked
            note.terminal = true
        }
    }

    /// Ollama: `message.content` / `response`, `thinking`, `message.tool_calls`, `done_reason`, `{"error":...}`.
    mutating func ollama(_ object: JSONView, event: SSEEvent, note: inout EventNote) {
        if errorObject(object, event: event.index, note: &note) { return }
        let message = object.jsonObject("message")
        if let text = message?.jsonString("content") ?? object.jsonString("response") { assembly.text += text }
        if let thinking = message?.jsonString("thinking") ?? object.jsonString("thinking") { assembly.reasoning += thinking }
        for call in message?.jsonArray("tool_calls") ?? .none where call.isObject {
            let function = call.jsonObject("function")
            assembly.toolCalls.append(ToolCall(id: call.jsonString("id"), name: function?.jsonString("name") ?? "",
                                               arguments: JSONValue.argumentsText(function?["arguments"]?.value)))
        }
        if object.jsonBool("done") == true {
            note.terminal = true
            if let tokens = object.jsonInt("eval_count") { assembly.outputTokens = tokens }
            if let reason = object.jsonString("done_reason") { assembly.stop = reason }
        }
    }
}
