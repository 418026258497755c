import Foundation

/// OpenAI Chat Completions and Responses assembly.
extension Assembler {
    /// Chat Completions: `choices[0].delta` content (string or Mistral parts), reasoning, tool calls by index.
    mutating func chatCompletions(_ object: [String: Any], event: SSEEvent, note: inout EventNote) {
        if errorObject(object, event: event.index, note: &note) { return }
        if event.type == "error" {
            recordError(type: "error", message: event.data, event: event.index, into: &note)
            return
        }
        guard let choices = object.array("choices") else { return }
        guard let choice = (choices.first { (($0 as? [String: Any])?.int("index") ?? 0) == 0 }) as? [String: Any] else { return }
        if let delta = choice.object("delta") {
            if let text = delta.string("content") {
                assembly.text += text
            } else if let parts = delta.array("content") {
                for case let part as [String: Any] in parts { chatPart(part) }
            }
            if let r = delta.string("reasoning_content") ?? delta.string("reasoning") { assembly.reasoning += r }
            if let calls = delta.array("tool_calls") {
                for case let call as [String: Any] in calls {
                    let key = "i\(call.int("index") ?? 0)"
                    let function = call.object("function")
                    let slot = openTool(key, id: call.string("id"), name: function?.string("name") ?? "")
                    if assembly.toolCalls[slot].id == nil, let id = call.string("id") { assembly.toolCalls[slot].id = id }
                    if assembly.toolCalls[slot].name.isEmpty, let name = function?.string("name") { assembly.toolCalls[slot].name = name }
                    if let args = function?.string("arguments") { appendArguments(args, slot: slot) }
                }
            }
        }
        if let reason = choice.string("finish_reason") { assembly.stop = reason }
    }

    /// One Mistral content part: `text`, or `thinking` holding text parts.
    private mutating func chatPart(_ part: [String: Any]) {
        switch part.string("type") {
        case "text": assembly.text += part.string("text") ?? ""
        case "thinking":
            if let inner = part.array("thinking") {
                for case let p as [String: Any] in inner { assembly.reasoning += p.string("text") ?? "" }
            } else if let t = part.string("thinking") {
                assembly.reasoning += t
            }
        default: break
        }
    }

    /// Responses: typed events; text and reasoning deltas, function calls, final status.
    mutating func responses(_ object: [String: Any], event: SSEEvent, note: inout EventNote) {
        note.sequence = object.int("sequence_number")
        let type = note.type ?? event.type
        switch type {
        case "response.output_text.delta":
            assembly.text += object.string("delta") ?? ""
        case "response.reasoning_summary_text.delta", "response.reasoning_text.delta":
            assembly.reasoning += object.string("delta") ?? ""
        case "response.output_item.added":
            guard let item = object.object("item"), item.string("type") == "function_call" else { break }
            let slot = openTool("o\(object.int("output_index") ?? -1)", id: item.string("call_id"),
                                name: item.string("name") ?? "", arguments: item.string("arguments") ?? "")
            if let itemId = item.string("id") { toolSlots["item:" + itemId] = slot }
        case "response.function_call_arguments.delta":
            let slot = object.string("item_id").flatMap { toolSlots["item:" + $0] }
                ?? object.int("output_index").flatMap { toolSlots["o\($0)"] }
            if let slot { appendArguments(object.string("delta") ?? "", slot: slot) }
        case "response.completed", "response.incomplete":
            note.terminal = true
            assembly.stop = object.object("response")?.string("status") ?? String(type.dropFirst("response.".count))
        case "response.failed":
            note.terminal = true
            let response = object.object("response")
            assembly.stop = response?.string("status") ?? "failed"
            let error = response?.object("error")
            recordError(type: error?.string("code") ?? error?.string("type") ?? "response.failed",
                        message: error?.string("message") ?? "", event: event.index, into: &note)
        case "error":
            let nested = object.object("error")
            recordError(type: nested?.string("type") ?? nested?.string("code") ?? object.string("code") ?? "error",
                        message: nested?.string("message") ?? object.string("message") ?? "", event: event.index, into: &note)
        default: break
        }
    }
}
