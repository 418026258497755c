/// The bottom line: the search prompt, or a message, or the key hints; position and play state.
enum StatusBarView {
    /// Draws the status bar.
    static func draw(_ state: InspectorState, _ doc: InspectDocument, into buf: inout ScreenBuffer, _ r: Rect) {
        let style = CellStyle(.header, reverse: true)
        buf.fill(row: r.row, col: r.col, width: r.width, style: style)
        var right = ""
        if state.playing { right = "▶ \(Actions.speedLabel(state.speed)) " }
        else if state.speed != 1 { right = "\(Actions.speedLabel(state.speed)) " }
        if state.stickToEnd { right = "⤓ end " + right }
        let rightWidth = DisplayWidth.of(right)
        let leftWidth = r.width - rightWidth - 1
        if let prompt = state.prompt {
            buf.put("/" + prompt + "▏", row: r.row, col: r.col, style: CellStyle(.header, bold: true, reverse: true), maxCol: r.col + leftWidth)
        } else if let m = state.message {
            buf.put(" " + m, row: r.row, col: r.col, style: CellStyle(.header, bold: true, reverse: true), maxCol: r.col + leftWidth)
        } else {
            // Whole key hints only: the last ones go when they do not fit (? lists them all).
            var hint = " ?:help q:quit n/N:finding Tab:pane r:raw x:hex t:text space:play /:search"
            while DisplayWidth.of(hint) > leftWidth, let cut = hint.lastIndex(of: " "), cut > hint.startIndex { hint = String(hint[..<cut]) }
            buf.put(hint, row: r.row, col: r.col, style: style, maxCol: r.col + leftWidth)
        }
        buf.put(right, row: r.row, col: r.col + r.width - rightWidth, style: CellStyle(.header, bold: true, reverse: true))
    }
}
