/// A byte scan of text that may be one JSON value cut into pieces, fed a piece at a time: it tracks
/// strings and bracket depth, builds nothing, and tells when joining more pieces can never make one
/// JSON value (a closing bracket without its opener, or text after a whole top-level container or
/// string) and when a parse could succeed (brackets balanced, no string open). Every JSON text passes
/// it, so it only saves parses that would fail (RFC 8259: `ws value ws`).
struct JSONShape {
    private var depth = 0
    private var inString = false
    private var escaped = false
    private var closed = false
    /// False once no continuation of the text scanned so far is JSON.
    private(set) var viable = true

    /// Whether the text so far may parse as it is: viable, every bracket closed, no string open.
    var balanced: Bool { viable && depth == 0 && !inString }

    /// Scans the next piece of the text.
    mutating func scan(_ piece: String) {
        guard viable else { return }
        var text = piece
        text.withUTF8 { buf in
            for b in buf {
                if inString {
                    if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") {
                        inString = false
                        closed = depth == 0
                    }
                    continue
                }
                if closed {
                    if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { continue }
                    viable = false
                    return
                }
                switch b {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth < 0 { viable = false; return }
                    closed = depth == 0
                default: break
                }
            }
        }
    }
}
