import Testing
@testable import StreamtapeCore

private func events(_ s: String, split: [Int] = []) -> [[String]] {
    let bytes = Array(s.utf8)
    var chunks: [[UInt8]] = []
    var last = 0
    for p in split { chunks.append(Array(bytes[last..<p])); last = p }
    chunks.append(Array(bytes[last...]))
    return SSEParser.parse(chunks: chunks).events.map { [$0.type, $0.data, $0.id] }
}

@Suite struct SSEParserSpecTests {
    @Test func lfCrAndCrlfAllEndLines() {
        #expect(events("data: a\n\ndata: b\r\rdata: c\r\n\r\n") == [["message", "a", ""], ["message", "b", ""], ["message", "c", ""]])
    }

    @Test func crlfSplitAcrossFeedsIsOneLineEnd() {
        #expect(events("data: a\r\n\r\n", split: [8]) == [["message", "a", ""]])
        #expect(events("data: a\r\n\r\ndata: b\r\n\r\n", split: [8, 10]) == [["message", "a", ""], ["message", "b", ""]])
    }

    @Test func leadingBOMIsDroppedOnlyOnce() {
        #expect(events("\u{FEFF}data: a\n\n") == [["message", "a", ""]])
        #expect(events("\u{FEFF}data: a\n\n", split: [1, 2]) == [["message", "a", ""]])
        // A second BOM is part of the field name, which is then unknown.
        #expect(events("\u{FEFF}\u{FEFF}data: a\n\n") == [])
    }

    @Test func commentsAndFieldsWithoutColon() {
        #expect(events(": hi\ndata\n\n") == [["message", "", ""]])
        #expect(events(":only a comment\n\n") == [])
    }

    @Test func onlyOneLeadingSpaceIsStripped() {
        #expect(events("data:  two\n\ndata:none\n\n") == [["message", " two", ""], ["message", "none", ""]])
    }

    @Test func multiLineDataJoinsWithLF() {
        #expect(events("data: a\ndata:\ndata: b\n\n") == [["message", "a\n\nb", ""]])
    }

    @Test func emptyDataBufferIsNotDispatchedAndResetsEventType() {
        #expect(events("event: x\n\ndata: y\n\n") == [["message", "y", ""]])
    }

    @Test func eventTypeResetsAfterDispatch() {
        #expect(events("event: a\ndata: 1\n\ndata: 2\n\n") == [["a", "1", ""], ["message", "2", ""]])
    }

    @Test func idPersistsAndIgnoresNul() {
        #expect(events("id: 7\ndata: a\n\ndata: b\n\nid: x\u{0}y\ndata: c\n\nid\ndata: d\n\n")
            == [["message", "a", "7"], ["message", "b", "7"], ["message", "c", "7"], ["message", "d", ""]])
    }

    @Test func retryOnlyWhenAllDigits() {
        var p = SSEParser()
        _ = p.feed(Array("retry: 12a\n\nretry: 300\n\nretry: \n\n".utf8))
        _ = p.finish()
        #expect(p.facts.retry == 300)
        #expect(p.facts.unknownFields.isEmpty)
    }

    @Test func unterminatedFinalEventIsNotDispatched() {
        var p = SSEParser()
        let got = p.feed(Array("data: a\n\ndata: b\n".utf8)) + p.finish()
        #expect(got.map(\.data) == ["a"])
        #expect(p.facts.unterminatedStart == 9)
        #expect(p.facts.unterminatedData == "b")
    }

    @Test func finalCRCompletesTheBlankLine() {
        #expect(events("data: a\r\r") == [["message", "a", ""]])
    }

    @Test func invalidUTF8DecodesToReplacement() {
        let bytes: [UInt8] = Array("data: a".utf8) + [0xFF, 0xE2, 0x82] + Array("\n\n".utf8)
        let got = SSEParser.parse(chunks: [bytes]).events
        #expect(got.map(\.data) == ["a\u{FFFD}\u{FFFD}"])
    }

    @Test func unknownFieldsAreNoted() {
        var p = SSEParser()
        _ = p.feed(Array("data: a\nHTTP/1.1 200 OK\n\n".utf8))
        #expect(p.facts.unknownFields.map(\.name) == ["HTTP/1.1 200 OK"])
        #expect(p.facts.unknownFields.map(\.offset) == [8])
    }

    @Test func spansAndChunksAreKept() {
        let (got, _) = SSEParser.parse(chunks: [Array("data: a\n".utf8), Array("\nevent: e\ndata: b\n\n".utf8)])
        #expect(got.map(\.start) == [0, 9])
        #expect(got.map(\.end) == [9, 27])
        #expect(got.map(\.firstChunk) == [0, 1])
        #expect(got.map(\.lastChunk) == [1, 1])
    }

    @Test func ndjsonLinesAreEvents() {
        let (got, facts) = SSEParser.parse(chunks: [Array("{\"a\":1}\n\n{\"b\"".utf8), Array(":2}\r\n{\"c\":3}".utf8)], framing: .ndjson)
        #expect(got.map(\.data) == ["{\"a\":1}", "{\"b\":2}", "{\"c\":3}"])
        #expect(got.map(\.start) == [0, 9, 18])
        #expect(facts.unterminatedStart == 18)
    }
}

