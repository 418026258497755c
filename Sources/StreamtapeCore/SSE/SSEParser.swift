#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An incremental Server-Sent Events parser that keeps where every event came from.
///
/// Feed it the chunks of a stream in order (any split, down to one byte at a time) and take the
/// events each feed completes; call `finish()` at the end. The result is identical for every way of
/// splitting the same bytes. It follows the WHATWG "Server-sent events" interpretation rules
/// (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation):
/// LF, CR and CRLF line ends (a CR is held until the next byte shows whether an LF follows, because
/// CR and LF can land in different chunks); one leading BOM is dropped; `:` lines are comments; a
/// field without a colon has an empty value; one space after the colon is stripped; `data` lines join
/// with LF; a blank line dispatches, unless the data buffer is empty; `event` resets after each
/// dispatch; `id` persists and is ignored when it contains NUL; `retry` counts only when all digits;
/// an unterminated final event is not dispatched. Bytes that are not UTF-8 decode to U+FFFD.
///
/// In `.ndjson` framing every non-empty line is one `message` event whose data is the line.
///
/// Besides events it gathers `SSEStreamFacts` (line endings, comments, unknown fields, a pending tail)
/// for the diagnostics. It is a value type with no I/O.
public struct SSEParser: Sendable {
    /// The framing this parser reads.
    public let framing: StreamFraming
    /// What the parser noticed so far.
    public private(set) var facts = SSEStreamFacts()

    private var offset = 0                  // absolute offset of the next byte
    private var chunk = -1                  // index of the chunk being fed
    private var bomPending: [(UInt8, Int)] = []
    private var bomDecided = false
    private var line: [UInt8] = []
    private var lineStart = 0
    private var sawCR = false
    private var data: [UInt8] = []
    private var hasData = false
    private var eventType: [UInt8] = []
    private var lastType: (bytes: [UInt8], string: String) = ([], "")
    private var lastEventId = ""
    private var eventStart: Int?
    private var eventStartChunk = 0
    private var dispatched = 0
    private var firstEnding: LineEnding?
    private var finished = false

    /// Creates a parser for the given framing.
    public init(framing: StreamFraming = .sse) {
        self.framing = framing
        line.reserveCapacity(256)
    }

    /// Feeds the next chunk and returns the events it completes.
    public mutating func feed(_ bytes: [UInt8]) -> [SSEEvent] {
        bytes.withUnsafeBufferPointer { feed(buffer: $0) }
    }

    /// Feeds the next chunk (a slice) and returns the events it completes.
    public mutating func feed(_ bytes: ArraySlice<UInt8>) -> [SSEEvent] {
        bytes.withUnsafeBufferPointer { feed(buffer: $0) }
    }

    /// Feeds the next chunk from any byte sequence.
    public mutating func feed<Bytes: Sequence>(_ bytes: Bytes) -> [SSEEvent] where Bytes.Element == UInt8 {
        feed(Array(bytes))
    }

    /// Feeds the next chunk from raw memory and returns the events it completes.
    public mutating func feed(buffer: UnsafeBufferPointer<UInt8>) -> [SSEEvent] {
        var out: [SSEEvent] = []
        feed(buffer: buffer, into: &out)
        return out
    }

    /// Feeds the next chunk and appends the events it completes to `out` (no array per chunk).
    public mutating func feed(_ bytes: [UInt8], into out: inout [SSEEvent]) {
        bytes.withUnsafeBufferPointer { feed(buffer: $0, into: &out) }
    }

