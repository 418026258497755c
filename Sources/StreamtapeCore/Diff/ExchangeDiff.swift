/// Two exchanges compared part by part, for `streamtape diff`: the requests (as canonical JSON), the
/// response heads and ends, the events aligned one to one, the rebuilt answer, timing and findings.
///
/// Each part holds the lines that describe how it differs, empty when it does not. Chunk boundaries
/// count only when asked (`Options.chunks`): a copy cut into different reads is the same stream.
public struct ExchangeDiff: Sendable {
    /// What counts as a difference.
    public struct Options: Sendable {
        /// Whether different chunk boundaries (same bytes, cut elsewhere) make the exchanges differ.
        public var chunks: Bool
        /// A change of an event's delay (B's time minus A's) smaller than this is not a difference.
        public var timeToleranceNs: UInt64
        /// Creates options.
        public init(chunks: Bool = false, timeToleranceNs: UInt64 = 100_000_000) {
            self.chunks = chunks; self.timeToleranceNs = timeToleranceNs
        }
    }

    /// One aligned event pair: its step and the events' byte offsets in each body.
    public struct EventStep: Hashable, Sendable {
        /// How the events align.
        public var step: Alignment.Step
        /// The A event's first byte in A's body.
        public var aOffset: Int?
        /// The B event's first byte in B's body.
        public var bOffset: Int?
    }

    /// An event whose arrival moved against A by more than the tolerance, relative to the event before it.
    public struct Delay: Hashable, Sendable {
        /// The event index in A.
        public var a: Int
        /// The event index in B.
        public var b: Int
        /// How much later (positive) or earlier it came in B than the events before it suggest, in ns.
        public var shiftNs: Int64
    }

    /// Request differences: method, target, body.
    public var request: [String] = []
    /// Response differences: status, content type, end state.
    public var response: [String] = []
    /// Every event pair, in order.
    public var events: [EventStep] = []
    /// Answer differences: text, reasoning, tool calls, errors, stop reason.
    public var answer: [String] = []
    /// Events that came later or earlier than the ones before them.
    public var delays: [Delay] = []
    /// Finding codes whose counts differ, as `code: A n, B m`.
    public var findings: [String] = []
    /// Chunk boundary differences (also filled when not counted, as information).
    public var chunks: [String] = []
    /// Whether chunk boundaries count.
    public var chunksCount = false
    /// A's and B's measures, side by side.
    public var measures: (a: Measures, b: Measures)

    /// The event pairs that are not the same.
    public var changedEvents: [EventStep] { events.filter { if case .same = $0.step { return false } else { return true } } }

    /// Whether nothing that counts differs.
    public var equivalent: Bool {
        request.isEmpty && response.isEmpty && changedEvents.isEmpty && answer.isEmpty && delays.isEmpty
            && findings.isEmpty && (!chunksCount || chunks.isEmpty)
    }

    /// Compares A with B.
    public static func compare(_ a: Exchange, _ b: Exchange, options: Options = .init()) -> ExchangeDiff {
        let (x, y) = (Analysis.analyze(a), Analysis.analyze(b))
        var d = ExchangeDiff(measures: (Measures(a, x), Measures(b, y)))
        d.chunksCount = options.chunks
        d.request = requestLines(a.request, b.request)
        d.response = responseLines(a, b)
        let steps = Alignment.align(x.events.map(EventKey.init), y.events.map(EventKey.init))
        d.events = steps.map { step in
            switch step {
            case let .same(i, j), let .changed(i, j): return EventStep(step: step, aOffset: x.events[i].start, bOffset: y.events[j].start)
            case let .removed(i): return EventStep(step: step, aOffset: x.events[i].start, bOffset: nil)
            case let .added(j): return EventStep(step: step, aOffset: nil, bOffset: y.events[j].start)
            }
        }
        d.answer = answerLines(x.assembly, y.assembly)
        if !a.timingUnknown, !b.timingUnknown { d.delays = delays(steps, x.eventTimesNs, y.eventTimesNs, tolerance: options.timeToleranceNs) }
        d.findings = findingLines(x.findings, y.findings)
        d.chunks = chunkLines(a.chunks, b.chunks)
        return d
    }
}

/// What makes two events the same: name, id, and data (as canonical JSON when it is JSON, so key
/// order and spacing a gateway re-serialised do not count).
struct EventKey: Equatable {
    let type: String
    let id: String
    let data: String

    init(_ e: SSEEvent) {
        type = e.type; id = e.id
        data = e.data.first == "{" || e.data.first == "[" ? JSONValue.parse(Array(e.data.utf8))?.canonical ?? e.data : e.data
    }
}
