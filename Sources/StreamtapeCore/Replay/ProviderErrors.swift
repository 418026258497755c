/// Provider-shaped errors, as each provider documents them: the frame sent mid-stream (`error@N`)
/// and the JSON body of an HTTP error (`status=CODE`).
public enum ProviderErrors {
    /// What the stream said before the error, so the frame can continue it (Responses numbering).
    public struct StreamContext: Sendable {
        /// The line ending the stream uses (`\n` or `\r\n`).
        public var lineEnding: String = "\n"
        /// The next Responses `sequence_number`.
        public var nextSequenceNumber: Int = 0
        /// The Responses response id, when one was seen.
        public var responseId: String = "resp_streamtape_fault"
        /// Creates a context.
        public init(lineEnding: String = "\n", nextSequenceNumber: Int = 0, responseId: String = "resp_streamtape_fault") {
            self.lineEnding = lineEnding; self.nextSequenceNumber = nextSequenceNumber; self.responseId = responseId
        }
    }

    /// The bytes of a mid-stream error in `dialect`; the stream ends right after them.
    public static func streamFrame(_ dialect: Dialect, context c: StreamContext = .init()) -> [UInt8] {
        let le = c.lineEnding
        let text: String
        switch dialect {
        case .openaiChat, .generic:
            text = "data: {\"error\":{\"message\":\"The server had an error while processing your request. Sorry about that!\",\"type\":\"server_error\",\"param\":null,\"code\":null}}" + le + le
        case .openaiResponses:
            let s = c.nextSequenceNumber
            var id = ""
            id += JSONText.quote(c.responseId)
            text = "event: error" + le
                + "data: {\"type\":\"error\",\"code\":\"server_error\",\"message\":\"The server had an error while processing your request.\",\"param\":null,\"sequence_number\":\(s)}" + le + le
                + "event: response.failed" + le
                + "data: {\"type\":\"response.failed\",\"sequence_number\":\(s + 1),\"response\":{\"id\":\(id),\"object\":\"response\",\"created_at\":0,\"status\":\"failed\",\"error\":{\"code\":\"server_error\",\"message\":\"The server had an error while processing your request.\"},\"incomplete_details\":null,\"model\":\"\",\"output\":[],\"parallel_tool_calls\":true,\"tool_choice\":\"auto\",\"tools\":[]}}" + le + le
        case .anthropic:
            text = "event: error" + le + "data: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}" + le + le
        case .gemini:
            text = "data: {\"error\":{\"code\":503,\"message\":\"The model is overloaded. Please try again later.\",\"status\":\"UNAVAILABLE\"}}" + le + le
        case .ollama:
            text = "{\"error\":\"an error was encountered while running the model: unexpected EOF\"}\n"
        }
        return Array(text.utf8)
    }

    /// The JSON body of an HTTP `status` error in `dialect`.
    public static func statusBody(_ status: Int, _ dialect: Dialect) -> [UInt8] {
        let (message, openaiType, openaiCode, anthropicType, geminiStatus) = describe(status)
        var m = ""
        m += JSONText.quote(message)
        let text: String
        switch dialect {
        case .openaiChat, .openaiResponses, .generic:
            text = "{\"error\":{\"message\":\(m),\"type\":\"\(openaiType)\",\"param\":null,\"code\":\(openaiCode.map { "\"\($0)\"" } ?? "null")}}"
        case .anthropic:
            text = "{\"type\":\"error\",\"error\":{\"type\":\"\(anthropicType)\",\"message\":\(m)}}"
        case .gemini:
            text = "{\"error\":{\"code\":\(status),\"message\":\(m),\"status\":\"\(geminiStatus)\"}}"
        case .ollama:
            text = "{\"error\":\(m)}"
        }
        return Array(text.utf8)
    }

    /// Headers of an HTTP `status` error (JSON, plus `retry-after` where providers send one).
    public static func statusHeaders(_ status: Int, bodyLength: Int) -> [Header] {
        var h = [Header("content-type", "application/json")]
        if [429, 503, 529].contains(status) { h.append(Header("retry-after", "1")) }
        h.append(Header("content-length", String(bodyLength)))
        return h
    }

    private static func describe(_ status: Int) -> (String, String, String?, String, String) {
        switch status {
        case 400: return ("Invalid request.", "invalid_request_error", nil, "invalid_request_error", "INVALID_ARGUMENT")
        case 401: return ("Invalid authentication credentials.", "invalid_request_error", "invalid_api_key", "authentication_error", "UNAUTHENTICATED")
        case 403: return ("Permission denied.", "invalid_request_error", "permission_denied", "permission_error", "PERMISSION_DENIED")
        case 404: return ("Not found.", "invalid_request_error", "model_not_found", "not_found_error", "NOT_FOUND")
        case 408: return ("Request timed out.", "server_error", "timeout", "timeout_error", "DEADLINE_EXCEEDED")
        case 413: return ("Request too large.", "invalid_request_error", "request_too_large", "request_too_large", "INVALID_ARGUMENT")
        case 429: return ("Rate limit reached. Please try again later.", "requests", "rate_limit_exceeded", "rate_limit_error", "RESOURCE_EXHAUSTED")
        case 503: return ("The service is overloaded. Please try again later.", "server_error", nil, "overloaded_error", "UNAVAILABLE")
        case 504: return ("Deadline exceeded.", "server_error", "timeout", "api_error", "DEADLINE_EXCEEDED")
        case 529: return ("Overloaded", "server_error", nil, "overloaded_error", "UNAVAILABLE")
        case 400..<500: return ("Request rejected.", "invalid_request_error", nil, "invalid_request_error", "FAILED_PRECONDITION")
        default: return ("The server had an error while processing your request.", "server_error", nil, "api_error", "INTERNAL")
        }
    }
}
