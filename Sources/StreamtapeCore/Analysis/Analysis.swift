/// One exchange read end to end: framing, dialect, events with their times, the rebuilt answer, findings.
public struct Analysis: Sendable {
    /// The dialect used (forced or detected).
    public var dialect: Dialect
    /// The framing the body was read with.
    public var framing: StreamFraming
    /// The events the body dispatched.
    public var events: [SSEEvent]
    /// For each event, the offset (ns from the exchange start) of the chunk that completed it.
    public var eventTimesNs: [UInt64]
    /// What the parser noticed besides events.
    public var facts: SSEStreamFacts
    /// The answer as the user saw it at the end.
    public var assembly: Assembly
    /// The diagnostics, sorted by byte offset.
    public var findings: [Finding]
    /// Indices of the events that carried content (text, reasoning or a tool-call delta), ascending.
    public var contentEvents: [Int]

    /// Number of error-level findings.
    public var problems: Int { count(.error) }

    /// Number of findings of `severity` (list and show count errors and warnings apart).
    public func count(_ severity: Severity) -> Int { findings.reduce(0) { $0 + ($1.severity == severity ? 1 : 0) } }

    /// Creates an analysis from its parts.
    public init(dialect: Dialect, framing: StreamFraming, events: [SSEEvent], eventTimesNs: [UInt64],
                facts: SSEStreamFacts, assembly: Assembly, findings: [Finding], contentEvents: [Int] = []) {
        self.dialect = dialect; self.framing = framing; self.events = events; self.eventTimesNs = eventTimesNs
        self.facts = facts; self.assembly = assembly; self.findings = findings; self.contentEvents = contentEvents
    }

    /// Reads an exchange: parses its chunks, detects (or takes) the dialect, assembles, diagnoses.
    ///
    /// Works for raw imported bodies too (no response, method and target empty): framing and dialect then
    /// come from the bytes alone.
    public static func analyze(_ exchange: Exchange, dialect forced: Dialect? = nil,
                               options: DiagnosticOptions = .init()) -> Analysis {
        let body = exchange.body
        let contentType = exchange.response?.headers.value(for: "content-type")
        let framing = ResponseStream.framing(of: exchange, forced: forced)

        var parser = SSEParser(framing: framing)
        var events: [SSEEvent] = []
        events.reserveCapacity(SSEParser.eventCapacity(forBytes: body.count))
        for chunk in exchange.chunks { parser.feed(chunk.bytes, into: &events) }
        events += parser.finish()
        let times = events.map { exchange.chunks.indices.contains($0.lastChunk) ? exchange.chunks[$0.lastChunk].offsetNs : 0 }

        let dialect = forced ?? Dialect.detect(target: exchange.request.target, contentType: contentType,
                                               firstEvents: Array(events.prefix(16)))
        var assembler = Assembler(dialect: dialect)
        var payload = PayloadChecks(dialect: dialect)
        var contentEvents: [Int] = []
        var contentSize = 0
        // Through the buffer, so each event is lent to the steps rather than copied out of the array.
        events.withUnsafeBufferPointer { events in
            for i in events.indices {
                let hadContent = assembler.assembly.hasContent
                let note = assembler.ingest(events[i])
                payload.check(events[i], note: note, hadContent: hadContent)
                let size = assembler.assembly.contentSize
                if size != contentSize { contentEvents.append(i); contentSize = size }
            }
        }

        let input = DiagnosticInput(exchange: exchange, body: body, dialect: dialect, framing: framing,
                                    events: events, facts: parser.facts, options: options)
        var findings: [Finding] = []
        ExchangeChecks.run(input, into: &findings)
        if input.hasStream {
            FramingChecks.run(input, into: &findings)
            payload.finish(events: events, bodyLength: body.count, expectEnd: input.streamEnded,
                           markerInTail: endsInsideMarker(parser.facts, assembler: assembler, eventCount: events.count))
            findings += payload.findings
        } else {
            DocumentChecks.run(input, into: &findings)
        }
        TimingChecks.run(input, into: &findings)
        // Stable order by offset: findings at one offset keep the order the checks produced them in.
        let sorted = findings.enumerated().sorted { ($0.element.offset, $0.offset) < ($1.element.offset, $1.offset) }.map(\.element)

        return Analysis(dialect: dialect, framing: framing, events: events, eventTimesNs: times,
                        facts: parser.facts, assembly: assembler.assembly, findings: sorted, contentEvents: contentEvents)
    }

    /// Whether the event the stream ended inside (never dispatched) is the dialect's end marker: then
    /// `unterminated-event` is the cause and the marker is not also reported missing.
    static func endsInsideMarker(_ facts: SSEStreamFacts, assembler: Assembler, eventCount: Int) -> Bool {
        guard let data = facts.unterminatedData else { return false }
        var probe = assembler
        let start = facts.unterminatedStart ?? 0
        let tail = SSEEvent(index: eventCount, type: "message", data: data, id: "", start: start, end: start, firstChunk: 0, lastChunk: 0)
        return probe.ingest(tail).terminal
    }
}
