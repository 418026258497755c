/// Counts stream events cheaply for the log line: SSE events (a blank line after a non-blank one, with
/// LF, CRLF or CR line ends, split anywhere across chunks) or NDJSON lines. The archive's parser does
/// the real work later; this only needs to be right and fast on the forwarding path. It also keeps the
/// raw bytes of the last complete event, so the recorder can tell whether a client that hung up had
/// the stream's end marker (`endsWithTerminator`).
struct EventCounter {
    /// Events longer than this are not kept as the last event (a Responses `response.completed` carries
    /// the whole answer, so the limit is generous, but bounded).
    static let lastEventLimit = 1 << 20

    /// The framing read from the content type; nil when the body is not a stream.
    let framing: StreamFraming?
    /// The response content type, as given.
    let contentType: String?
    private var lineHasContent = false
    private var lineIsComment = false
    private var atLineStart = true
    private var eventHasContent = false
    private var sawCR = false
    /// Events seen so far.
    private(set) var count = 0
    /// The raw bytes of the last complete event (with what preceded it since the event before); empty
    /// before the first event or when it was over `lastEventLimit`.
    private(set) var lastEvent: [UInt8] = []
    private var pending: [UInt8] = []
    private var pendingTooLong = false

    /// Creates a counter for a response with this content type.
    init(contentType: String?) {
        self.contentType = contentType
        framing = ResponseStream.framing(contentType: contentType)
    }

    /// Feeds body bytes.
    mutating func feed(_ bytes: [UInt8]) {
        guard framing != nil else { return }
        var kept = 0   // bytes before this index are in `pending` or `lastEvent` already
        for i in bytes.indices {
            let byte = bytes[i]
            if byte == 0x0A && sawCR { sawCR = false; continue }   // the LF of a CRLF
            sawCR = byte == 0x0D
            if byte == 0x0A || byte == 0x0D {
                if endLine() { keep(bytes[kept...i]); completeEvent(); kept = i + 1 }
                continue
            }
            if atLineStart, byte == 0x3A, framing == .sse { lineIsComment = true }   // ":" starts a comment
            atLineStart = false
            if !lineIsComment { lineHasContent = true }
        }
        keep(bytes[kept...])
    }

    /// Counts a final NDJSON line without its newline.
    mutating func finish() {
        if framing == .ndjson, lineHasContent { count += 1; lineHasContent = false }
    }

    /// Ends a line; true when it completed an event.
    private mutating func endLine() -> Bool {
        var completed = false
        switch framing {
        case .ndjson:
            if lineHasContent { count += 1; completed = true }
        case .sse:
            if lineHasContent { eventHasContent = true } else if eventHasContent { count += 1; eventHasContent = false; completed = true }
        case .none: break
        }
        lineHasContent = false
        lineIsComment = false
        atLineStart = true
        return completed
    }

    private mutating func keep(_ bytes: ArraySlice<UInt8>) {
        guard !bytes.isEmpty, !pendingTooLong else { return }
        if pending.count + bytes.count > Self.lastEventLimit { pendingTooLong = true; pending.removeAll(); return }
        pending.append(contentsOf: bytes)
    }

    /// The bytes kept since the last event become the last event; the old buffer is reused.
    private mutating func completeEvent() {
        swap(&lastEvent, &pending)
        if pendingTooLong { lastEvent.removeAll(keepingCapacity: true) }
        pending.removeAll(keepingCapacity: true)
        pendingTooLong = false
    }
}
