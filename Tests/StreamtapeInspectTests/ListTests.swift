import Testing
import StreamtapeCore
@testable import StreamtapeInspect

@Suite struct ListTests {
    static let rows = [
        ExchangeRow(id: 1, startedMs: 1_764_140_400_123, method: "POST", target: "/v1/chat/completions", status: 200, state: .complete,
                    dialect: "openai-chat", events: 12, ttfbNs: 182_000_000, durationNs: 766_000_000, problems: 0),
        ExchangeRow(id: 2, startedMs: 1_764_141_360_715, method: "POST", target: "/v1/messages", status: 200, state: .complete,
                    dialect: "anthropic", events: 7, ttfbNs: 324_000_000, durationNs: 622_000_000, problems: 1),
        ExchangeRow(id: 3, startedMs: 1_764_140_820_382, method: "POST", target: "/v1beta/models/gemini:streamGenerateContent", status: 503,
                    state: .upstreamReset, dialect: "gemini", events: 3, ttfbNs: nil, durationNs: nil, problems: 2),
    ]

    @Test func sortsByEveryColumnAndReverses() {
        var s = ListState(rows: Self.rows)
        #expect(s.shown.map(\.id) == [3, 2, 1])          // newest id first
        s.sort = .problems
        #expect(s.shown.map(\.id) == [3, 2, 1])
        s.descending = false
        #expect(s.shown.map(\.id) == [1, 2, 3])
        s.sort = .started
        #expect(s.shown.map(\.id) == [1, 3, 2])
        s.sort = .duration                                // unknown durations sort last ascending
        #expect(s.shown.map(\.id) == [2, 1, 3])
        _ = ListActions.handle(.char("s"), &s)
        #expect(s.sort == .ttfb && s.message == "sorted by ttfb ↑")
        _ = ListActions.handle(.char("S"), &s)
        #expect(s.descending && s.shown.map(\.id) == [3, 2, 1])
    }

    @Test func theFilterIsTypedLiveAndKeepsTheSelectedExchange() {
        var s = ListState(rows: Self.rows)
        _ = ListActions.handle(.char("j"), &s)
        #expect(s.current?.id == 2)
        for k: Key in [.char("/"), .char("M"), .char("e"), .char("s")] { _ = ListActions.handle(k, &s) }
        #expect(s.filter == "Mes" && s.shown.map(\.id) == [2] && s.current?.id == 2)
        _ = ListActions.handle(.enter, &s)
        #expect(s.prompt == nil && s.filter == "Mes")
        _ = ListActions.handle(.enter, &s)
        #expect(s.open == 2)
        _ = ListActions.handle(.escape, &s)
        #expect(s.filter == "" && s.shown.count == 3)
        for k: Key in [.char("/"), .char("r"), .char("e"), .char("s"), .char("e"), .char("t")] { _ = ListActions.handle(k, &s) }
        #expect(s.shown.map(\.id) == [3])               // matches the end state upstream_reset
    }

    @Test func aRecordingExchangeShowsNoEventCountYet() {
        var s = ListState(rows: [ExchangeRow(id: 4, startedMs: 0, method: "GET", target: "/tick", status: 200, state: .inProgress,
                                             dialect: "", events: 0, ttfbNs: 2_000_000, durationNs: nil, problems: 0)])
        let l = ListView.render(&s, title: "a", width: 80, height: 10).text.components(separatedBy: "\n")
        #expect(l[2] == "    4 GET /tick                  200 recording            …         …         ·")
    }

    @Test func anEndedExchangeNotYetDerivedShowsUnknownCountsNotZero() {
        var s = ListState(rows: [ExchangeRow(id: 5, startedMs: 0, method: "GET", target: "/tick", status: 200, state: .complete,
                                             dialect: "", events: nil, ttfbNs: 2_000_000, durationNs: 9_000_000, problems: nil)])
        let l = ListView.render(&s, title: "a", width: 80, height: 10).text.components(separatedBy: "\n")
        #expect(l[2] == "    5 GET /tick                  200 complete             -       9ms         -")
    }

    @Test func the80ColumnListDropsLowPriorityColumnsAndMarksTheSort() {
        var s = ListState(rows: Self.rows)
        let b = ListView.render(&s, title: "captures/streamtape.sqlite", width: 80, height: 10)
        let l = b.text.components(separatedBy: "\n")
        #expect(l[0] == " captures/streamtape.sqlite  3 of 3 exchanges")
        #expect(l[1] == "  id↓ request                 status state           events  duration  problems")
        #expect(l[2] == "    3 POST /v1beta/models/g…     503 upstream_reset       3         …         2")
        #expect(l[4] == "    1 POST /v1/chat/complet…     200 complete            12     766ms         ·")
        #expect((0..<80).allSatisfy { b[2, $0].style.reverse })
        let wide = ListView.render(&s, title: "a", width: 180, height: 10).text.components(separatedBy: "\n")
        #expect(wide[1].contains("started ") && wide[1].contains("dialect ") && wide[1].contains("TTFB"))
        #expect(wide[3].contains("07:16:00") && wide[3].contains("anthropic") && wide[3].contains("324ms"))
    }

