/// Anthropic Messages assembly.
extension Assembler {
    /// Block types whose `input_json_delta`s build a tool call.
    static let anthropicToolBlocks: Set<String> = ["tool_use", "server_tool_use", "mcp_tool_use"]

    /// Anthropic Messages: text and thinking deltas, tool blocks, stop reason, `error` events.
    mutating func anthropic(_ object: JSONView, event: SSEEvent, note: inout EventNote) {
        note.blockIndex = object.jsonInt("index")
        // `message_start` carries a first count and `message_delta` the running total.
        if let tokens = (object.jsonObject("usage") ?? object.jsonObject("message")?.jsonObject("usage"))?.jsonInt("output_tokens") {
            assembly.outputTokens = tokens
        }
        switch note.type ?? event.type {
        case "content_block_start":
            guard let block = object.jsonObject("content_block"), let kind = block.jsonString("type"),
                  Self.anthropicToolBlocks.contains(kind) else { break }
            openTool("b\(note.blockIndex ?? -1)", id: block.jsonString("id"), name: block.jsonString("name") ?? "")
        case "content_block_delta":
            guard let delta = object.jsonObject("delta") else { break }
            switch delta.jsonString("type") {
            case "text_delta": assembly.text += delta.jsonString("text") ?? ""
            case "thinking_delta": assembly.reasoning += delta.jsonString("thinking") ?? ""
            case "input_json_delta":
                if let slot = toolSlots["b\(note.blockIndex ?? -1)"] { appendArguments(delta.jsonString("partial_json") ?? "", slot: slot) }
            default: break
            }
        case "message_delta":
            if let reason = object.jsonObject("delta")?.jsonString("stop_reason") { assembly.stop = reason }
        case "message_stop":
            note.terminal = true
        case "error":
            let e = object.jsonObject("error")
            recordError(type: e?.jsonString("type") ?? "error", message: e?.jsonString("message") ?? "", event: event.index, into: &note)
        default: break
        }
    }
}
