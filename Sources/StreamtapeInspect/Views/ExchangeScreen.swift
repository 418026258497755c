/// Composes the exchange view for a screen size: lays out, updates the rows the state pages by,
/// and draws every part into a fresh buffer.
public enum ExchangeScreen {
    /// Renders the screen; adjusts `state` to the layout (page sizes, scroll) first.
    public static func render(_ state: inout InspectorState, _ doc: InspectDocument, width: Int, height: Int) -> ScreenBuffer {
        var buf = ScreenBuffer(width: width, height: height)
        guard width >= Layout.minWidth, height >= Layout.minHeight else {
            buf.put(DisplayWidth.truncate("terminal too small (need \(Layout.minWidth)x\(Layout.minHeight))", to: width), row: 0, col: 0)
            return buf
        }
        if state.showHelp { HelpView.draw(state, into: &buf); return buf }
        let layout = Layout(width: width, height: height, showText: state.showText)
        state.timelineRows = max(1, layout.timeline.height - 1)
        state.paneRows = max(1, layout.detail.height - 1)
        state.select(state.selected, count: doc.eventCount, tail: doc.tailCount)
        HeaderView.draw(doc, into: &buf, layout.header)
        TimelineView.draw(state, doc, into: &buf, layout.timeline)
        DetailView.draw(state, doc, into: &buf, layout.detail)
        if state.showText { TextPaneView.draw(state, doc, into: &buf, layout.text) }
        GapChartView.draw(state, doc, into: &buf, layout.chart)
        StatusBarView.draw(state, doc, into: &buf, layout.status)
        return buf
    }
}
