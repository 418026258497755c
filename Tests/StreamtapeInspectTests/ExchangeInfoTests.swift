import Testing
import StreamtapeCore
@testable import StreamtapeInspect

@Suite struct ExchangeInfoTests {
    static func rateLimited() -> Exchange {
        let body = #"{"error":{"message":"Rate limit\u001b","type":"requests"}}"#
        return Exchange(startedMs: 0, upstream: "https://api.openai.com",
                        request: CapturedRequest(method: "POST", target: "/v1/chat/completions",
                                                 headers: [Header("content-type", "application/json"), Header("x-trace", "a\u{1B}]0;t\u{07}")],
                                                 body: Array(#"{"stream":true}"#.utf8)),
                        response: CapturedResponse(status: 429, headers: [Header("content-type", "application/json")], offsetNs: 5_000_000),
                        chunks: [Chunk(seq: 0, offsetNs: 6_000_000, bytes: Array(body.utf8))],
                        end: ExchangeEnd(offsetNs: 7_000_000, state: .complete))
    }

    func detail(_ keys: [Key]) throws -> [String] {
        let doc = try Fixtures.document(Self.rateLimited(), dialect: .openaiChat)
        var s = InspectorState()
        for k in keys { _ = Keymap().handle(k, &s, ManualContext(doc: doc)) }
        return DetailView.content(s, doc, width: 80).map { $0.map(\.text).joined() }
    }

    @Test func aBodyWithoutEventsIsShownAsPrettyJSONInsteadOfJustNoEvents() throws {
        let l = try detail([])
        let start = try #require(l.firstIndex(of: "  response body: 58B, JSON"))
        #expect(Array(l[start...]) == ["  response body: 58B, JSON", "  {", "    \"error\": {", "      \"message\": \"Rate limit\\u001b\",",
                                       "      \"type\": \"requests\"", "    }", "  }"])
    }

    @Test func eShowsTheRequestAndResponseWithHeadersEscaped() throws {
        let l = try detail([.char("e")])
        #expect(l == ["request", "  POST /v1/chat/completions", "  upstream https://api.openai.com",
                      "  content-type: application/json", "  x-trace: a\\x1b]0;t\\x07",
                      "  body: 15B, JSON", "  {", "    \"stream\": true", "  }",
                      "response", "  429  headers at 0.005s", "  content-type: application/json",
                      "  body (no events): 58B, JSON", "  {", "    \"error\": {", "      \"message\": \"Rate limit\\u001b\",",
                      "      \"type\": \"requests\"", "    }", "  }"])
        #expect(try detail([.char("e"), .char("e")]).contains("No events; e shows the request and response headers."))
    }

    @Test func aTextBodyHasItsControlCharactersEscaped() {
        let l = ExchangeInfoView.bodyLines(Array("a\u{1B}[2J\r\nb".utf8), capped: false, what: "body").map { $0.map(\.text).joined() }
        #expect(l == ["  body: 8B", "  a\\x1b[2J\\r", "  b"])
    }
}

@Suite struct EventPreviewTests {
    func preview(_ data: String, _ dialect: Dialect, type: String = "message") -> String {
        EventPreview.of(SSEEvent(index: 0, type: type, data: data, id: "", start: 0, end: 0, firstChunk: 0, lastChunk: 0), dialect: dialect)
    }

    @Test func openAIChunksPreviewWhatTheyCarryNotTheirCommonPrefix() {
        #expect(preview(#"{"id":"chatcmpl-1","choices":[{"index":0,"delta":{"content":"Hel\nlo"}}]}"#, .openaiChat) == #""Hel\nlo""#)
        #expect(preview(#"{"id":"chatcmpl-1","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"ci"}}]}}]}"#, .openaiChat)
                == #"tool "{\"ci""#)
        #expect(preview(#"{"id":"chatcmpl-1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#, .openaiChat) == "stop: stop")
        #expect(preview("[DONE]", .openaiChat) == "[DONE]")
    }

    @Test func anthropicDeltasAndErrorsToo() {
        #expect(preview(#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}"#, .anthropic, type: "content_block_delta") == #""Hi""#)
        #expect(preview(#"{"type":"message_delta","delta":{"stop_reason":"end_turn"}}"#, .anthropic, type: "message_delta") == "stop: end_turn")
    }
}
