import Testing
@testable import StreamtapeCore

@Suite struct DialectOllamaTests {
    static let chat = """
    {"model":"llama3","message":{"role":"assistant","content":"","thinking":"Hmm"},"done":false}
    {"model":"llama3","message":{"role":"assistant","content":"Hi"},"done":false}
    {"model":"llama3","message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"get_weather","arguments":{"unit":"c","city":"Paris"}}}]},"done":false}
    {"model":"llama3","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop"}

    """

    @Test func chatStreamAssemblesTextThinkingToolsAndStop() {
        let exchange = DiagExchange.exchange(Self.chat, target: "/api/chat", contentType: "application/x-ndjson", requestBody: "{}")
        let analysis = Analysis.analyze(exchange)
        #expect(analysis.dialect == .ollama)
        #expect(analysis.framing == .ndjson)
        #expect(analysis.events.count == 4)
        #expect(analysis.assembly == Assembly(text: "Hi", reasoning: "Hmm",
                                              toolCalls: [ToolCall(name: "get_weather", arguments: #"{"city":"Paris","unit":"c"}"#)],
                                              stop: "stop"))
        #expect(analysis.findings == [])
    }

    @Test func rawChatBodyIsDetectedAsNDJSON() {
        let analysis = Analysis.analyze(DiagExchange.raw(Self.chat))
        #expect(analysis.dialect == .ollama)
        #expect(analysis.framing == .ndjson)
        #expect(analysis.assembly.text == "Hi")
        #expect(analysis.findings == [])
    }

    @Test func generateStreamUsesResponse() {
        let body = "{\"response\":\"Hel\",\"done\":false}\n{\"response\":\"lo\",\"thinking\":\"\",\"done\":true,\"done_reason\":\"length\"}\n"
        let analysis = Analysis.analyze(DiagExchange.exchange(body, target: "/api/generate", contentType: "application/x-ndjson", requestBody: "{}"))
        #expect(analysis.assembly == Assembly(text: "Hello", stop: "length"))
        #expect(analysis.findings == [])
    }

    @Test func errorLineIsAnErrorEventAndEndsTheStream() {
        let first = "{\"message\":{\"content\":\"Hi\"},\"done\":false}\n"
        let body = first + "{\"error\":\"model runner has unexpectedly stopped\"}\n"
        let analysis = Analysis.analyze(DiagExchange.exchange(body, target: "/api/chat", contentType: "application/x-ndjson", requestBody: "{}"))
        #expect(analysis.assembly.errors == [StreamError(type: "error", message: "model runner has unexpectedly stopped", event: 1)])
        #expect(analysis.findings == [Finding(code: "error-event", severity: .error, offset: first.utf8.count, event: 1,
                                              message: "the provider sent an error mid-stream (\"model runner has unexpectedly stopped\"); the answer stops here")])
    }

    @Test func missingDoneAndMissingFinalNewline() {
        let first = "{\"message\":{\"content\":\"Hi\"},\"done\":false}\n"
        let body = first + "{\"message\":{\"content\":\"!\"},\"done\":false}"
        let spots = DiagExchange.spots(DiagExchange.exchange(body, target: "/api/chat", contentType: "application/x-ndjson", requestBody: "{}"))
        #expect(spots == [FindingSpot("unterminated-event", .error, first.utf8.count, 1), FindingSpot("missing-terminator", .error, body.utf8.count, nil)])
    }

    @Test func invalidLineIsInvalidJSON() {
        let first = "{\"message\":{\"content\":\"Hi\"},\"done\":false}\n"
        let body = first + "not json\n{\"done\":true}\n"
        #expect(DiagExchange.spots(DiagExchange.exchange(body, target: "/api/chat", contentType: "application/x-ndjson", requestBody: "{}"))
            == [FindingSpot("invalid-json", .error, first.utf8.count, 1)])
    }
}
