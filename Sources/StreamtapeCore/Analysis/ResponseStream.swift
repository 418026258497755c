import Foundation

/// Whether a response body is an event stream: decided here only, from the response content type and the request.
///
/// A response labelled with a stream type is a stream; one labelled with any other type (a JSON completion,
/// a model list, an HTML error page) is a whole document and is judged as one, even when the request asked
/// for a stream (that mismatch is `unexpected-content-type`). Without a content type the request decides;
/// a raw body imported without a request or response is a stream.
public enum ResponseStream {
    /// The framing a content type names: SSE for `text/event-stream`, NDJSON for the `ndjson` and `jsonl`
    /// types; nil for any other type or none.
    public static func framing(contentType: String?) -> StreamFraming? {
        let type = contentType?.lowercased().trimmingCharacters(in: .whitespaces) ?? ""
        if type.hasPrefix("text/event-stream") { return .sse }
        if type.contains("ndjson") || type.hasPrefix("application/jsonl") { return .ndjson }
        return nil
    }

    /// The framing an exchange's body is read with: the forced dialect's, the content type's, the
    /// path's, or else the one its bytes show.
    public static func framing(of exchange: Exchange, forced: Dialect? = nil) -> StreamFraming {
        if let forced, forced != .generic { return forced.framing }
        if let framing = framing(contentType: exchange.response?.headers.value(for: "content-type")) { return framing }
        if let byPath = Dialect.fromPath(exchange.request.target) { return byPath.framing }
        return Dialect.sniffFraming(exchange.body)
    }

    /// Whether the request asked for a streamed answer: `"stream": true` in the body, `alt=sse`,
    /// `:streamGenerateContent`, or an Ollama path without `"stream": false` (Ollama streams by default).
    public static func requested(by request: CapturedRequest) -> Bool {
        if let stream = JSONValue.parse(String(decoding: request.body, as: UTF8.self))?.jsonBool("stream") { return stream }
        if Dialect.fromPath(request.target) == .ollama { return true }
        return request.target.contains(":streamGenerateContent") || request.target.contains("alt=sse")
    }

    /// Whether the exchange's response body is an event stream (its status aside).
    public static func isStream(_ exchange: Exchange) -> Bool {
        let request = exchange.request
        guard let response = exchange.response else {
            return (request.method.isEmpty && request.target.isEmpty) || requested(by: request)
        }
        let type = response.headers.value(for: "content-type") ?? ""
        if type.trimmingCharacters(in: .whitespaces).isEmpty { return requested(by: request) }
        return framing(contentType: type) != nil
    }
}
