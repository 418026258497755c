/// Checks on what the events say, fed one event at a time with the assembler's note on it:
/// invalid-json, json-split-across-events, error-event, missing-terminator, data-after-terminator,
/// event-order, event-type-mismatch.
struct PayloadChecks {
    /// The dialect being checked.
    let dialect: Dialect
    /// Findings so far.
    private(set) var findings: [Finding] = []
    private var invalid: [Int] = []
    private var terminal: Int?
    private var afterTerminal: (first: Int, count: Int)?
    private var sawError = false
    private var order = OrderCheck()

    /// Creates the checks for a dialect.
    init(dialect: Dialect) { self.dialect = dialect }

    /// Checks one event; `hadContent` tells whether any answer had arrived before it.
    mutating func check(_ event: SSEEvent, note: EventNote, hadContent: Bool) {
        if terminal != nil {
            afterTerminal = afterTerminal.map { ($0.first, $0.count + 1) } ?? (event.index, 1)
        }
        if note.json == .invalid { invalid.append(event.index) }
        if let error = note.error {
            sawError = true
            let quoted = error.message.isEmpty ? "" : " (\"\(FindingText.snippet(error.message, limit: 120))\")"
            let when = hadContent ? "mid-stream" : "before any answer"
            findings.append(Finding(.errorEvent, offset: event.start, event: event.index,
                                    message: "the provider sent \(FindingText.withArticle(error.type)) \(when)\(quoted); the answer stops here"))
        }
        if note.terminal, terminal == nil { terminal = event.index }
        if let type = note.type, event.type != "message", type != event.type {
            findings.append(Finding(.eventTypeMismatch, offset: event.start, event: event.index,
                                    message: "the event line names it \"\(event.type)\" but its JSON says type \"\(type)\"; clients that dispatch on the event name read it as the wrong kind"))
        }
        if let problem = order.check(dialect, event: event, note: note) {
            findings.append(Finding(.eventOrder, offset: event.start, event: event.index, message: problem))
        }
    }

    /// Settles the checks that need the whole stream. `expectEnd` is false while the stream may go on;
    /// `markerInTail` is true when the end marker sits in an event the stream ended inside.
    mutating func finish(events: [SSEEvent], bodyLength: Int, expectEnd: Bool, markerInTail: Bool) {
        resolveInvalid(events)
        if let after = afterTerminal, let t = terminal {
            let (what, them) = after.count == 1 ? ("1 event arrives", "it") : ("\(after.count) events arrive", "them")
            findings.append(Finding(.dataAfterTerminator, offset: events[after.first].start, event: after.first,
                                    message: "\(what) after the end marker (\(dialect.terminatorDescription ?? "end")) at event \(t); clients that stop at the marker never show \(them)"))
        }
        if expectEnd, terminal == nil, !sawError, !markerInTail, let marker = dialect.terminatorDescription {
            findings.append(Finding(.missingTerminator, offset: bodyLength, event: nil,
                                    message: "the stream ends without \(marker), so a client cannot tell a finished \(dialect.title) answer from a cut-off one"))
        }
        if expectEnd, terminal != nil, let open = order.unclosedBlocks, let at = terminal {
            findings.append(Finding(.eventOrder, offset: events[at].start, event: at,
                                    message: "the message stopped while content block \(open) was never closed with content_block_stop"))
        }
    }

    /// Reports each event whose data is not JSON, or, when it and the following failing events parse once
    /// joined, one json-split-across-events for the run.
    private mutating func resolveInvalid(_ events: [SSEEvent]) {
        var k = 0
        while k < invalid.count {
            let i = invalid[k]
            if let last = splitRun(from: k, events) {
                let j = invalid[last]
                findings.append(Finding(.jsonSplitAcrossEvents, offset: events[i].start, event: i,
                                        message: "one JSON value is cut across events \(i)–\(j): no part parses alone, joined they do; a blank line landed inside the JSON, so clients fail on event \(i)"))
                k = last + 1
            } else {
                findings.append(Finding(.invalidJSON, offset: events[i].start, event: i,
                                        message: "the data of event \(i) is not valid JSON (\"\(FindingText.snippet(events[i].data))\"), so \(FindingText.withArticle(dialect.title)) client fails to parse it"))
                k += 1
            }
        }
    }

    /// The position in `invalid` of the last event of the shortest run from position `k` whose data
    /// parses once joined: up to 16 more consecutive failing events, while the joined text is under
    /// 4 MiB. A run is parsed only where `JSONShape` says its brackets balance, and given up once no
    /// longer join can parse, so a failing event costs a scan of at most 17 events' bytes, not 16 parses.
    private func splitRun(from k: Int, _ events: [SSEEvent]) -> Int? {
        guard k + 1 < invalid.count, invalid[k + 1] == invalid[k] + 1 else { return nil }
        var shape = JSONShape()
        shape.scan(events[invalid[k]].data)
        var size = events[invalid[k]].data.utf8.count
        var run = k
        while shape.viable, run + 1 < invalid.count, invalid[run + 1] == invalid[run] + 1, run - k < 16, size < 4 << 20 {
            run += 1
            let data = events[invalid[run]].data
            shape.scan(data)
            size += data.utf8.count
            if shape.balanced, JSONValue.parse(invalid[k...run].map { events[$0].data }.joined()) != nil { return run }
        }
        return nil
    }
}
