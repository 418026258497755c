extension Dialect {
    /// The provider formats replay can fake errors for, named as on the command line (`error@3=anthropic`).
    public static let faultable: [Dialect] = [.openaiChat, .openaiResponses, .anthropic, .gemini, .ollama]

    /// The dialect of a recorded exchange by detection (path, content type, first events): used for
    /// `status=CODE` without a dialect. A generic stream gets OpenAI's error shape, the one most
    /// OpenAI-compatible servers use.
    public static func guess(for exchange: Exchange) -> Dialect {
        let head = Array(exchange.chunks.prefix(16).flatMap(\.bytes).prefix(16_384))
        let contentType = exchange.response?.headers.value(for: "content-type")
        let framing = ResponseStream.framing(contentType: contentType) ?? Dialect.detect(body: head).framing
        let events = SSEParser.parse(chunks: [head], framing: framing).events
        let dialect = Dialect.detect(target: exchange.request.target, contentType: contentType, firstEvents: Array(events.prefix(8)))
        return dialect == .generic ? .openaiChat : dialect
    }
}
