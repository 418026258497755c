import Testing
import StreamtapeCore
@testable import StreamtapeInspect

@Suite struct ViewTests {
    func screen(_ keys: [Key], width: Int = 80, height: Int = 24) throws -> (ScreenBuffer, InspectorState) {
        let doc = try Fixtures.document(Fixtures.exchange(Fixtures.midstreamError(), chunk: 64))
        let ctx = ManualContext(doc: doc)
        var s = InspectorState()
        _ = ExchangeScreen.render(&s, doc, width: width, height: height)
        for k in keys { _ = Keymap().handle(k, &s, ctx) }
        return (ExchangeScreen.render(&s, doc, width: width, height: height), s)
    }

    func lines(_ b: ScreenBuffer) -> [String] { b.text.components(separatedBy: "\n") }

    @Test func the80x24ScreenAfterNShowsTheErrorEventItsFindingAndTheHeader() throws {
        let (b, _) = try screen([.char("n")])
        let l = lines(b)
        #expect(l.count == 24)
        #expect(l[0] == " POST /v1/messages  200  complete  anthropic sse")
        #expect(l[1] == " TTFB 10ms  duration 221ms  events 11  chunks 22  1.3kB  findings 1E")
        #expect(l[2].hasPrefix(" event #10 of 11 "))
        #expect(l[8] == "◆ 10   0.220s    +20ms error                     96B error overloaded_error: Ove")
        #expect((0..<80).allSatisfy { b[8, $0].style.reverse })   // the selection bar, also under NO_COLOR
        #expect(b[8, 0].style.color == .error)
        #expect(l[9].hasPrefix(" event #10 — parsed"))
        #expect(l[10] == "error  at 0.220s (+20ms)  bytes 1254–1350 (96B)  chunks 19–21")
        #expect(l[11] == "✖ error-event the provider sent an overloaded_error mid-stream (\"Overloaded\"); t")   // Core's explanation, wrapped
        #expect(l[12] == "he answer stops here")
        #expect(l[15] == "  data: 75 bytes, JSON")
        #expect(l[17] == "{")
        #expect(l[18] == "  \"type\": \"error\",")
        #expect(l[22] == "0s                               gaps, max 10ms                           221ms▲")
        #expect(l[23] == " finding 1 of 1")
    }

    @Test func theFirstRowIsEventNumberZeroInTheTimelineAndDetailTitles() throws {
        let (b, s) = try screen([])
        let l = lines(b)
        #expect(s.selected == 0)
        #expect(l[2].hasPrefix(" event #0 of 11   #  time"))
        #expect(l[3].hasPrefix("   0   0.040s    +40ms message_start"))
        #expect(l[9].hasPrefix(" event #0 — parsed"))
    }

    @Test func followingAt80ColumnsKeepsWholeKeyHintsBesideTheEndMark() throws {
        let doc = try Fixtures.document(Fixtures.exchange(Fixtures.midstreamError(), chunk: 64))
        var s = InspectorState()
        s.stickToEnd = true
        let l = lines(ExchangeScreen.render(&s, doc, width: 80, height: 24))
        #expect(l[23] == " ?:help q:quit n/N:finding Tab:pane r:raw x:hex t:text space:play         ⤓ end")
    }

    @Test func rawModeShowsLineEndingsAndWhereTheNetworkCutTheEvent() throws {
        let (b, _) = try screen([.char("n"), .char("r")])
        let l = lines(b)
        #expect(l[13] == "starts in chunk 19 at 0.200s  ┆ chunk 20 at 0.210s (+10ms)  ┆ chunk 21 at 0.220s")
        #expect(l[15] == "event: error␊")
        #expect(l[16] == "data: {\"type\"┆:\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloade┆d")
        #expect(l[17] == "\"}}␊")
        #expect(l[18] == "␊")
        let cut = try #require(l[16].firstIndex(of: "┆"))
        #expect(b[16, l[16].distance(from: l[16].startIndex, to: cut)].style.color == .cut)
    }

    @Test func theTextPaneShowsWhatTheUserSawWithWideCharacters() throws {
        let (b, s) = try screen([.char("j"), .char("j"), .char("j"), .char("j"), .char("t")], width: 120, height: 30)
        #expect(s.selected == 4 && s.showText)
        let l = lines(b)
        let title = try #require(l.firstIndex { $0.contains("what the user saw through event #4") })
        #expect(l[title + 1].hasSuffix("text"))
        #expect(l[title + 2].hasSuffix("Les chunks arrivent"))
        let (c, _) = try screen([.char("G"), .char("t")], width: 120, height: 30)
        let m = lines(c)
        let row = try #require(m.firstIndex { $0.hasSuffix("Les chunks arrivent un par un — 日本語も表示できる。") })
        let col = 67 + DisplayWidth.of("Les chunks arrivent un par un — ")
        #expect(c[row, col].char == "日" && c[row, col + 1].char == nil && c[row, col + 2].char == "本")
        #expect(m[row + 2].hasSuffix("error overloaded_error: Overloaded"))
    }

