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

    /// Appends `text` cut to `limit` characters (`Timeline.clip`) and, given a `width`, spaces to that
    /// many columns, at least one (`Timeline.pad`).
    mutating func cell(_ text: String, limit: Int = .max, width: Int? = nil) {
        let columns = appendASCII(text, limit: limit) ?? appendText(Timeline.clip(text, limit))
        if let width { spaces(width - columns) }
    }

    /// `cell` without a width when `text` is printable ASCII up to its `limit + 1`th byte; else
    /// appends nothing and returns false.
    mutating func asciiCell(_ text: String, limit: Int) -> Bool { appendASCII(text, limit: limit) != nil }

    /// Appends what `write` writes, ASCII only (a byte is a column), and spaces to `width` columns, at least one.
    mutating func asciiCell(width: Int, _ write: (inout [UInt8]) -> Void) {
        let start = buffer.count
        write(&buffer)
        spaces(width - (buffer.count - start))
    }

    /// Appends `text` clipped to `limit` when its first `limit + 1` bytes (all of it when shorter)
    /// are printable ASCII or tab, which are one character each and need no escaping (LF, shown
    /// as `⏎` by the timeline, and every other control byte are not); returns the columns, or nil.
    private mutating func appendASCII(_ text: String, limit: Int) -> Int? {
        var text = text
        return text.withUTF8 { utf8 -> Int? in
            let checked = limit < utf8.count ? limit + 1 : utf8.count
            for b in utf8[..<checked] where !((0x20...0x7E).contains(b) || b == 0x09) { return nil }
            guard checked > limit else {
                buffer.append(contentsOf: utf8)
                return utf8.count
            }
            buffer.append(contentsOf: utf8[..<(limit - 1)])
            buffer += "…".utf8
            return limit
        }
    }

    /// Appends text as `Out.line` would write it; returns its columns (characters).
    private mutating func appendText(_ text: String) -> Int {
        buffer += TerminalSafe.escaped(text).utf8
        return text.count
    }

    /// At least one space: `n` when positive.
    private mutating func spaces(_ n: Int) {
        buffer.append(contentsOf: repeatElement(0x20, count: max(1, n)))
    }
}
