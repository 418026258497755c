import Testing
@testable import StreamtapeInspect

@Suite struct KeymapTests {
    @Test func theIssuesKeysAreAllBoundToTheRightActions() {
        let map = Keymap()
        let expected: [(Key, String)] = [
            (.char("j"), "down"), (.down, "down"), (.char("k"), "up"), (.up, "up"), (.pageDown, "page-down"),
            (.pageUp, "page-up"), (.char("g"), "first"), (.char("G"), "last"), (.char("n"), "next-finding"),
            (.char("N"), "previous-finding"), (.tab, "next-pane"), (.char("r"), "raw"), (.char("x"), "hex"),
            (.char("e"), "exchange"), (.char("t"), "text"), (.char(" "), "play"), (.char("+"), "faster"), (.char("-"), "slower"),
            (.char("/"), "search"), (.char("?"), "help"), (.char("q"), "quit"), (.ctrlC, "quit"),
            (.wheelDown, "wheel-down"), (.wheelUp, "wheel-up"),
        ]
        for (key, name) in expected { #expect(map.bindings[key]?.name == name, "\(key.label)") }
        #expect(map.bindings.count == Actions.table.reduce(0) { $0 + $1.keys.count })
    }

    @Test func theHelpScreenIsGeneratedFromTheTable() {
        let lines = Keymap.helpLines()
        for action in Actions.table where !action.keys.contains(.wheelUp) && !action.keys.contains(.wheelDown) {
            let keys = action.keys.map(\.label).joined(separator: " ")
            #expect(lines.contains("  " + keys.padding(toLength: 12, withPad: " ", startingAt: 0) + " " + action.help))
        }
        #expect(lines.contains("  space        play/pause the stream at its original pace"))
    }

    @Test func helpIsModalAndClosesWithQuestionMarkOrQ() throws {
        let doc = try Fixtures.document(Fixtures.exchange(Fixtures.midstreamError(), chunk: 64))
        let ctx = ManualContext(doc: doc)
        var s = InspectorState()
        let map = Keymap()
        _ = map.handle(.char("?"), &s, ctx)
        #expect(s.showHelp)
        _ = map.handle(.char("j"), &s, ctx)
        #expect(s.selected == 0 && s.helpScroll == 1)   // keys scroll the help, not the timeline
        _ = map.handle(.char("q"), &s, ctx)
        #expect(!s.showHelp && !s.quit)
        let r = map.handle(.char("q"), &s, ctx)
        #expect(r.contains(.quit) && s.quit)
    }

    @Test func searchPromptTypesEditsAndJumpsToTheNextMatch() throws {
        let doc = try Fixtures.document(Fixtures.exchange(Fixtures.midstreamError(), chunk: 64))
        let ctx = ManualContext(doc: doc)
        var s = InspectorState()
        let map = Keymap()
        for k: Key in [.char("/"), .char("o"), .char("v"), .char("x"), .backspace, .char("e"), .char("r"), .enter] {
            _ = map.handle(k, &s, ctx)
        }
        #expect(s.prompt == nil && s.lastSearch == "over" && s.selected == 10)
        #expect(s.message == "/over: event #10")
        // q inside the prompt is text, not quit; Enter on an empty prompt repeats the last search.
        for k: Key in [.char("/"), .char("q"), .backspace, .enter] { _ = map.handle(k, &s, ctx) }
        #expect(!s.quit && s.selected == 10 && s.message == "/over: event #10")
        for k: Key in [.char("/"), .char("z"), .char("z"), .enter] { _ = map.handle(k, &s, ctx) }
        #expect(s.selected == 10 && s.message == "/zz: not found")
    }
}
