/// OpenAI Chat Completions and Responses assembly.
extension Assembler {
    /// Chat Completions: `choices[0].delta` content (string or Mistral parts), reasoning, tool calls by index.
    mutating func chatCompletions(_ object: JSONView, event: SSEEvent, note: inout EventNote) {
        if errorObject(object, event: event.index, note: &note) { return }
        if event.type == "error" {
            recordError(type: "error", message: event.data, event: event.index, into: &note)
            return
        }
        if let tokens = object.jsonObject("usage")?.jsonInt("completion_tokens") { assembly.outputTokens = tokens }
        guard let choices = object.jsonArray("choices") else { return }
        guard let choice = (choices.first { ($0.jsonInt("index") ?? 0) == 0 }), choice.isObject else { return }
        if let delta = choice.jsonObject("delta") {
            if let text = delta.jsonString("content") {
                assembly.text += text
            } else if let parts = delta.jsonArray("content") {
                for part in parts where part.isObject { chatPart(part) }
            }
            if let r = delta.jsonString("reasoning_content") ?? delta.jsonString("reasoning") { assembly.reasoning += r }
            if let refusal = delta.jsonString("refusal") { assembly.text += refusal }   // the user sees a refusal as the answer
            if let calls = delta.jsonArray("tool_calls") {
                for call in calls where call.isObject {
                    let key = "i\(call.jsonInt("index") ?? 0)"
                    let function = call.jsonObject("function")
                    let slot = openTool(key, id: call.jsonString("id"), name: function?.jsonString("name") ?? "")
                    if assembly.toolCalls[slot].id == nil, let id = call.jsonString("id") { assembly.toolCalls[slot].id = id }
                    if assembly.toolCalls[slot].name.isEmpty, let name = function?.jsonString("name") { assembly.toolCalls[slot].name = name }
                    if let args = function?.jsonString("arguments") { appendArguments(args, slot: slot) }
                }
            }
        }
        if let reason = choice.jsonString("finish_reason") { assembly.stop = reason }
    }

    /// One Mistral content part: `text`, or `thinking` holding text parts.
    private mutating func chatPart(_ part: JSONView) {
        switch part.jsonString("type") {
        case "text": assembly.text += part.jsonString("text") ?? ""
        case "thinking":
            if let inner = part.jsonArray("thinking") {
                for p in inner where p.isObject { assembly.reasoning += p.jsonString("text") ?? "" }
            } else if let t = part.jsonString("thinking") {
                assembly.reasoning += t
            }
        default: break
        }
    }

    /// Responses: typed events; text and reasoning deltas, function calls, final status.
    mutating func responses(_ object: JSONView, event: SSEEvent, note: inout EventNote) {
        note.sequence = object.jsonInt("sequence_number")
        let type = note.type ?? event.type
        switch type {
        case "response.output_text.delta", "response.refusal.delta":
            assembly.text += object.jsonString("delta") ?? ""
        case "response.reasoning_summary_text.delta", "response.reasoning_text.delta":
            assembly.reasoning += object.jsonString("delta") ?? ""
        case "response.output_item.added":
            guard let item = object.jsonObject("item"), item.jsonString("type") == "function_call" else { break }
            let slot = openTool("o\(object.jsonInt("output_index") ?? -1)", id: item.jsonString("call_id"),
                                name: item.jsonString("name") ?? "", arguments: item.jsonString("arguments") ?? "")
            if let itemId = item.jsonString("id") { toolSlots["item:" + itemId] = slot }
        case "response.function_call_arguments.delta":
            let slot = object.jsonString("item_id").flatMap { toolSlots["item:" + $0] }
                ?? object.jsonInt("output_index").flatMap { toolSlots["o\($0)"] }
            if let slot { appendArguments(object.jsonString("delta") ?? "", slot: slot) }
        case "response.function_call_arguments.done":
            // Some servers send the arguments only here, with no deltas before.
            let slot = object.jsonString("item_id").flatMap { toolSlots["item:" + $0] }
                ?? object.jsonInt("output_index").flatMap { toolSlots["o\($0)"] }
            if let slot, assembly.toolCalls[slot].arguments.isEmpty, let args = object.jsonString("arguments") {
                assembly.toolCalls[slot].arguments = args
            }
        case "response.completed", "response.incomplete":
            note.terminal = true
            if let tokens = object.jsonObject("response")?.jsonObject("usage")?.jsonInt("output_tokens") { assembly.outputTokens = tokens }
            assembly.stop = object.jsonObject("response")?.jsonString("status") ?? String(type.dropFirst("response.".count))
        case "response.failed":
            note.terminal = true
            let response = object.jsonObject("response")
            assembly.stop = response?.jsonString("status") ?? "failed"
            let error = response?.jsonObject("error")
            recordError(type: error?.jsonString("code") ?? error?.jsonString("type") ?? "response.failed",
                        message: error?.jsonString("message") ?? "", event: event.index, into: &note)
        case "error":
            let nested = object.jsonObject("error")
            recordError(type: nested?.jsonString("type") ?? nested?.jsonString("code") ?? object.jsonString("code") ?? "error",
                        message: nested?.jsonString("message") ?? object.jsonString("message") ?? "", event: event.index, into: &note)
        default: break
        }
    }
}
