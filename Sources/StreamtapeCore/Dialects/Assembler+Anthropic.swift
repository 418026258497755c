/// Anthropic Messages assembly.
extension Assembler {
    /// Block types whose `input_json_delta`s build a tool call.
    static let anthropicToolBlocks: Set<String> = ["tool_use", "server_tool_use", "mcp_tool_use"]

    /// Anthropic Messages: text and thinking deltas, tool blocks, stop reason, `error` events.
    mutating func anthropic(_ object: [String: Any], event: SSEEvent, note: inout EventNote) {
        note.blockIndex = object.int("index")
        switch note.type ?? event.type {
        case "content_block_start":
            guard let block = object.object("content_block"), let kind = block.string("type"),
                  Self.anthropicToolBlocks.contains(kind) else { break }
            openTool("b\(note.blockIndex ?? -1)", id: block.string("id"), name: block.string("name") ?? "")
        case "content_block_delta":
            guard let delta = object.object("delta") else { break }
            switch delta.string("type") {
            case "text_delta": assembly.text += delta.string("text") ?? ""
            case "thinking_delta": assembly.reasoning += delta.string("thinking") ?? ""
            case "input_json_delta":
                if let slot = toolSlots["b\(note.blockIndex ?? -1)"] { appendArguments(delta.string("partial_json") ?? "", slot: slot) }
            default: break
            }
        case "message_delta":
            if let reason = object.object("delta")?.string("stop_reason") { assembly.stop = reason }
        case "message_stop":
            note.terminal = true
        case "error":
            let e = object.object("error")
            recordError(type: e?.string("type") ?? "error", message: e?.string("message") ?? "", event: event.index, into: &note)
        default: break
        }
    }
}
