import StreamtapeCore

/// Output lines built as bytes in one buffer and handed to `Out` in large writes: the timeline of a
/// million-event stream is a million lines, and padding and clipping each as `String`s was most of
/// `show`. Cells are clipped and padded by characters, and made terminal-safe, exactly as
/// `Timeline.clip`, `Timeline.pad` and `Out.line` do; printable ASCII (a byte is a character) takes
/// a byte path, other text goes through those very functions.
struct LineBytes {
    /// The buffer is handed to `Out` once it holds this many bytes.
    static let flushSize = 1 << 20
    private var buffer: [UInt8] = []

    /// An empty buffer.
    init() { buffer.reserveCapacity(Self.flushSize + (1 << 16)) }

    /// Appends a whole line as `Out.line` writes it.
    mutating func line(_ s: String) {
        buffer += TerminalSafe.escaped(s).utf8
        endLine()
    }

    /// Ends the current line; hands the buffer to `Out` once it is large.
    mutating func endLine() {
        buffer.append(0x0A)
        if buffer.count >= Self.flushSize { flush() }
    }

    /// Hands everything buffered to `Out`, which writes it after what it holds.
    mutating func flush() {
        guard !buffer.isEmpty else { return }
        Out.bytes(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Appends `text` cut to `limit` characters (`Timeline.clip`), with each LF shown as `⏎` when
    /// `lineFeeds` (`Timeline.oneLine`), and, given a `width`, spaces to that many columns, at least
    /// one (`Timeline.pad`).
    mutating func cell(_ text: String, limit: Int = .max, width: Int? = nil, lineFeeds: Bool = false) {
        var text = text
        let columns = text.withUTF8 { utf8 -> Int in
            let checked = limit < utf8.count ? limit + 1 : utf8.count
            var plain = 0
            while plain < checked, Self.isPlain(utf8[plain]) { plain += 1 }
            if plain > limit {
                buffer.append(contentsOf: utf8[..<(limit - 1)])
                buffer += "…".utf8
                return limit
            }
            if plain == utf8.count {
                buffer.append(contentsOf: utf8)
                return plain
            }
            // From the first other byte on, characters are counted as `String` counts them. The
            // plain byte before it goes with it (a combining mark joins the character before it);
            // between two plain bytes there is always a character boundary.
            let keep = max(0, plain - 1)
            buffer.append(contentsOf: utf8[..<keep])
            let rest = String(decoding: utf8[keep...], as: UTF8.self)
            let clipped = Timeline.clip(lineFeeds ? Timeline.oneLine(rest) : rest, limit - keep)
            buffer += TerminalSafe.escaped(clipped).utf8
            return keep + clipped.count
        }
        if let width { spaces(width - columns) }
    }

    /// Printable ASCII or tab: one character, one column, nothing to escape (LF and the other
    /// control bytes are not).
    private static func isPlain(_ b: UInt8) -> Bool { (0x20...0x7E).contains(b) || b == 0x09 }

    /// Appends what `write` writes, ASCII only (a byte is a column), and spaces to `width` columns, at least one.
    mutating func asciiCell(width: Int, _ write: (inout [UInt8]) -> Void) {
        let start = buffer.count
        write(&buffer)
        spaces(width - (buffer.count - start))
    }

    /// At least one space: `n` when positive.
    private mutating func spaces(_ n: Int) {
        buffer.append(contentsOf: repeatElement(0x20, count: max(1, n)))
    }
}