    /// Feeds the next chunk from raw memory and appends the events it completes to `out`.
    public mutating func feed(buffer: UnsafeBufferPointer<UInt8>, into out: inout [SSEEvent]) {
        precondition(!finished, "feed after finish")
        chunk += 1
        facts.bytes += buffer.count
        var i = 0
        while i < buffer.count, !bomDecided {
            takeBOMByte(buffer[i], into: &out)
            i += 1
        }
        let n = buffer.count
        while i < n {
            let b = buffer[i]
            if sawCR || b == 0x0D || b == 0x0A {
                consume(b, chunk: chunk, into: &out)
                i += 1
                continue
            }
            // A run of ordinary bytes: find the next line end and take the run in one append.
            let j = Self.lineEnd(in: buffer, from: i + 1)
            if line.isEmpty {
                lineStart = offset
                if eventStart == nil { eventStart = offset; eventStartChunk = chunk }
                if j < n, buffer[j] == 0x0A {
                    // A whole LF-ended line inside this chunk: read it in place, without copying it.
                    let whole = UnsafeBufferPointer(rebasing: buffer[i..<j])
                    offset += j - i + 1
                    countEnding(.lf, at: offset - 1)
                    if framing == .sse, !hasData, j + 1 < n, buffer[j + 1] == 0x0A, let value = Self.dataValue(whole) {
                        // The event's only data line, and the blank line that dispatches it: its data is
                        // made straight from the chunk.
                        offset += 1
                        countEnding(.lf, at: offset - 1)
                        emit(String(decoding: value, as: UTF8.self), end: offset, chunk: chunk, into: &out)
                        i = j + 2
                        continue
                    }
                    takeLine(whole, end: offset, chunk: chunk, into: &out)
                    i = j + 1
                    continue
                }
            }
            line.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[i..<j]))
            offset += j - i
            i = j
        }
    }

    /// Index of the first CR or LF in `buffer` at or after `from` (`buffer.count` when none): the C
    /// library's vectorised `memchr` finds the LF, then looks for a CR before it (most streams have none).
    @inline(__always)
    private static func lineEnd(in buffer: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
        guard let base = buffer.baseAddress, from < buffer.count else { return buffer.count }
        let raw = UnsafeRawPointer(base)
        var lf = buffer.count
        if let found = memchr(raw + from, 0x0A, buffer.count - from) { lf = raw.distance(to: found) }
        guard lf > from, let cr = memchr(raw + from, 0x0D, lf - from) else { return lf }
        return raw.distance(to: cr)
    }

    /// Ends the stream: settles a held CR and records an unterminated tail. Returns the events that
    /// completes (a final CR can end a blank line; an NDJSON line needs no terminator).
    public mutating func finish() -> [SSEEvent] {
        guard !finished else { return [] }
        finished = true
        var out: [SSEEvent] = []
        if !bomDecided { replayBOM(into: &out) }
        if sawCR {
            sawCR = false
            endLine(.cr, terminatorEnd: offset, chunk: chunk, into: &out)
        }
        if !line.isEmpty {
            // The stream stopped mid-line: read the partial line for what it would have set.
            let start = eventStart ?? lineStart
            takeStoredLine(end: offset, chunk: chunk, into: &out)
            if framing == .ndjson { facts.unterminatedStart = start }
        }
        if framing == .sse, hasData {
            facts.unterminatedStart = eventStart ?? lineStart
            var pending = data
            if pending.last == 0x0A { pending.removeLast() }
            facts.unterminatedData = String(decoding: pending, as: UTF8.self)
        }
        return out
    }

    /// Parses a whole list of chunks at once.
    public static func parse(chunks: [[UInt8]], framing: StreamFraming = .sse) -> (events: [SSEEvent], facts: SSEStreamFacts) {
        var parser = SSEParser(framing: framing)
        var events: [SSEEvent] = []
        events.reserveCapacity(eventCapacity(forBytes: chunks.reduce(0) { $0 + $1.count }))
        for c in chunks { parser.feed(c, into: &events) }
        events += parser.finish()
        return (events, parser.facts)
    }

    /// Room to reserve for the events of `bytes` bytes: more than real streams dispatch (their events are
    /// rarely under 32 bytes), so the array is not regrown and copied while a long stream is read. Pages
    /// never written are never touched; past about four million events (some 370 MB of address space)
    /// the array grows as usual instead.
    public static func eventCapacity(forBytes bytes: Int) -> Int { min(bytes / 32, 1 << 22) }

    // MARK: - Bytes

    private mutating func takeBOMByte(_ b: UInt8, into out: inout [SSEEvent]) {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        bomPending.append((b, chunk))
        if bomPending[bomPending.count - 1].0 != bom[bomPending.count - 1] {
            replayBOM(into: &out)
        } else if bomPending.count == 3 {
            bomDecided = true
            facts.bom = true
            offset = 3
            lineStart = 3
            bomPending = []
        }
    }

    private mutating func replayBOM(into out: inout [SSEEvent]) {
        bomDecided = true
        let pending = bomPending
        bomPending = []
        for (b, c) in pending { consume(b, chunk: c, into: &out) }
    }

    @inline(__always)
    private mutating func consume(_ b: UInt8, chunk c: Int, into out: inout [SSEEvent]) {
        if sawCR {
            sawCR = false
            if b == 0x0A {
                offset += 1
                endLine(.crlf, terminatorEnd: offset, chunk: c, into: &out)
                return
            }
            endLine(.cr, terminatorEnd: offset, chunk: c, into: &out)
        }
        switch b {
        case 0x0D:
            sawCR = true
            offset += 1
        case 0x0A:
            offset += 1
            endLine(.lf, terminatorEnd: offset, chunk: c, into: &out)
        default:
            if line.isEmpty {
                lineStart = offset
                if eventStart == nil { eventStart = offset; eventStartChunk = c }
            }
            line.append(b)
            offset += 1
        }
    }

    private mutating func countEnding(_ kind: LineEnding, at offset: Int) {
        switch kind {
        case .lf: facts.lf += 1
        case .crlf: facts.crlf += 1
        case .cr: facts.cr += 1
        }
        if let first = firstEnding {
            if first != kind, facts.firstMixedEndingOffset == nil { facts.firstMixedEndingOffset = offset }
        } else {
            firstEnding = kind
        }
    }

    /// A line ended; `terminatorEnd` is the offset just past its terminator.
    private mutating func endLine(_ kind: LineEnding, terminatorEnd: Int, chunk c: Int, into out: inout [SSEEvent]) {
        let terminatorStart = terminatorEnd - kind.length
        countEnding(kind, at: terminatorStart)
        if !line.isEmpty {
            takeStoredLine(end: terminatorEnd, chunk: c, into: &out)
        } else if framing == .sse {
            dispatch(end: terminatorEnd, chunk: c, into: &out)
        }
    }

    /// Reads the line gathered in `line` (not empty) and clears it.
    private mutating func takeStoredLine(end: Int, chunk c: Int, into out: inout [SSEEvent]) {
        let stored = line
        stored.withUnsafeBufferPointer { takeLine($0, end: end, chunk: c, into: &out) }
        line.removeAll(keepingCapacity: true)
    }

    /// Reads one non-empty line that started at `lineStart`: a field (SSE) or an event (NDJSON).
    @inline(__always)
    private mutating func takeLine(_ l: UnsafeBufferPointer<UInt8>, end: Int, chunk c: Int, into out: inout [SSEEvent]) {
        switch framing {
        case .ndjson: emitNDJSON(l, end: end, chunk: c, into: &out)
        case .sse: processField(l)
        }
    }

    // MARK: - Fields and dispatch

    /// Where a field line's name ends (its colon, or the line's end) and its value (after one space).
    @inline(__always)
    private static func split(_ line: UnsafeBufferPointer<UInt8>) -> (colon: Int, value: UnsafeBufferPointer<UInt8>) {
        let colon = line.firstIndex(of: 0x3A) ?? line.count
        var valueStart = colon < line.count ? colon + 1 : colon
        if valueStart < line.count, line[valueStart] == 0x20 { valueStart += 1 }
        return (colon, UnsafeBufferPointer(rebasing: line[valueStart...]))
    }

    /// The value of `line` when it is a `data` field.
    @inline(__always)
    private static func dataValue(_ line: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        guard line.count >= 4, line[0] == UInt8(ascii: "d") else { return nil }
        let (colon, value) = split(line)
        return field(line, colon, is: dataName) ? value : nil
    }

    private mutating func processField(_ line: UnsafeBufferPointer<UInt8>) {
        if line.first == 0x3A { facts.comments += 1; return }
        let (colon, value) = Self.split(line)
        if Self.field(line, colon, is: Self.dataName) {
            data.append(contentsOf: value)
            data.append(0x0A)
            hasData = true
        } else if Self.field(line, colon, is: Self.eventName) {
            eventType = Array(value)
        } else if Self.field(line, colon, is: Self.idName) {
            if !value.contains(0) { lastEventId = String(decoding: value, as: UTF8.self) }
        } else if Self.field(line, colon, is: Self.retryName) {
            if !value.isEmpty, value.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), value.count <= 18 {
                facts.retry = Int(String(decoding: value, as: UTF8.self))
            }
        } else {
            facts.unknownFields.append(.init(offset: lineStart, name: String(decoding: UnsafeBufferPointer(rebasing: line[..<colon]), as: UTF8.self),
                                             eventIndex: dispatched))
        }
    }

    private static let dataName: [UInt8] = Array("data".utf8)
    private static let eventName: [UInt8] = Array("event".utf8)
    private static let idName: [UInt8] = Array("id".utf8)
    private static let retryName: [UInt8] = Array("retry".utf8)

    /// Whether the field name of `line` (the bytes before `colon`) is `name`.
    @inline(__always)
    private static func field(_ line: UnsafeBufferPointer<UInt8>, _ colon: Int, is name: [UInt8]) -> Bool {
        guard colon == name.count else { return false }
        for k in 0..<colon where line[k] != name[k] { return false }
        return true
    }

    private mutating func dispatch(end: Int, chunk c: Int, into out: inout [SSEEvent]) {
        guard hasData else {
            if !eventType.isEmpty { eventType.removeAll() }
            eventStart = nil
            return
        }
        let text = data.withUnsafeBufferPointer { b in
            String(decoding: b.last == 0x0A ? UnsafeBufferPointer(rebasing: b.dropLast()) : b, as: UTF8.self)
        }
        data.removeAll(keepingCapacity: true)
        hasData = false
        emit(text, end: end, chunk: c, into: &out)
    }

    /// Dispatches an event with data `text` and the type gathered so far, and starts the next one.
    @inline(__always)
    private mutating func emit(_ text: String, end: Int, chunk c: Int, into out: inout [SSEEvent]) {
        let type: String
        if eventType.isEmpty {
            type = "message"
        } else {
            // Typed streams repeat a few names (`content_block_delta`): the last one's string is reused.
            if eventType != lastType.bytes { lastType = (eventType, String(decoding: eventType, as: UTF8.self)) }
            type = lastType.string
        }
        let start = eventStart ?? (end - 1)
        out.append(SSEEvent(index: dispatched, type: type, data: text, id: lastEventId,
                            start: start, end: end, firstChunk: eventStart == nil ? c : eventStartChunk, lastChunk: c))
        dispatched += 1
        if !eventType.isEmpty { eventType.removeAll() }
        eventStart = nil
    }

    private mutating func emitNDJSON(_ line: UnsafeBufferPointer<UInt8>, end: Int, chunk c: Int, into out: inout [SSEEvent]) {
        let start = lineStart
        out.append(SSEEvent(index: dispatched, type: "message", data: String(decoding: line, as: UTF8.self), id: "",
                            start: start, end: end, firstChunk: eventStartChunk, lastChunk: c))
        dispatched += 1
        eventStart = nil
    }
}
