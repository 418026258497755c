/// One thing the user can do: its keys, its help line, and what it does to the state.
public struct Action: Sendable {
    /// Stable name (tests, README).
    public let name: String
    /// Keys that trigger it.
    public let keys: [Key]
    /// The help line.
    public let help: String
    /// Changes the state; returns what to redraw.
    public let perform: @Sendable (inout InspectorState, any InspectorContext) -> Reaction
}

/// The exchange view's action table. The keymap and the help screen are generated from it.
public enum Actions {
    /// Speeds `+`/`-` step through.
    public static let speeds: [Double] = [0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 64, 256]

    /// Every action, in help-screen order.
    public static let table: [Action] = [
        Action(name: "down", keys: [.char("j"), .down], help: "next event (or scroll the focused pane)") { s, c in
            step(&s, c, by: 1)
        },
        Action(name: "up", keys: [.char("k"), .up], help: "previous event (or scroll the focused pane)") { s, c in
            step(&s, c, by: -1)
        },
        Action(name: "page-down", keys: [.pageDown, .char("f")], help: "one page down") { s, c in
            step(&s, c, by: max(1, s.focus == .timeline ? s.timelineRows - 1 : s.paneRows - 1))
        },
        Action(name: "page-up", keys: [.pageUp, .char("b")], help: "one page up") { s, c in
            step(&s, c, by: -max(1, s.focus == .timeline ? s.timelineRows - 1 : s.paneRows - 1))
        },
        Action(name: "first", keys: [.char("g"), .home], help: "first event") { s, c in
            s.stickToEnd = false
            s.select(0, count: c.eventCount)
            return .redraw
        },
        Action(name: "last", keys: [.char("G"), .end], help: "last event (follows the end while indexing or recording)") { s, c in
            if !c.isCaughtUp, c.loadTail() > 0 {
                // The index has not reached the end: show the tail, numbered from the end.
                s.stickToEnd = false
                s.select(-1, count: c.eventCount, tail: c.tailCount)
                s.message = "end of stream; numbering from the end until indexed (\(Int(c.progress * 100))%)"
                return .redraw
            }
            s.select(c.eventCount - 1, count: c.eventCount)
            s.stickToEnd = !c.isComplete
            if !c.isComplete { s.message = "following the end" }
            return .redraw
        },
        Action(name: "next-finding", keys: [.char("n")], help: "next event with a finding") { s, c in
            jumpFinding(&s, c, forward: true)
        },
        Action(name: "previous-finding", keys: [.char("N")], help: "previous event with a finding") { s, c in
            jumpFinding(&s, c, forward: false)
        },
        Action(name: "next-pane", keys: [.tab], help: "focus the next pane") { s, _ in
            let panes: [Pane] = s.showText ? [.timeline, .detail, .text] : [.timeline, .detail]
            let i = panes.firstIndex(of: s.focus) ?? 0
            s.focus = panes[(i + 1) % panes.count]
            return .redraw
        },
        Action(name: "previous-pane", keys: [.backTab], help: "focus the previous pane") { s, _ in
            let panes: [Pane] = s.showText ? [.timeline, .detail, .text] : [.timeline, .detail]
            let i = panes.firstIndex(of: s.focus) ?? 0
            s.focus = panes[(i + panes.count - 1) % panes.count]
            return .redraw
        },
        Action(name: "raw", keys: [.char("r")], help: "raw bytes / parsed fields") { s, _ in
            s.detail = s.detail == .raw ? .parsed : .raw
            s.detailScroll = 0
            return .redraw
        },
        Action(name: "hex", keys: [.char("x")], help: "hex dump / parsed fields") { s, _ in
            s.detail = s.detail == .hex ? .parsed : .hex
            s.detailScroll = 0
            return .redraw
        },
        Action(name: "exchange", keys: [.char("e")], help: "request and response: headers and bodies") { s, _ in
            s.detail = s.detail == .exchange ? .parsed : .exchange
            s.detailScroll = 0
            return .redraw
        },
        Action(name: "text", keys: [.char("t")], help: "show/hide the assembled text (what the user saw)") { s, _ in
            s.showText.toggle()
            if !s.showText && s.focus == .text { s.focus = .timeline }
            s.textScroll = 0
            return .redraw
        },
        Action(name: "play", keys: [.char(" ")], help: "play/pause the stream at its original pace") { s, c in
            if s.playing {
                s.playing = false; s.playAnchor = nil
                s.message = "paused"
            } else if s.selected < 0 {
                s.message = "play starts once indexing is done (\(Int(c.progress * 100))%)"
            } else {
                var start = c.eventTime(s.selected) ?? 0
                if s.selected >= c.eventCount - 1 && c.isComplete { s.select(0, count: c.eventCount); start = 0 }
                s.stickToEnd = false
                s.playing = true
                s.playAnchor = (c.nowNs, start)
                s.message = "playing at \(speedLabel(s.speed))"
            }
            return .redraw
        },
        Action(name: "faster", keys: [.char("+"), .char("=")], help: "play faster") { s, c in
            changeSpeed(&s, c, up: true)
        },
        Action(name: "slower", keys: [.char("-")], help: "play slower") { s, c in
            changeSpeed(&s, c, up: false)
        },
        Action(name: "search", keys: [.char("/")], help: "search event names and data (Enter: next match)") { s, _ in
            s.prompt = ""
            return .redraw
        },
        Action(name: "help", keys: [.char("?")], help: "this help") { s, _ in
            s.showHelp = true; s.helpScroll = 0
            return .redraw
        },
        Action(name: "quit", keys: [.char("q"), .ctrlC], help: "back / quit") { s, _ in
            s.quit = true
            return [.quit]
        },
        Action(name: "wheel-down", keys: [.wheelDown], help: "scroll the focused pane") { s, c in
            step(&s, c, by: 3)
        },
        Action(name: "wheel-up", keys: [.wheelUp], help: "scroll the focused pane") { s, c in
            step(&s, c, by: -3)
        },
    ]

