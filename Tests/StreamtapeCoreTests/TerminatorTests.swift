import Testing
@testable import StreamtapeCore

/// Which event ends a stream is decided once: replay's drop-terminator fault, the recorder's counter and
/// the diagnostics agree on `[DONE]` however much whitespace surrounds it.
@Suite struct TerminatorTests {
    private let first = #"data: {"choices":[{"index":0,"delta":{"content":"hi"}}]}"# + "\n\n"
    private let after = #"data: {"choices":[{"index":0,"delta":{"content":"late"}}]}"# + "\n\n"

    private func exchange(_ body: String) -> Exchange {
        ReplayFixtures.exchange(chunks: [(10_000_000, body)])
    }

    @Test(arguments: ["data: [DONE]\n\n", "data: [DONE] \n\n", "data:  [DONE]\n\n", "data: \t[DONE]\t \n\n", "data:[DONE]\n\n", "data: [DONE]\u{00A0}\n\n"])
    func doneWithWhitespaceEndsTheStreamEverywhere(_ done: String) throws {
        // An event after the marker: dropping the terminator must take out the marker, not the last event.
        let body = first + done + after
        let e = exchange(body)
        let events = ReplayFixtures.events(Array(body.utf8))
        #expect(Dialect.openaiChat.isTerminator(events[1]))
        #expect(Dialect.openaiChat.terminator(in: events)?.index == 1)

        let p = try ReplaySchedule.plan(for: e, faults: [.dropTerminator])
        #expect(String(decoding: p.body, as: UTF8.self) == first + after)

        let codes = Analysis.analyze(e).findings.map(\.code)
        #expect(codes == ["data-after-terminator"])
        let dropped = Analysis.analyze(exchange(first + after)).findings.map(\.code)
        #expect(dropped == ["missing-terminator"])

        var counter = EventCounter(contentType: "text/event-stream")
        counter.feed(Array((first + done).utf8))
        #expect(counter.endsWithTerminator(target: "/v1/chat/completions"))
    }

    @Test func framingComesFromOneReadingOfTheContentType() {
        for (type, framing) in [("text/event-stream; charset=utf-8", StreamFraming.sse), ("application/x-ndjson", .ndjson),
                                ("Application/NDJSON", .ndjson), ("application/jsonl", .ndjson)] {
            #expect(ResponseStream.framing(contentType: type) == framing)
            #expect(EventCounter(contentType: type).framing == framing, "\(type)")
            #expect(ReplayHead.wasStreamed([Header("content-type", type), Header("content-length", "3")]), "\(type)")
        }
        #expect(!ReplayHead.wasStreamed([Header("content-type", "application/json"), Header("content-length", "3")]))
    }
}
