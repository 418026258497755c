/// The panes of the exchange view that can take focus.
public enum Pane: String, Sendable, CaseIterable {
    /// The event list, the selected event, the assembled text.
    case timeline, detail, text
}

/// How the detail pane shows the selected event.
public enum DetailMode: String, Sendable {
    /// Parsed fields, pretty JSON and findings.
    case parsed
    /// Raw bytes with visible line endings and chunk cuts.
    case raw
    /// Hex dump with chunk cuts.
    case hex
    /// The request and response (headers, bodies) instead of an event.
    case exchange
}

/// Everything the exchange view shows besides the exchange itself; a plain value, changed only by
/// actions (`Actions.table`) and `tick`, so every behaviour is testable without a terminal.
public struct InspectorState: Sendable, Equatable {
    /// Selected event.
    public var selected = 0
    /// First event row shown in the timeline.
    public var top = 0
    /// Rows the timeline shows (set by the layout on every draw).
    public var timelineRows = 10
    /// Rows the detail and text panes show.
    public var paneRows = 10
    /// Focused pane.
    public var focus: Pane = .timeline
    /// Detail mode.
    public var detail: DetailMode = .parsed
    /// Whether the assembled-text pane is shown.
    public var showText = false
    /// Scroll of the detail pane (lines).
    public var detailScroll = 0
    /// Scroll of the text pane (lines).
    public var textScroll = 0
    /// Keep the selection on the last event as events arrive (after `G`, and in follow mode).
    public var stickToEnd = false
    /// Playing the stream at its original pace.
    public var playing = false
    /// Play speed factor.
    public var speed = 1.0
    /// Play anchor: the wall instant and the stream instant it stands for.
    public var playAnchor: (wallNs: UInt64, streamNs: UInt64)? {
        get { anchorWall.map { ($0, anchorStream) } }
        set { anchorWall = newValue?.wallNs; anchorStream = newValue?.streamNs ?? 0 }
    }
    private var anchorWall: UInt64?
    private var anchorStream: UInt64 = 0
    /// The search prompt being typed, nil when closed.
    public var prompt: String?
    /// The last search query.
    public var lastSearch = ""
    /// Whether the help screen is shown.
    public var showHelp = false
    /// Scroll of the help screen.
    public var helpScroll = 0
    /// One-line message for the status bar.
    public var message: String?
    /// Set when the user asked to leave.
    public var quit = false

    /// Creates the initial state.
    public init() {}

    /// Selects event `i` (clamped) and scrolls the timeline so it is visible. A negative `i`
    /// addresses the tail window from the end (-1 is the last event) while `tail` events are there.
    public mutating func select(_ i: Int, count: Int, tail: Int = 0) {
        let target: Int
        if i < 0 && tail > 0 {
            target = max(-tail, i)
        } else {
            guard count > 0 else { selected = 0; top = 0; return }
            target = max(0, min(i, count - 1))
        }
        if target != selected { detailScroll = 0 }
        selected = target
        scrollIntoView(tail: tail)
    }

    /// Moves `top` so the selection is visible.
    public mutating func scrollIntoView(tail: Int = 0) {
        let rows = max(1, timelineRows)
        if selected < top { top = selected }
        if selected >= top + rows { top = selected - rows + 1 }
        if selected >= 0 && top < 0 { top = 0 }
        if selected < 0 { top = max(-tail, min(top, -rows)) }   // the tail fills the pane down to its last event
    }

    /// The stream instant the play head is at.
    public func playhead(nowNs: UInt64) -> UInt64? {
        guard playing, let wall = anchorWall else { return nil }
        let elapsed = Double(nowNs &- wall) * speed
        return anchorStream &+ UInt64(max(0, elapsed))
    }

    /// Advances time: play moves the selection, stick-to-end follows new events.
    /// Returns whether anything changed.
    public mutating func tick(_ ctx: any InspectorContext) -> Reaction {
        let before = self
        let count = ctx.eventCount
        if playing, let head = playhead(nowNs: ctx.nowNs) {
            if let i = ctx.lastEvent(atOrBefore: head), i > selected { select(i, count: count) }
            if head >= ctx.endTimeNs && ctx.isComplete {
                playing = false; playAnchor = nil
                select(count - 1, count: count)
                message = "end of stream"
            }
        }
        if stickToEnd, count > 0, selected != count - 1 { select(count - 1, count: count) }
        if selected < 0 {
            if ctx.isComplete {
                // The tail's events now have numbers: -k is count - k.
                let rowOffset = selected - top
                selected += count
                top = selected - rowOffset
                scrollIntoView()
            } else if ctx.tailCount == 0 {
                select(count - 1, count: count)
            }
        }
        return self == before ? [] : .redraw
    }

    /// Equality ignores nothing: used to tell whether a tick changed anything.
    public static func == (a: Self, b: Self) -> Bool {
        a.selected == b.selected && a.top == b.top && a.timelineRows == b.timelineRows && a.paneRows == b.paneRows
            && a.focus == b.focus && a.detail == b.detail && a.showText == b.showText && a.detailScroll == b.detailScroll
            && a.textScroll == b.textScroll && a.stickToEnd == b.stickToEnd && a.playing == b.playing && a.speed == b.speed
            && a.anchorWall == b.anchorWall && a.anchorStream == b.anchorStream && a.prompt == b.prompt
            && a.lastSearch == b.lastSearch && a.showHelp == b.showHelp && a.helpScroll == b.helpScroll
            && a.message == b.message && a.quit == b.quit
    }
}

/// What an action asks of the screen.
public struct Reaction: OptionSet, Sendable {
    /// Bits.
    public let rawValue: Int
    /// Creates from bits.
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// Redraw the screen.
    public static let redraw = Reaction(rawValue: 1)
    /// Leave the inspector.
    public static let quit = Reaction(rawValue: 2)
}
