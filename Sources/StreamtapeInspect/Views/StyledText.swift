/// A run of text in one style.
public struct Span: Hashable, Sendable {
    /// The text.
    public var text: String
    /// Its style.
    public var style: CellStyle
    /// Creates a span.
    public init(_ text: String, _ style: CellStyle = .plain) { self.text = text; self.style = style }
}

/// A line made of styled spans; panes build these, then wrap and draw them.
public typealias StyledLine = [Span]

extension ScreenBuffer {
    /// Draws a styled line at (row, col), clipped to `width` columns.
    mutating func draw(_ line: StyledLine, row: Int, col: Int, width: Int) {
        var c = col
        for s in line { c = put(s.text, row: row, col: c, style: s.style, maxCol: col + width) }
    }

    /// Draws a pane title bar: reverse when focused.
    mutating func title(_ text: String, row: Int, col: Int, width: Int, focused: Bool) {
        let style = CellStyle(.header, bold: focused, reverse: focused, underline: !focused)
        fill(row: row, col: col, width: width, style: style)
        put(DisplayWidth.truncate(text, to: width - 1), row: row, col: col + 1, style: style, maxCol: col + width)
    }
}

/// Wrapping of styled lines to a width.
enum Wrap {
    /// Splits each line into pieces of at most `width` columns, keeping styles.
    static func lines(_ lines: [StyledLine], width: Int) -> [StyledLine] {
        guard width > 0 else { return [] }
        var out: [StyledLine] = []
        for line in lines {
            var current: StyledLine = []
            var used = 0
            for span in line {
                var piece = ""
                for ch in span.text {
                    let w = max(1, DisplayWidth.of(ch))
                    if used + w > width {
                        if !piece.isEmpty { current.append(Span(piece, span.style)); piece = "" }
                        out.append(current); current = []; used = 0
                    }
                    piece.append(ch); used += w
                }
                if !piece.isEmpty { current.append(Span(piece, span.style)) }
            }
            out.append(current)
        }
        return out
    }
}
