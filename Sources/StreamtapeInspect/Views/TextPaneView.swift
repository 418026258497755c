import StreamtapeCore

/// What the user saw at the selected event: the assembled text, reasoning, tool calls, errors and
/// stop reason, scrolled to the end (the newest text) unless scrolled up.
enum TextPaneView {
    /// Draws the text pane.
    static func draw(_ state: InspectorState, _ doc: InspectDocument, into buf: inout ScreenBuffer, _ r: Rect) {
        guard r.height > 1, r.width > 10 else { return }
        buf.title("what the user saw through event \(EventLabel.of(state.selected))", row: r.row, col: r.col, width: r.width, focused: state.focus == .text)
        if state.selected < 0 {
            buf.put("shown once the index reaches this event (\(Int(doc.progress * 100))%)", row: r.row + 1, col: r.col, style: CellStyle(.dim), maxCol: r.col + r.width)
            return
        }
        let lines = Wrap.lines(content(doc.eventCount == 0 ? Assembly() : doc.assembly(through: state.selected)), width: r.width)
        let rows = r.height - 1
        let first = max(0, lines.count - rows - state.textScroll)
        for k in 0..<rows where first + k < lines.count {
            buf.draw(lines[first + k], row: r.row + 1 + k, col: r.col, width: r.width)
        }
    }

    /// The pane's lines before wrapping.
    static func content(_ a: Assembly) -> [StyledLine] {
        var out: [StyledLine] = []
        if !a.reasoning.isEmpty {
            out.append([Span("reasoning", CellStyle(.header, bold: true))])
            out += a.reasoning.split(separator: "\n", omittingEmptySubsequences: false).map { [Span(String($0), CellStyle(.dim))] }
        }
        if !a.text.isEmpty || (a.reasoning.isEmpty && a.toolCalls.isEmpty && a.errors.isEmpty) {
            out.append([Span("text", CellStyle(.header, bold: true))])
            out += a.text.split(separator: "\n", omittingEmptySubsequences: false).map { [Span(String($0))] }
        }
        for t in a.toolCalls {
            let id = t.id ?? ""
            out.append([Span("tool call ", CellStyle(.header, bold: true)), Span(t.name, CellStyle(.accent, bold: true)),
                        Span(id.isEmpty ? "" : "  \(id)", CellStyle(.dim))])
            out.append([Span("  " + t.arguments)])
        }
        for e in a.errors { out.append([Span("error ", CellStyle(.error, bold: true)), Span("\(e.type): \(e.message)", CellStyle(.error))]) }
        if let stop = a.stop { out.append([Span("stop: ", CellStyle(.dim)), Span(stop, CellStyle(.ok))]) }
        return out
    }
}
