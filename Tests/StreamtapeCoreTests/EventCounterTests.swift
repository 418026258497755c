@testable import StreamtapeCore
import Testing

@Suite struct EventCounterTests {
    @Test func sseEventsAreCountedAtEverySplitPointAndLineEnding() {
        let stream = Array(": ping\n\ndata: a\r\n\r\nevent: x\ndata: b\n\ndata: c\r\rdata: d\n\n".utf8)
        for split in 0...stream.count {
            var c = EventCounter(contentType: "text/event-stream; charset=utf-8")
            c.feed(Array(stream[..<split]))
            c.feed(Array(stream[split...]))
            c.finish()
            #expect(c.count == 4, "split at \(split)")
        }
    }

    @Test func ndjsonCountsLinesIncludingAnUnterminatedLastOne() {
        var c = EventCounter(contentType: "application/x-ndjson")
        c.feed(Array("{\"a\":1}\n\n{\"b\":2}\n{\"done\":true}".utf8))
        c.finish()
        #expect(c.count == 3)
    }

    @Test func otherBodiesHaveNoEvents() {
        var c = EventCounter(contentType: "application/json")
        c.feed(Array("{\n\n}\n\n".utf8))
        #expect(c.count == 0)
    }

    @Test func theLastCompleteEventIsKeptAtEverySplitPoint() {
        let stream = Array("data: {\"a\":1}\r\n\r\n: ping\r\n\r\ndata: [DONE]\r\n\r\ndata: part".utf8)
        for split in 0...stream.count {
            var c = EventCounter(contentType: "text/event-stream")
            c.feed(Array(stream[..<split]))
            c.feed(Array(stream[split...]))
            #expect(String(decoding: c.lastEvent, as: UTF8.self) == "\n: ping\r\n\r\ndata: [DONE]\r\n\r", "split at \(split)")
        }
    }

    @Test func anEventOverTheLimitIsNotKept() {
        var c = EventCounter(contentType: "text/event-stream")
        c.feed(Array("data: [DONE]\n\n".utf8))
        c.feed(Array("data: ".utf8) + Array(repeating: UInt8(ascii: "x"), count: EventCounter.lastEventLimit) + Array("\n\n".utf8))
        #expect(c.count == 2)
        #expect(c.lastEvent == [])
        #expect(!c.endsWithTerminator(target: "/v1/chat/completions"))
    }

    /// Each dialect's end marker, as the assembler knows it, ends the stream; the event before it does not.
    @Test(arguments: [
        ("/v1/chat/completions", "text/event-stream", "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\n", "data: [DONE]\n\n"),
        ("/v1/messages", "text/event-stream", "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
         "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"),
        ("/v1/responses", "text/event-stream", "event: response.output_text.done\ndata: {\"type\":\"response.output_text.done\",\"sequence_number\":3}\n\n",
         "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":4,\"response\":{}}\n\n"),
        ("/v1beta/models/g:streamGenerateContent?alt=sse", "text/event-stream",
         "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]}}]}\r\n\r\n",
         "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"b\"}]},\"finishReason\":\"STOP\"}]}\r\n\r\n"),
        ("/api/chat", "application/x-ndjson", "{\"message\":{\"content\":\"a\"},\"done\":false}\n", "{\"done\":true,\"done_reason\":\"stop\"}\n"),
    ])
    func theDialectsEndMarkerEndsTheStream(target: String, contentType: String, before: String, marker: String) {
        var c = EventCounter(contentType: contentType)
        c.feed(Array(before.utf8))
        #expect(!c.endsWithTerminator(target: target))
        c.feed(Array(marker.utf8))
        #expect(c.endsWithTerminator(target: target))
        #expect(!EventCounter(contentType: "application/json").endsWithTerminator(target: target))
    }
}