    /// Moves the selection, or scrolls the focused pane, by `n` rows.
    static func step(_ s: inout InspectorState, _ c: any InspectorContext, by n: Int) -> Reaction {
        switch s.focus {
        case .timeline where s.selected < 0:
            // In the tail window: stay inside it until the index reaches it.
            let target = min(-1, s.selected + n)
            s.select(target, count: c.eventCount, tail: c.tailCount)
            if s.selected + n < -c.tailCount { s.message = "earlier events: indexing \(Int(c.progress * 100))%" }
        case .timeline:
            s.stickToEnd = false
            s.select(s.selected + n, count: c.eventCount)
        case .detail:
            s.detailScroll = max(0, s.detailScroll + n)
        case .text:
            s.textScroll = max(0, s.textScroll - n)   // counted up from the newest line
        }
        return .redraw
    }

    /// Selects the next or previous event with a finding, or says why there is none.
    static func jumpFinding(_ s: inout InspectorState, _ c: any InspectorContext, forward: Bool) -> Reaction {
        let marked = c.findingEvents
        let target = forward ? marked.first { $0 > s.selected } : marked.last { $0 < s.selected }
        if let target {
            s.stickToEnd = false
            s.select(target, count: c.eventCount)
            s.focus = .timeline
            s.message = "finding \((marked.firstIndex(of: target) ?? 0) + 1) of \(marked.count)"
        } else {
            switch c.findingsStatus {
            case .pending: s.message = "findings not ready yet (indexing…)"
            case .skipped(let why): s.message = "findings skipped: \(why)"
            case .ready: s.message = marked.isEmpty ? "no findings on events" : (forward ? "no later finding" : "no earlier finding")
            }
        }
        return .redraw
    }

    /// Steps the play speed through `speeds`, keeping the play head where it is.
    static func changeSpeed(_ s: inout InspectorState, _ c: any InspectorContext, up: Bool) -> Reaction {
        let i = speeds.firstIndex { $0 >= s.speed } ?? 3
        let next = speeds[max(0, min(speeds.count - 1, i + (up ? 1 : -1)))]
        if s.playing, let head = s.playhead(nowNs: c.nowNs) { s.playAnchor = (c.nowNs, head) }
        s.speed = next
        s.message = "speed \(speedLabel(next))"
        return .redraw
    }

    /// `×1`, `×0.25`, `×16`.
    public static func speedLabel(_ v: Double) -> String {
        v == v.rounded() ? "×\(Int(v))" : "×\(v)"
    }
}
