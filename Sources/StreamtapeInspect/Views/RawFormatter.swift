/// Raw event bytes as lines with their endings made visible (`␊`, `␍`, `␍␊`), bytes that are not
/// UTF-8 as `\xNN`, and each place the network cut a chunk marked `┆`.
public enum RawFormatter {
    /// How a chunk cut is drawn.
    static let cutStyle = CellStyle(.cut, bold: true, reverse: true)
    /// How visible line endings are drawn.
    static let endingStyle = CellStyle(.dim)
    /// How bytes that are not UTF-8 are drawn.
    static let badStyle = CellStyle(.error, bold: true)

    /// Formats a span.
    public static func lines(_ raw: RawSpan) -> [StyledLine] {
        let bytes = raw.bytes
        var cutAt = Set(raw.cuts.map(\.at))
        var out: [StyledLine] = []
        var line: StyledLine = []
        var text = ""
        func flushText() { if !text.isEmpty { line.append(Span(text)); text = "" } }
        func mark() { flushText(); line.append(Span("┆", cutStyle)) }
        var i = 0
        while i < bytes.count {
            if cutAt.contains(i) { mark(); cutAt.remove(i) }
            let b = bytes[i]
            if b == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A {
                flushText()
                line.append(Span("␍", endingStyle))
                if cutAt.contains(i + 1) { mark(); cutAt.remove(i + 1) }
                line.append(Span("␊", endingStyle))
                out.append(line); line = []
                i += 2; continue
            }
            if b == 0x0A || b == 0x0D {
                flushText()
                line.append(Span(b == 0x0A ? "␊" : "␍", endingStyle))
                out.append(line); line = []
                i += 1; continue
            }
            let n = sequenceLength(bytes, i)
            if n == 0 {
                flushText()
                line.append(Span("\\x" + hex(b), badStyle))
                i += 1; continue
            }
            // A cut inside a multi-byte character: mark it after the character, in error colour.
            if let inner = (i + 1..<i + n).first(where: { cutAt.contains($0) }) {
                cutAt.remove(inner)
                text += String(decoding: bytes[i..<i + n], as: UTF8.self)
                flushText()
                line.append(Span("┆", CellStyle(.error, bold: true, reverse: true)))
                i += n; continue
            }
            let s = String(decoding: bytes[i..<i + n], as: UTF8.self)
            text += s == "\t" ? "→" : s
            i += n
        }
        flushText()
        if !line.isEmpty { out.append(line) }
        return out
    }

    /// The length of a valid UTF-8 sequence at `i`, 0 when the byte does not start one.
    static func sequenceLength(_ b: [UInt8], _ i: Int) -> Int {
        let lead = b[i]
        let n: Int
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: n = 2
        case 0xE0...0xEF: n = 3
        case 0xF0...0xF4: n = 4
        default: return 0
        }
        guard i + n <= b.count else { return 0 }
        for k in 1..<n where b[i + k] & 0xC0 != 0x80 { return 0 }
        if lead == 0xE0 && b[i + 1] < 0xA0 { return 0 }
        if lead == 0xED && b[i + 1] > 0x9F { return 0 }
        if lead == 0xF0 && b[i + 1] < 0x90 { return 0 }
        if lead == 0xF4 && b[i + 1] > 0x8F { return 0 }
        return n
    }

    /// Two lowercase hex digits.
    static func hex(_ b: UInt8) -> String {
        let d = Array("0123456789abcdef")
        return String([d[Int(b >> 4)], d[Int(b & 15)]])
    }

    /// A hex dump, 16 bytes a line (8 on narrow panes), a chunk cut shown as `┆` before its byte.
    public static func hexLines(_ raw: RawSpan, width: Int) -> [StyledLine] {
        let per = width >= 76 ? 16 : 8
        let cuts = Set(raw.cuts.map(\.at))
        var out: [StyledLine] = []
        var offset = 0
        while offset < raw.bytes.count {
            let row = raw.bytes[offset..<min(offset + per, raw.bytes.count)]
            var line: StyledLine = [Span(Format.hexOffset(offset) + " ", CellStyle(.dim))]
            for (k, b) in row.enumerated() {
                line.append(cuts.contains(offset + k) ? Span("┆", cutStyle) : Span(" "))
                line.append(Span(hex(b), b == 0x0A || b == 0x0D ? endingStyle : .plain))
            }
            line.append(Span(String(repeating: "   ", count: per - row.count) + "  "))
            let ascii = String(row.map { $0 >= 0x20 && $0 < 0x7F ? Character(Unicode.Scalar($0)) : "." })
            line.append(Span(ascii, CellStyle(.dim)))
            out.append(line)
            offset += per
        }
        return out
    }
}
