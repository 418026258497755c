import Testing
import StreamtapeCore
@testable import StreamtapeInspect

@Suite struct TailTests {
    @Test func boundariesAreFoundAfterABlankLineWhateverTheLineEndings() {
        #expect(TailWindow.boundary(Array("a\n\nb".utf8), framing: .sse) == 3)
        #expect(TailWindow.boundary(Array("x\r\n\r\ny".utf8), framing: .sse) == 5)
        #expect(TailWindow.boundary(Array("x\r\r\ny".utf8), framing: .sse) == 4)
        #expect(TailWindow.boundary(Array("ta: 1\ndata: 2\n\ndata".utf8), framing: .sse) == 15)
        #expect(TailWindow.boundary(Array("abc\ndef".utf8), framing: .ndjson) == 4)
        #expect(TailWindow.boundary(Array("data: only one line\n".utf8), framing: .sse) == nil)
    }

    /// 3,000 events of varied size in 1-byte or 7-byte chunks; only the first page indexed.
    func bigDocument(chunk: Int) throws -> (InspectDocument, [SSEEvent], Exchange) {
        var body: [UInt8] = []
        for i in 0..<3000 { body += Array("event: e\(i % 7)\ndata: {\"n\":\(i),\"pad\":\"\(String(repeating: "x", count: i % 90))\"}\n\n".utf8) }
        let exchange = Fixtures.exchange(body, chunk: chunk)
        let expected = SSEParser.parse(chunks: exchange.chunks.map(\.bytes)).events
        let doc = try InspectDocument(source: MemoryCaptureSource(exchange), pageSize: 32)
        return (doc, expected, exchange)
    }

    @Test(arguments: [1, 7])
    func gJumpsToTheTailBeforeTheIndexGetsThereAndRenumbersOnceItDoes(chunk: Int) throws {
        let (doc, expected, exchange) = try bigDocument(chunk: chunk)
        #expect(doc.eventCount < 100 && !doc.isCaughtUp)
        let ctx = ManualContext(doc: doc)
        var s = InspectorState()
        s.timelineRows = 5
        _ = Keymap().handle(.char("G"), &s, ctx)
        let tail = doc.tailCount
        #expect(tail >= 8 && s.selected == -1 && s.top == -5)
        #expect(s.message?.hasPrefix("end of stream; numbering from the end until indexed") == true)
        // Every tail event is the true event counted from the end, data and raw bytes alike.
        let body = exchange.body
        for k in 1...tail {
            let truth = expected[expected.count - k]
            let e = try #require(doc.event(-k))
            #expect(e.type == truth.type && e.data == truth.data && e.firstChunk == truth.firstChunk && e.lastChunk == truth.lastChunk)
            #expect(doc.raw(-k)?.bytes == Array(body[truth.start..<truth.end]))
            #expect(doc.summary(-k)?.size == truth.length)
        }
        _ = Keymap().handle(.char("k"), &s, ctx)
        _ = Keymap().handle(.char("k"), &s, ctx)
        #expect(s.selected == -3)
        _ = Keymap().handle(.char("j"), &s, ctx)
        _ = Keymap().handle(.char("j"), &s, ctx)
        _ = Keymap().handle(.char("j"), &s, ctx)
        #expect(s.selected == -1)        // cannot step past the end
        _ = Keymap().handle(.char("k"), &s, ctx)
        try doc.indexToEnd()
        #expect(s.tick(ctx) == .redraw)
        #expect(s.selected == expected.count - 2 && s.top == expected.count - 5)
        #expect(doc.tailCount == 0)
    }

    @Test func theTailIsDrawnWithNumbersFromTheEnd() throws {
        let (doc, _, _) = try bigDocument(chunk: 7)
        let ctx = ManualContext(doc: doc)
        var s = InspectorState()
        _ = ExchangeScreen.render(&s, doc, width: 80, height: 24)
        _ = Keymap().handle(.char("G"), &s, ctx)
        let b = ExchangeScreen.render(&s, doc, width: 80, height: 24)
        let lines = b.text.components(separatedBy: "\n")
        #expect(lines[2].hasPrefix(" event end   #"))
        #expect(lines[8].hasPrefix("  -1 ") && lines[8].contains(" e3 ") && lines[8].contains("{\"n\":2999,"))   // event 2999 is type e3
        #expect(lines[9].hasPrefix(" event end — parsed"))
        #expect(lines[1].contains("indexing "))
    }
}