    @Test func theTextPaneNamesToolCallsByIdAndErrorsByType() {
        let a = Assembly(toolCalls: [ToolCall(id: "call_1", name: "get_weather", arguments: "{\"city\":\"Oslo\"}"), ToolCall(name: "noop")],
                         errors: [StreamError(type: "overloaded_error", message: "Overloaded", event: 3)], stop: "tool_use")
        let text = TextPaneView.content(a).map { $0.map(\.text).joined() }
        #expect(text == ["tool call get_weather  call_1", "  {\"city\":\"Oslo\"}", "tool call noop", "  ",
                         "error overloaded_error: Overloaded", "stop: tool_use"])
    }

    @Test func everySizeRendersAndTheLayoutAdaptsOnResize() throws {
        let doc = try Fixtures.document(Fixtures.exchange(Fixtures.midstreamError(), chunk: 64))
        var s = InspectorState()
        s.select(10, count: 11)
        for (w, h) in [(80, 24), (40, 12), (200, 60), (120, 30), (100, 15)] {
            let b = ExchangeScreen.render(&s, doc, width: w, height: h)
            #expect(b.width == w && b.height == h)
            #expect(lines(b)[0].hasPrefix(" POST /v1/messages"))
            #expect(s.selected >= s.top && s.selected < s.top + s.timelineRows, "selection visible at \(w)x\(h)")
        }
        #expect(Layout(width: 120, height: 30, showText: false).detail.col == 67)    // side by side
        #expect(Layout(width: 119, height: 30, showText: false).detail.col == 0)     // stacked
        #expect(lines(ExchangeScreen.render(&s, doc, width: 39, height: 11))[0] == "terminal too small (need 40x12)")
    }

    @Test func theHelpScreenIsTheGeneratedList() throws {
        let (b, _) = try screen([.char("?")])
        let l = lines(b)
        #expect(l[0] == "streamtape inspect — keys")
        #expect(l[2] == "  j ↓          next event (or scroll the focused pane)")
        #expect(Array(l[2..<22]) == Array(Keymap.helpLines()[2..<22]))
    }

    @Test func theSearchPromptIsDrawnInTheStatusBar() throws {
        let (b, _) = try screen([.char("/"), .char("p"), .char("i")])
        #expect(lines(b)[23] == "/pi▏")
    }

    @Test func theGapChartPutsTheTallestBarWhereTheStallEnds() throws {
        // Ten chunks 10 ms apart, then one after a 6 s stall, then ten more.
        var times: [UInt64] = (1...10).map { UInt64($0) * 10_000_000 }
        times.append(6_100_000_000)
        times += (1...10).map { 6_100_000_000 + UInt64($0) * 10_000_000 }
        var body: [UInt8] = []
        for i in 0..<21 { body += Array("data: \(i < 10 ? "0\(i)" : "\(i)")\n\n".utf8) }   // 10 bytes each
        let doc = try Fixtures.document(Fixtures.exchange(body, chunk: 10, times: times))
        var s = InspectorState()
        let b = ExchangeScreen.render(&s, doc, width: 80, height: 24)
        let top = 20   // the upper bar row
        let (gaps, end) = doc.gapColumns(80)
        let stallColumn = Int(Double(6_100_000_000) / Double(end) * 80)
        #expect(gaps[stallColumn] == 6_000_000_000)
        #expect(b[top, stallColumn].char == "█" && b[top, stallColumn].style.color == .error)
        #expect((0..<80).filter { b[top, $0].char != " " } == [stallColumn])
        #expect(b[21, 40].char == "·")   // nothing arrived mid-stall
        #expect(lines(b)[22].contains("gaps, max 6.000s"))
    }

    @Test func theSelectionMarkNeverOverwritesTheGapChartLabel() throws {
        // Event 5 of 11 evenly paced lands mid-axis, where the label is centred.
        let (b, s) = try screen([.char("j"), .char("j"), .char("j"), .char("j"), .char("j")])
        let axis = lines(b)[22]
        #expect(s.selected == 5)
        #expect(axis.contains(" gaps, max 10ms "))
        #expect(axis.filter { $0 == "▲" }.count == 1)
        #expect(axis == "0s                          gaps, max 10ms ▲                              221ms◆")
    }

    @Test func theAxisLabelMovesToTheNearestPlaceNoMarkCovers() {
        #expect(GapChartView.labelColumn(10, width: 40, reserved: 2, endLabel: 6, marks: []) == 15)
        #expect(GapChartView.labelColumn(10, width: 40, reserved: 2, endLabel: 6, marks: [20]) == 10)
        #expect(GapChartView.labelColumn(10, width: 40, reserved: 2, endLabel: 6, marks: [15, 10]) == 16)
        #expect(GapChartView.labelColumn(30, width: 40, reserved: 2, endLabel: 6, marks: [20]) == nil)
    }
}

@Suite struct FormatterTests {
    @Test func rawMarksCRLFSplitBetweenCRAndLFAndBadBytes() {
        let raw = RawSpan(bytes: Array("data: a\r\n".utf8) + [0xFF] + Array("\r\n".utf8), cuts: [.init(at: 8, chunk: 1, timeNs: 0)],
                          firstChunk: 0, firstTimeNs: 0, capped: false)
        let text = RawFormatter.lines(raw).map { $0.map(\.text).joined() }
        #expect(text == ["data: a␍┆␊", "\\xff␍␊"])
    }

