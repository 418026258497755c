/// Detection of the dialect (and, for raw bodies, the framing).
extension Dialect {
    /// Anthropic event types that no other dialect uses.
    private static let anthropicTypes: Set<String> = [
        "message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop",
    ]

    /// Picks the dialect from the request path, then the payload shape, then the content type.
    ///
    /// `target` may be a path with query (`/v1/chat/completions?x=1`) or a full URL; `firstEvents` are the
    /// first few events of the body (a handful is enough), so a raw body without a request is detected too.
    public static func detect(target: String, contentType: String?, firstEvents: [SSEEvent]) -> Dialect {
        if let byPath = fromPath(target) { return byPath }
        if let byPayload = fromPayload(firstEvents) { return byPayload }
        if ResponseStream.framing(contentType: contentType) == .ndjson { return .ollama }
        return .generic
    }

    /// Detects framing and dialect of a raw body with no request: NDJSON when the first non-empty line is a
    /// JSON object and no line starts with `data:`, else SSE; then the dialect from the first events.
    public static func detect(body: [UInt8]) -> (dialect: Dialect, framing: StreamFraming) {
        let framing = sniffFraming(body)
        let events = leadingEvents(body, framing: framing, limit: 8)
        let dialect = fromPayload(events) ?? .generic
        return (dialect, framing)
    }

    // MARK: - Path

    /// The dialect the request path names, if it names one.
    static func fromPath(_ target: String) -> Dialect? {
        var path = Substring(target)
        if let scheme = path.range(of: "://") {
            let rest = path[scheme.upperBound...]
            path = rest.firstIndex(of: "/").map { rest[$0...] } ?? ""
        }
        if let cut = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<cut] }
        while path.count > 1, path.hasSuffix("/") { path = path.dropLast() }
        if path.contains(":streamGenerateContent") { return .gemini }
        if path.hasSuffix("/chat/completions") { return .openaiChat }
        if path.hasSuffix("/responses") { return .openaiResponses }
        if path.hasSuffix("/v1/messages") || path.hasSuffix("/messages") { return .anthropic }
        if path.hasSuffix("/api/chat") || path.hasSuffix("/api/generate") { return .ollama }
        return nil
    }

    // MARK: - Payload

    /// The dialect the payload shape shows, if any of the events is conclusive.
    static func fromPayload(_ events: [SSEEvent]) -> Dialect? {
        for event in events.prefix(16) {
            if event.type.hasPrefix("response.") { return .openaiResponses }
            if event.data.isDoneSentinel { return .openaiChat }
            guard event.data.utf8.first == UInt8(ascii: "{"), let object = JSONValue.parse(event.data), object.isObject else { continue }
            if let type = object.jsonString("type") {
                if type.hasPrefix("response.") { return .openaiResponses }
                if anthropicTypes.contains(type) { return .anthropic }
                if type == "error" {
                    if object["sequence_number"] != nil { return .openaiResponses }
                    if object.jsonObject("error") != nil { return .anthropic }
                }
            }
            if object.jsonString("object") == "chat.completion.chunk" || object["choices"] != nil { return .openaiChat }
            if object["candidates"] != nil || object["promptFeedback"] != nil { return .gemini }
            if object["done"] != nil { return .ollama }
        }
        return nil
    }

    // MARK: - Raw bodies

    /// NDJSON when the first non-empty line is a JSON object and no line starts with `data:`.
    static func sniffFraming(_ body: [UInt8]) -> StreamFraming {
        var i = body.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var firstLine: ArraySlice<UInt8>?
        var lineStart = i
        let data: [UInt8] = Array("data:".utf8)
        while i <= body.count {
            if i == body.count || body[i] == 0x0A || body[i] == 0x0D {
                let line = body[lineStart..<i]
                if line.starts(with: data) { return .sse }
                if firstLine == nil, line.contains(where: { $0 != 0x20 && $0 != 0x09 }) { firstLine = line }
                lineStart = i + 1
            }
            i += 1
        }
        guard let line = firstLine,
              JSONValue.parse(String(decoding: line, as: UTF8.self).sseTrimmed.description)?.isObject == true
        else { return .sse }
        return .ndjson
    }

    /// The first `limit` events of a body, parsing only as much of it as needed.
    static func leadingEvents(_ body: [UInt8], framing: StreamFraming, limit: Int) -> [SSEEvent] {
        var parser = SSEParser(framing: framing)
        var events: [SSEEvent] = []
        var start = 0
        let step = 64 * 1024
        while start < body.count, events.count < limit {
            let end = min(body.count, start + step)
            events += parser.feed(body[start..<end])
            start = end
        }
        if events.count < limit { events += parser.finish() }
        return Array(events.prefix(limit))
    }
}
