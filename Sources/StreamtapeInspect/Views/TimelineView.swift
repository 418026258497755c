/// The event timeline: index, time, gap since the previous event, name, size, preview, and a
/// marker on events with findings.
enum TimelineView {
    /// Draws the timeline pane.
    static func draw(_ state: InspectorState, _ doc: InspectDocument, into buf: inout ScreenBuffer, _ r: Rect) {
        guard r.height > 1, r.width > 10 else { return }
        let count = doc.eventCount
        let marks = doc.findingMarks
        // Numbered as the rows, `show` and `check` number events: from #0.
        let position = state.selected < 0 ? "event \(EventLabel.of(state.selected))" : count == 0 ? "no events" : "event \(EventLabel.of(state.selected)) of \(count)\(doc.isComplete ? "" : "…")"
        buf.title("\(position)   #  time  gap  event  size  data",
                  row: r.row, col: r.col, width: r.width, focused: state.focus == .timeline)
        let rows = r.height - 1
        let digits = max(3, String(max(count - 1, 0)).count)
        if count == 0 && state.selected >= 0 {
            buf.put(doc.isComplete ? "  no events in this stream" : "  reading…", row: r.row + 1, col: r.col, style: CellStyle(.dim))
            return
        }
        for k in 0..<rows {
            let i = state.top + k
            guard i < count, let e = doc.summary(i) else { continue }
            let row = r.row + 1 + k
            let selected = i == state.selected
            var line: StyledLine = []
            switch marks[i] {
            case .error?: line.append(Span("◆", CellStyle(.error, bold: true)))
            case .warning?: line.append(Span("◇", CellStyle(.warning, bold: true)))
            case .info?: line.append(Span("·", CellStyle(.info)))
            case nil: line.append(Span(" "))
            }
            line.append(Span(Format.right(String(i), digits) + " ", CellStyle(.dim)))
            line.append(Span(Format.right(Format.offset(e.timeNs), 8) + " "))
            let gapStyle = e.gapNs >= 5_000_000_000 ? CellStyle(.error, bold: true) : e.gapNs >= 1_000_000_000 ? CellStyle(.warning) : CellStyle(.dim)
            line.append(Span(Format.right("+" + Format.duration(e.gapNs), 8) + " ", gapStyle))
            let typeWidth = r.width >= 70 ? 22 : 14
            let typeStyle = e.type == "error" || e.type.hasSuffix(".failed") ? CellStyle(.error, bold: true) : CellStyle(.accent)
            line.append(Span(Format.left(e.type, typeWidth) + " ", typeStyle))
            line.append(Span(Format.right(Format.bytes(e.size), 6) + " ", CellStyle(.dim)))
            let used = line.reduce(0) { $0 + DisplayWidth.of($1.text) }
            if r.width - used > 2, let ev = doc.event(i) {
                line.append(Span(Format.oneLine(EventPreview.of(ev, dialect: doc.dialect)[...], max: r.width - used)))
            }
            buf.draw(line, row: row, col: r.col, width: r.width)
            if selected {
                buf.restyle(row: row, col: r.col, width: r.width) { $0.reverse = true; if $0.color == .dim { $0.color = .normal } }
            }
        }
    }
}