    @Test func aCutInsideAUTF8CharacterIsMarkedInErrorColour() {
        let bytes = Array("é!".utf8)   // C3 A9 21
        let raw = RawSpan(bytes: bytes, cuts: [.init(at: 1, chunk: 1, timeNs: 0)], firstChunk: 0, firstTimeNs: 0, capped: false)
        let line = RawFormatter.lines(raw)[0]
        #expect(line.map(\.text) == ["é", "┆", "!"])
        #expect(line[1].style.color == .error)
    }

    @Test func hexDumpMarksTheCutBeforeItsByte() {
        let raw = RawSpan(bytes: Array("data: x\n\n".utf8), cuts: [.init(at: 2, chunk: 1, timeNs: 0)], firstChunk: 0, firstTimeNs: 0, capped: false)
        let line = RawFormatter.hexLines(raw, width: 80)[0].map(\.text).joined()
        #expect(line == "0x0000  64 61┆74 61 3a 20 78 0a 0a" + String(repeating: " ", count: 23) + "data: x..")
    }

    @Test func hexDumpOffsetsAreHex() {
        let raw = RawSpan(bytes: Array(repeating: 0x61, count: 40), cuts: [], firstChunk: 0, firstTimeNs: 0, capped: false)
        let offsets = RawFormatter.hexLines(raw, width: 40).map { $0[0].text }
        #expect(offsets == ["0x0000 ", "0x0008 ", "0x0010 ", "0x0018 ", "0x0020 "])
    }

    @Test func prettyJSONKeepsTheProvidersKeyOrder() {
        #expect(JSONPretty.lines(#"{"z":1,"a":{"s":"x,{y}","e":[]},"b":[1,2]}"#) ==
                ["{", "  \"z\": 1,", "  \"a\": {", "    \"s\": \"x,{y}\",", "    \"e\": []", "  },", "  \"b\": [", "    1,", "    2", "  ]", "}"])
        #expect(JSONPretty.lines("[DONE]") == nil)
        #expect(JSONPretty.lines("{\"a\":") == nil)
    }

    @Test func durationsAndSizes() {
        #expect(Format.duration(412_000) == "412µs")
        #expect(Format.duration(12_300_000) == "12ms")
        #expect(Format.duration(28_000_000_000) == "28.000s")
        #expect(Format.duration(123_000_000_000) == "2m03s")
        #expect(Format.bytes(12_345) == "12.3kB")
    }
}

@Suite struct EdgeCaseTests {
    @Test func anExchangeWithoutResponseOrChunksRendersItsEndAndStreamFindings() throws {
        let exchange = Exchange(startedMs: 0, request: CapturedRequest(method: "POST", target: "/v1/messages"),
                                end: ExchangeEnd(offsetNs: 3_000_000, state: .upstreamError, error: "Could not resolve host"))
        let doc = try Fixtures.document(exchange)
        var s = InspectorState()
        let l = ExchangeScreen.render(&s, doc, width: 80, height: 24).text.components(separatedBy: "\n")
        #expect(l[0] == " POST /v1/messages  no response  upstream_error  anthropic sse  Could not resolv")
        #expect(l[1] == " TTFB —  duration 3ms  events 0  chunks 0  0B  findings 1E")
        #expect(l[3] == "  no events in this stream")
        #expect(l[10] == "✖ truncated the upstream failed before it sent a response (Could not resolve hos")
        #expect(l[11] == "t); the client got a 502 from streamtape carrying this error")
        #expect(l[12] == "No events; e shows the request and response headers.")
        #expect(l[13] == "  response body: empty")
        let ctx = ManualContext(doc: doc)
        for k: Key in [.char("j"), .char("G"), .char("n"), .char("r"), .char("t"), .char(" "), .char("/"), .char("x"), .enter] {
            _ = Keymap().handle(k, &s, ctx)
        }
        #expect(s.selected == 0)
        _ = ExchangeScreen.render(&s, doc, width: 80, height: 24)
    }

    @Test func streamWideFindingsAreMarkedAndReachedOnTheLastEvent() throws {
        let body = "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"b\"}}]}\n\n"
        let doc = try Fixtures.document(Fixtures.exchange(Array(body.utf8), chunk: 4), dialect: .openaiChat)
        #expect(doc.findingEvents == [1])
        var s = InspectorState()
        _ = Keymap().handle(.char("n"), &s, ManualContext(doc: doc))
        #expect(s.selected == 1)
        let l = ExchangeScreen.render(&s, doc, width: 80, height: 24).text.components(separatedBy: "\n")
        #expect(l[4].hasPrefix("◆  1 "))
        #expect(l[11] == "✖ missing-terminator the stream ends without data: [DONE], so a client cannot te")   // Core's explanation, wrapped
        #expect(l[12] == "ll a finished OpenAI Chat Completions answer from a cut-off one")
    }
}
