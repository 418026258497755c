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
}