@Suite struct SSEParserSplitTests {
    /// Splits at every point (or every `stride`-th point plus every point next to a CR or LF, for
    /// the long corpus streams, which would take minutes in a debug build) and drip-feeds one byte
    /// at a time; true when all give the same events.
    private func parseSplitEverywhere(_ bytes: [UInt8], stride step: Int = 1) -> Bool {
        let whole = SSEParser.parse(chunks: [bytes])
        let points = (0...bytes.count).filter { p in
            p % step == 0 || (p > 0 && (bytes[p - 1] == 0x0A || bytes[p - 1] == 0x0D))
                || (p < bytes.count && (bytes[p] == 0x0A || bytes[p] == 0x0D))
        }
        for p in points {
            let two = SSEParser.parse(chunks: [Array(bytes[..<p]), Array(bytes[p...])])
            let a = whole.events.map { [$0.type, $0.data, $0.id, "\($0.start)", "\($0.end)"] }
            let b = two.events.map { [$0.type, $0.data, $0.id, "\($0.start)", "\($0.end)"] }
            if a != b || [whole.facts.lf, whole.facts.crlf, whole.facts.cr] != [two.facts.lf, two.facts.crlf, two.facts.cr] { return false }
        }
        let drip = SSEParser.parse(chunks: bytes.map { [$0] })
        return drip.events.map { [$0.type, $0.data, $0.id, "\($0.start)", "\($0.end)"] }
            == whole.events.map { [$0.type, $0.data, $0.id, "\($0.start)", "\($0.end)"] }
            && drip.facts.unknownFields == whole.facts.unknownFields
    }

    @Test func everySplitPointOfATrickyStreamGivesTheSameEvents() {
        let s = "\u{FEFF}: c\r\nid: 1\revent: é\r\ndata: x\n\ndata: 日本\r\r\ndata: y\ndata\n\nbogus\n\ndata: tail"
        #expect(parseSplitEverywhere(Array(s.utf8)))
    }

    @Test func feedIntoAppendsWhatFeedReturnsWithTheSameSpansAndFacts() {
        let s = Array("data: a\nfoo: 1\n: note\n\ndata: b\r\n\r\ndata: c\n\nid: 7\ndata: d\n".utf8)
        for cut in 0...s.count {
            var one = SSEParser(), two = SSEParser()
            var appended = [SSEEvent(index: 99, type: "x", data: "kept", id: "", start: 0, end: 0, firstChunk: 0, lastChunk: 0)]
            one.feed(Array(s[..<cut]), into: &appended)
            one.feed(Array(s[cut...]), into: &appended)
            let returned = two.feed(Array(s[..<cut])) + two.feed(Array(s[cut...]))
            #expect(appended.first?.data == "kept")
            #expect(Array(appended.dropFirst()) == returned, "cut at \(cut)")
            #expect(returned.map(\.data) == ["a", "b", "c"] && returned.map(\.end) == [23, 34, 43], "cut at \(cut)")
            #expect(one.facts == two.facts && one.facts.unknownFields.map(\.offset) == [8] && one.facts.comments == 1)
        }
    }

    @Test(arguments: Corpus.names)
    func corpusStreamMatchesItsExpectedEventsForEverySplit(name: String) {
        let bytes = Corpus.bytes(name, "sse")
        let got = SSEParser.parse(chunks: [bytes]).events.map { [$0.type, $0.data, $0.id] }
        #expect(got == Corpus.expectedEvents(name))
        #expect(parseSplitEverywhere(bytes, stride: bytes.count <= 4096 ? 1 : 61))
    }
}
