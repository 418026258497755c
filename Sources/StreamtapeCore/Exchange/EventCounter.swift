/// Counts stream events cheaply for the log line: SSE events (a blank line after a non-blank one, with
/// LF, CRLF or CR line ends, split anywhere across chunks) or NDJSON lines. The archive's parser does
/// the real work later; this only needs to be right and fast on the forwarding path.
struct EventCounter {
    /// How the body is framed, from the response content type.
    enum Framing { case sse, ndjson, none }

    private let framing: Framing
    private var lineHasContent = false
    private var lineIsComment = false
    private var atLineStart = true
    private var eventHasContent = false
    private var sawCR = false
    /// Events seen so far.
    private(set) var count = 0

    /// Creates a counter for a response with this content type.
    init(contentType: String?) {
        let type = (contentType ?? "").lowercased()
        if type.hasPrefix("text/event-stream") { framing = .sse }
        else if type.hasPrefix("application/x-ndjson") || type.hasPrefix("application/jsonl") { framing = .ndjson }
        else { framing = .none }
    }

    /// Feeds body bytes.
    mutating func feed(_ bytes: [UInt8]) {
        guard framing != .none else { return }
        for byte in bytes {
            if byte == 0x0A && sawCR { sawCR = false; continue }   // the LF of a CRLF
            sawCR = byte == 0x0D
            if byte == 0x0A || byte == 0x0D { endLine(); continue }
            if atLineStart, byte == 0x3A, framing == .sse { lineIsComment = true }   // ":" starts a comment
            atLineStart = false
            if !lineIsComment { lineHasContent = true }
        }
    }

    /// Counts a final NDJSON line without its newline.
    mutating func finish() {
        if framing == .ndjson, lineHasContent { count += 1; lineHasContent = false }
    }

    private mutating func endLine() {
        switch framing {
        case .ndjson:
            if lineHasContent { count += 1 }
        case .sse:
            if lineHasContent { eventHasContent = true } else if eventHasContent { count += 1; eventHasContent = false }
        case .none: break
        }
        lineHasContent = false
        lineIsComment = false
        atLineStart = true
    }
}
