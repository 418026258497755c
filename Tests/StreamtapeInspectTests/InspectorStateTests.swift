import Testing
@testable import StreamtapeInspect

@Suite struct InspectorStateTests {
    func setup() throws -> (InspectDocument, ManualContext, Keymap) {
        let doc = try Fixtures.document(Fixtures.exchange(Fixtures.midstreamError(), chunk: 64))
        return (doc, ManualContext(doc: doc), Keymap())
    }

    @Test func stepsClampAtBothEndsAndKeepTheSelectionVisible() throws {
        let (_, ctx, map) = try setup()
        var s = InspectorState()
        s.timelineRows = 4
        _ = map.handle(.char("k"), &s, ctx)
        #expect(s.selected == 0)
        for _ in 0..<6 { _ = map.handle(.char("j"), &s, ctx) }
        #expect(s.selected == 6 && s.top == 3)
        _ = map.handle(.pageDown, &s, ctx)
        #expect(s.selected == 9 && s.top == 6)
        _ = map.handle(.char("G"), &s, ctx)
        #expect(s.selected == 10 && !s.stickToEnd)   // complete: no need to follow
        _ = map.handle(.char("g"), &s, ctx)
        #expect(s.selected == 0 && s.top == 0)
    }

    @Test func nAndNJumpBetweenFindingsAndSayWhenThereAreNoMore() throws {
        let (_, ctx, map) = try setup()
        var s = InspectorState()
        _ = map.handle(.char("n"), &s, ctx)
        #expect(s.selected == 10 && s.message == "finding 1 of 1")
        _ = map.handle(.char("n"), &s, ctx)
        #expect(s.selected == 10 && s.message == "no later finding")
        _ = map.handle(.char("N"), &s, ctx)
        #expect(s.selected == 10 && s.message == "no earlier finding")
    }

    @Test func tabCyclesThePanesAndJKScrollTheFocusedOne() throws {
        let (_, ctx, map) = try setup()
        var s = InspectorState()
        _ = map.handle(.tab, &s, ctx)
        #expect(s.focus == .detail)
        _ = map.handle(.char("j"), &s, ctx)
        #expect(s.detailScroll == 1 && s.selected == 0)
        _ = map.handle(.tab, &s, ctx)
        #expect(s.focus == .timeline)          // no text pane yet
        _ = map.handle(.char("t"), &s, ctx)
        _ = map.handle(.backTab, &s, ctx)
        #expect(s.focus == .text)
        _ = map.handle(.char("t"), &s, ctx)
        #expect(s.focus == .timeline && !s.showText)
    }

    @Test func rAndXToggleTheDetailModes() throws {
        let (_, ctx, map) = try setup()
        var s = InspectorState()
        _ = map.handle(.char("r"), &s, ctx); #expect(s.detail == .raw)
        _ = map.handle(.char("x"), &s, ctx); #expect(s.detail == .hex)
        _ = map.handle(.char("x"), &s, ctx); #expect(s.detail == .parsed)
    }

    @Test func playFollowsTheStreamsOwnTimingAtTheChosenSpeed() throws {
        // Chunks of 64 bytes every 10 ms: event i completes at the chunk holding its last byte.
        let (doc, base, map) = try setup()
        var ctx = base
        var s = InspectorState()
        ctx.nowNs = 1_000_000_000
        _ = map.handle(.char(" "), &s, ctx)
        #expect(s.playing && s.message == "playing at ×1")
        let t3 = try #require(doc.eventTime(3))
        ctx.nowNs = 1_000_000_000 + t3 - doc.eventTime(0)!
        _ = s.tick(ctx)
        #expect(s.selected == 3)
        _ = map.handle(.char("+"), &s, ctx)        // ×2 from here on
        #expect(s.speed == 2)
        let t7 = try #require(doc.eventTime(7))
        ctx.nowNs += (t7 - t3) / 2
        _ = s.tick(ctx)
        #expect(s.selected == 7)
        ctx.nowNs += 10_000_000_000
        _ = s.tick(ctx)
        #expect(!s.playing && s.selected == 10 && s.message == "end of stream")
    }

    @Test func stickToEndFollowsNewEventsUntilTheUserMoves() throws {
        let live = LiveSource()
        live.append("data: 1\n\n")
        let doc = try InspectDocument(source: live, follow: true, pageSize: 2)
        let ctx = ManualContext(doc: doc)
        var s = InspectorState()
        _ = Keymap().handle(.char("G"), &s, ctx)
        #expect(s.stickToEnd && s.message == "following the end")
        live.append("data: 2\n\ndata: 3\n\n")
        try doc.indexNextPage()
        #expect(s.tick(ctx) == .redraw && s.selected == 2)
        _ = Keymap().handle(.char("k"), &s, ctx)
        #expect(!s.stickToEnd && s.selected == 1)
    }
}
