/// The help screen, generated from the action table.
enum HelpView {
    /// Draws the help lines, scrolled.
    static func draw(_ state: InspectorState, into buf: inout ScreenBuffer) {
        let lines = Keymap.helpLines()
        let rows = buf.height
        let scroll = min(state.helpScroll, max(0, lines.count - rows))
        for k in 0..<rows where scroll + k < lines.count {
            buf.put(lines[scroll + k], row: k, col: 0, style: k + scroll == 0 ? CellStyle(.header, bold: true) : .plain)
        }
    }
}
