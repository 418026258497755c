/// A pure grid of cells the views draw into; the terminal copies it to the screen, tests read it.
public struct ScreenBuffer: Sendable {
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// Cells, row-major.
    public private(set) var cells: [Cell]

    /// Creates a blank buffer.
    public init(width: Int, height: Int) {
        self.width = max(0, width); self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    /// The cell at a position.
    public subscript(row: Int, col: Int) -> Cell { cells[row * width + col] }

    /// Writes `text` from (row, col), clipped at `maxCol` (exclusive, default the right edge).
    /// Control characters are drawn as `·`; a wide character that does not fit is left out.
    /// Returns the column after the last one written.
    @discardableResult
    public mutating func put(_ text: String, row: Int, col: Int, style: CellStyle = .plain, maxCol: Int? = nil) -> Int {
        guard row >= 0, row < height else { return col }
        let limit = min(maxCol ?? width, width)
        var c = col
        for ch in text {
            var shown = ch
            if let s = ch.unicodeScalars.first, s.value < 0x20 || s.value == 0x7F || (0x80..<0xA0).contains(s.value) {
                shown = "·"
            }
            let w = DisplayWidth.of(shown)
            if w == 0 { continue }
            if c + w > limit { break }
            if c >= 0 {
                cells[row * width + c] = Cell(char: shown, style: style)
                if w == 2 { cells[row * width + c + 1] = Cell(char: nil, style: style) }
            }
            c += w
        }
        return c
    }

    /// Fills a rectangle of a row range with a style (blank cells).
    public mutating func fill(row: Int, col: Int, width w: Int, style: CellStyle) {
        guard row >= 0, row < height else { return }
        for c in max(0, col)..<min(width, col + w) { cells[row * width + c] = Cell(char: " ", style: style) }
    }

    /// Restyles existing cells of a row span (e.g. a selection bar).
    public mutating func restyle(row: Int, col: Int, width w: Int, _ change: (inout CellStyle) -> Void) {
        guard row >= 0, row < height else { return }
        for c in max(0, col)..<min(width, col + w) { change(&cells[row * width + c].style) }
    }

    /// The text of a row, wide characters once, trailing spaces kept.
    public func line(_ row: Int) -> String {
        var s = ""
        for c in 0..<width { if let ch = self[row, c].char { s.append(ch) } }
        return s
    }

    /// The whole screen as text, trailing spaces trimmed per line (what `tmux capture-pane` shows).
    public var text: String {
        (0..<height).map { line($0).replacingTrailingSpaces() }.joined(separator: "\n")
    }
}

extension String {
    /// The string without trailing spaces.
    func replacingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