    @Test func sSortsOnlyByColumnsOnScreenAndTheArrowFitsEveryTitle() {
        var s = ListState(rows: Self.rows)
        _ = ListView.render(&s, title: "a", width: 80, height: 10)
        #expect(s.sortable == [.id, .request, .status, .state, .events, .duration, .problems])
        var seen: [SortKey] = []
        for _ in 0..<7 {
            _ = ListActions.handle(.char("s"), &s)
            seen.append(s.sort)
            let header = ListView.render(&s, title: "a", width: 80, height: 10).text.components(separatedBy: "\n")[1]
            let title = s.sort == .id ? "id" : s.sort.rawValue
            #expect(header.contains(title + "↓"), "\(s.sort): \(header)")
        }
        #expect(seen == [.request, .status, .state, .events, .duration, .problems, .id])
    }

    @Test func aSortColumnThatWouldBeDroppedStaysOnScreen() {
        var s = ListState(rows: Self.rows)
        s.sort = .ttfb
        let l = ListView.render(&s, title: "a", width: 80, height: 10).text.components(separatedBy: "\n")
        #expect(l[1].contains("TTFB↓"))
        #expect(s.sortable.contains(.ttfb))
    }

    static let measured = [
        ExchangeRow(id: 1, startedMs: 0, method: "POST", target: "/v1/chat/completions", status: 200, state: .complete,
                    dialect: "openai-chat", events: 12, ttfbNs: 480_000_000, durationNs: 766_000_000, problems: 0,
                    model: "gpt-4o-mini", ttfcNs: 491_000_000, findings: []),
        ExchangeRow(id: 2, startedMs: 0, method: "POST", target: "/v1/chat/completions", status: 200, state: .complete,
                    dialect: "openai-chat", events: 19, ttfbNs: 493_000_000, durationNs: 29_227_000_000, problems: 1,
                    model: "gpt-4o", ttfcNs: 551_000_000, findings: ["stall"]),
        ExchangeRow(id: 3, startedMs: 0, method: "POST", target: "/v1/messages", status: 200, state: .complete,
                    dialect: "anthropic", events: 7, ttfbNs: 324_000_000, durationNs: 622_000_000, problems: 1,
                    model: "claude-sonnet-4-5", ttfcNs: 461_000_000, findings: ["error-event"]),
        ExchangeRow(id: 4, startedMs: 0, method: "POST", target: "/v1/chat/completions", status: 429, state: .complete,
                    dialect: "openai-chat", events: 0, ttfbNs: 170_000_000, durationNs: 172_000_000, problems: 1,
                    model: "gpt-4o", ttfcNs: nil, findings: ["http-error-status"]),
    ]

    /// Model, time to first content and findings are columns at 140 wide, and the list sorts by each.
    @Test func modelTTFCAndFindingsAreShownAndSortable() {
        var s = ListState(rows: Self.measured)
        s.descending = false
        let l = ListView.render(&s, title: "a", width: 140, height: 10).text.components(separatedBy: "\n")
        #expect(l[1] == "  id↑ request                        model               status state             TTFC  events  duration  problems findings")
        #expect(l[3] == "    2 POST /v1/chat/completions      gpt-4o                 200 complete         551ms      19   29.227s         1 stall")
        #expect(l[5] == "    4 POST /v1/chat/completions      gpt-4o                 429 complete             —       0     172ms         1 http-error-status")
        #expect(s.sortable.contains(.model) && s.sortable.contains(.ttfc) && s.sortable.contains(.findings))
        s.sort = .model
        #expect(s.shown.map(\.id) == [3, 2, 4, 1])
        s.sort = .ttfc                                    // none last ascending
        #expect(s.shown.map(\.id) == [3, 1, 2, 4])
        s.sort = .findings                                // none first, then by code
        #expect(s.shown.map(\.id) == [1, 3, 4, 2])
        s.filter = "stall"
        #expect(s.shown.map(\.id) == [2])
        s.filter = "sonnet"
        #expect(s.shown.map(\.id) == [3])
    }

    @Test func listHelpIsGeneratedFromItsTable() {
        let lines = ListActions.helpLines()
        #expect(lines.contains("  Enter →      open the exchange"))
        #expect(lines.count == ListActions.table.count + 4)
    }
}
