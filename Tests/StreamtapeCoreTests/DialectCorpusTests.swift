import Foundation
import Testing
@testable import StreamtapeCore

/// Builds exchanges from the real provider streams for the dialect, assembly and diagnostics tests.
enum CorpusExchange {
    /// The request path of a corpus stream, from its `.request.json` URI.
    static func target(_ name: String) -> String {
        // Stream 13 was quoted from a proxy log without its request; it was an Anthropic Messages call.
        if Corpus.bytes(name, "request.json").isEmpty { return "/v1/messages" }
        let uri = (Corpus.json(name, "request.json") as! [String: Any])["uri"] as! String
        let afterHost = uri.components(separatedBy: "://").last!
        return String(afterHost[afterHost.firstIndex(of: "/")!...])
    }

    /// The stream as a recorded exchange: the body cut into `chunkSize`-byte chunks 1 ms apart.
    static func recorded(_ name: String, chunkSize: Int = 97) -> Exchange {
        let request = CapturedRequest(method: "POST", target: target(name), headers: [Header("content-type", "application/json")],
                                      body: Array(#"{"stream":true}"#.utf8))
        return Exchange(startedMs: 0, upstream: "https://example.invalid", request: request,
                        response: CapturedResponse(status: 200, headers: [Header("Content-Type", "text/event-stream")], offsetNs: 1_000_000),
                        chunks: chunks(Corpus.bytes(name, "sse"), size: chunkSize), end: ExchangeEnd(offsetNs: 9_000_000_000, state: .complete))
    }

    /// The stream as a raw imported body: no request, no response.
    static func raw(_ name: String) -> Exchange {
        Exchange(startedMs: 0, request: CapturedRequest(method: "", target: ""),
                 chunks: [Chunk(seq: 0, offsetNs: 0, bytes: Corpus.bytes(name, "sse"))])
    }

    static func chunks(_ bytes: [UInt8], size: Int) -> [Chunk] {
        stride(from: 0, to: bytes.count, by: size).enumerated().map { n, start in
            Chunk(seq: n, offsetNs: UInt64(n + 2) * 1_000_000, bytes: Array(bytes[start..<min(bytes.count, start + size)]))
        }
    }

    /// The expected assembly of a corpus stream, from its `.expected.json`.
    static func expected(_ name: String) -> (dialect: String, assembly: Assembly) {
        let o = Corpus.json(name, "expected.json") as! [String: Any]
        let tools = (o["tool_calls"] as! [[String: Any]]).map {
            ToolCall(id: $0["id"] as? String, name: $0["name"] as! String, arguments: $0["arguments"] as! String)
        }
        let errors = (o["errors"] as! [[String: Any]]).map { ($0["type"] as! String, $0["message"] as! String) }
        // Event indexes of errors are not in the corpus files: the tests check them separately.
        let assembly = Assembly(text: o["text"] as! String, reasoning: o["reasoning"] as! String, toolCalls: tools,
                                errors: errors.map { StreamError(type: $0.0, message: $0.1, event: -1) }, stop: o["stop"] as? String,
                                outputTokens: o["output_tokens"] as? Int)
        return (o["dialect"] as! String, assembly)
    }
}

/// Errors without the event index, to compare against the corpus files.
private func withoutEventIndex(_ a: Assembly) -> Assembly {
    var a = a
    a.errors = a.errors.map { StreamError(type: $0.type, message: $0.message, event: -1) }
    return a
}

@Suite struct DialectCorpusTests {
    @Test("every corpus stream assembles exactly to its expected answer, recorded with a request", arguments: Corpus.names)
    func recordedStreamAssemblesExactly(name: String) {
        let analysis = Analysis.analyze(CorpusExchange.recorded(name))
        let expected = CorpusExchange.expected(name)
        #expect(analysis.dialect.rawValue == expected.dialect)
        #expect(withoutEventIndex(analysis.assembly) == expected.assembly)
    }

    @Test("every corpus stream is detected and assembled from the raw body alone", arguments: Corpus.names)
    func rawBodyIsDetectedFromPayload(name: String) {
        let expected = CorpusExchange.expected(name)
        let detected = Dialect.detect(body: Corpus.bytes(name, "sse"))
        #expect(detected.dialect.rawValue == expected.dialect)
        #expect(detected.framing == .sse)
        let analysis = Analysis.analyze(CorpusExchange.raw(name))
        #expect(analysis.dialect.rawValue == expected.dialect)
        #expect(analysis.framing == .sse)
        #expect(withoutEventIndex(analysis.assembly) == expected.assembly)
    }

    @Test("the incremental assembler gives the same answer as the whole analysis, event by event", arguments: Corpus.names)
    func incrementalAssemblerMatches(name: String) {
        let analysis = Analysis.analyze(CorpusExchange.recorded(name, chunkSize: 1))
        var assembler = Assembler(dialect: analysis.dialect)
        for event in analysis.events { assembler.add(event) }
        #expect(assembler.assembly == analysis.assembly)
        #expect(assembler.eventCount == analysis.events.count)
        #expect(analysis.events.count == (Corpus.json(name, "expected.json") as! [String: Any])["n_events"] as! Int)
    }

    @Test("clean corpus streams give no finding at all", arguments: Corpus.names.filter { !$0.hasPrefix("13-") })
    func cleanStreamsHaveNoFindings(name: String) {
        let analysis = Analysis.analyze(CorpusExchange.recorded(name))
        #expect(analysis.findings == [])
        #expect(analysis.problems == 0)
    }

    @Test("stream 13 (Anthropic overloaded_error) gives exactly one error-event and no missing-terminator")
    func overloadedStreamGivesExactlyTheErrorEvent() {
        let analysis = Analysis.analyze(CorpusExchange.recorded("13-anthropic-error-overloaded"))
        #expect(analysis.findings == [Finding(code: "error-event", severity: .error, offset: 0, event: 0,
                                              message: "the provider sent an overloaded_error before any answer (\"Overloaded\"); the answer stops here")])
        #expect(analysis.problems == 1)
        #expect(analysis.assembly.errors == [StreamError(type: "overloaded_error", message: "Overloaded", event: 0)])
    }

    @Test("the events' times are the offsets of the chunks that completed them")
    func eventTimesComeFromLastChunk() {
        let exchange = CorpusExchange.recorded("14-gemini-text-crlf")
        let analysis = Analysis.analyze(exchange)
        #expect(analysis.eventTimesNs == analysis.events.map { exchange.chunks[$0.lastChunk].offsetNs })
        #expect(analysis.eventTimesNs.count == 3)
        #expect(analysis.eventTimesNs.last == exchange.chunks.last!.offsetNs)
    }
}
