import Foundation
import Testing
@testable import StreamtapeCore

/// A recorded exchange that is not a stream: `GET /v1/models` as the recorder stores it.
private func modelsList(body: String, contentType: String = "application/json") -> Exchange {
    Exchange(startedMs: 0, upstream: "https://api.openai.com",
             request: CapturedRequest(method: "GET", target: "/v1/models", headers: [Header("accept", "application/json")]),
             response: CapturedResponse(status: 200, headers: [Header("content-type", contentType)], offsetNs: 80_000_000),
             chunks: [Chunk(seq: 0, offsetNs: 81_000_000, bytes: Array(body.utf8))],
             end: ExchangeEnd(offsetNs: 82_000_000, state: .complete))
}

private let models = #"{"object":"list","data":[{"id":"gpt-4o-mini","object":"model","created":1721172741,"owned_by":"system"}]}"#

@Suite struct ResponseStreamTests {
    @Test func aModelListIsJudgedAsJSONNotAsAStream() {
        // Read as a stream it once gave unterminated-event (an NDJSON line without its newline).
        let analysis = Analysis.analyze(modelsList(body: models))
        #expect(!ResponseStream.isStream(modelsList(body: models)))
        #expect(analysis.findings == [])
    }

    @Test func aNonStreamingCompletionIsJudgedAsJSONNotAsAStream() {
        // Read as a stream it once gave unknown-field (the JSON line) and missing-terminator.
        let completion = #"{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}]}"#
        let exchange = DiagExchange.exchange(completion, contentType: "application/json; charset=utf-8", requestBody: #"{"model":"gpt-4o-mini","stream":false}"#)
        #expect(DiagExchange.spots(exchange) == [])
    }

    @Test func aJSONBodyThatDoesNotParseIsInvalidJSON() {
        let findings = Analysis.analyze(modelsList(body: #"{"object":"list","data":["#)).findings
        #expect(findings == [Finding(code: "invalid-json", severity: .error, offset: 0, event: nil,
                                     message: #"the body is labelled "application/json" but is not valid JSON ("{"object":"list","data":["), so a client fails to parse it"#)])
        #expect(DiagExchange.spots(modelsList(body: "<html>oops", contentType: "text/html")) == [])
        var cut = modelsList(body: #"{"object":"li"#)
        cut.end = ExchangeEnd(offsetNs: 82_000_000, state: .upstreamReset)
        #expect(DiagExchange.spots(cut) == [FindingSpot("truncated", .error, 13, nil)])
    }

    @Test func theContentTypeNamesTheFraming() {
        #expect(ResponseStream.framing(contentType: "text/event-stream; charset=utf-8") == .sse)
        #expect(ResponseStream.framing(contentType: "Text/Event-Stream") == .sse)
        #expect(ResponseStream.framing(contentType: "application/x-ndjson") == .ndjson)
        #expect(ResponseStream.framing(contentType: "application/ndjson") == .ndjson)
        #expect(ResponseStream.framing(contentType: "application/jsonl") == .ndjson)
        #expect(ResponseStream.framing(contentType: "application/json") == nil)
        #expect(ResponseStream.framing(contentType: nil) == nil)
    }

    @Test func withoutAContentTypeTheRequestDecides() {
        let asked = DiagExchange.exchange(DiagExchange.chat("Hi") + DiagExchange.done, contentType: nil)
        #expect(ResponseStream.isStream(asked))
        let notAsked = DiagExchange.exchange("{}", contentType: nil, requestBody: #"{"stream":false}"#)
        #expect(!ResponseStream.isStream(notAsked))
        let gemini = DiagExchange.exchange("", target: "/v1beta/models/g:streamGenerateContent?alt=sse", contentType: nil, requestBody: "{}")
        #expect(ResponseStream.isStream(gemini))
        let ollama = DiagExchange.exchange("", target: "/api/chat", contentType: nil, requestBody: "{}")
        #expect(ResponseStream.isStream(ollama))
        #expect(ResponseStream.isStream(DiagExchange.raw("data: x\n\n")))
    }

    @Test func aStreamTypeIsAStreamWhateverTheRequestSaid() {
        let body = DiagExchange.chat("Hi")   // no [DONE]
        let spots = DiagExchange.spots(DiagExchange.exchange(body, requestBody: #"{"stream":false}"#))
        #expect(spots == [FindingSpot("missing-terminator", .error, body.utf8.count, nil)])
    }
}
