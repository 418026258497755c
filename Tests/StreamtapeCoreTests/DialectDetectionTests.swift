import Testing
@testable import StreamtapeCore

@Suite struct DialectDetectionTests {
    @Test("the request path names the dialect", arguments: [
        ("/v1/chat/completions", Dialect.openaiChat),
        ("/openai/v1/chat/completions", .openaiChat),                       // Groq
        ("/api/v1/chat/completions", .openaiChat),                          // OpenRouter
        ("/chat/completions", .openaiChat),                                 // DeepSeek
        ("https://api.mistral.ai/v1/chat/completions#stream", .openaiChat),
        ("/v1/responses", .openaiResponses),
        ("/v1/messages?beta=true", .anthropic),
        ("/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse", .gemini),
        ("/api/chat", .ollama),
        ("/api/generate", .ollama),
    ])
    func pathDecides(target: String, dialect: Dialect) {
        #expect(Dialect.detect(target: target, contentType: "text/event-stream", firstEvents: []) == dialect)
    }

    @Test func unknownPathFallsBackToContentTypeThenGeneric() {
        #expect(Dialect.detect(target: "/v1/stream", contentType: "application/x-ndjson", firstEvents: []) == .ollama)
        #expect(Dialect.detect(target: "/v1/stream", contentType: "text/event-stream", firstEvents: []) == .generic)
        #expect(Dialect.detect(target: "", contentType: nil, firstEvents: []) == .generic)
    }

    @Test func payloadShapeDecidesWithoutAPath() {
        func first(_ body: String, _ framing: StreamFraming = .sse) -> [SSEEvent] {
            SSEParser.parse(chunks: [Array(body.utf8)], framing: framing).events
        }
        let cases: [(String, StreamFraming, Dialect)] = [
            ("data: {\"object\":\"chat.completion.chunk\",\"choices\":[]}\n\n", .sse, .openaiChat),
            ("data: [DONE]\n\n", .sse, .openaiChat),
            ("event: response.created\ndata: {}\n\n", .sse, .openaiResponses),
            ("data: {\"type\":\"response.output_text.delta\",\"delta\":\"x\"}\n\n", .sse, .openaiResponses),
            ("data: {\"type\":\"error\",\"code\":\"x\",\"message\":\"m\",\"sequence_number\":1}\n\n", .sse, .openaiResponses),
            ("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{}}\n\n", .sse, .anthropic),
            ("data: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\"}}\n\n", .sse, .anthropic),
            ("data: {\"candidates\":[]}\r\n\r\n", .sse, .gemini),
            ("{\"model\":\"llama3\",\"response\":\"x\",\"done\":false}\n", .ndjson, .ollama),
            ("data: hello\n\n", .sse, .generic),
        ]
        for (body, framing, dialect) in cases {
            #expect(Dialect.detect(target: "", contentType: nil, firstEvents: first(body, framing)) == dialect, "\(body)")
        }
    }

    @Test func rawBodyFramingIsNDJSONOnlyForJSONLinesWithoutData() {
        #expect(Dialect.detect(body: Array("{\"response\":\"x\",\"done\":false}\n".utf8)) == (.ollama, .ndjson))
        #expect(Dialect.detect(body: Array("\n\n{\"a\":1}\n{\"a\":2}\n".utf8)) == (.generic, .ndjson))   // NDJSON, shape unknown
        #expect(Dialect.detect(body: Array("{\"a\":1}\ndata: {\"choices\":[]}\n\n".utf8)) == (.openaiChat, .sse))
        #expect(Dialect.detect(body: Array("hello\n".utf8)) == (.generic, .sse))
        #expect(Dialect.detect(body: []) == (.generic, .sse))
    }

    @Test func framingAndRawValues() {
        #expect(Dialect.allCases.map(\.rawValue) == ["openai-chat", "openai-responses", "anthropic", "gemini", "ollama", "generic"])
        #expect(Dialect.allCases.filter { $0.framing == .ndjson } == [.ollama])
    }

    @Test func forcedDialectOverridesDetection() {
        let analysis = Analysis.analyze(DiagExchange.raw("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"x\"}]}}]}\n\n"), dialect: .generic)
        #expect(analysis.dialect == .generic)
        #expect(analysis.assembly == Assembly())
        #expect(analysis.findings == [])
    }
}
