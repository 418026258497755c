/// Per-exchange measures for comparing many exchanges: what was asked, how fast the answer came,
/// how smoothly it streamed and how it ended. Times are ns from the exchange start; every time is
/// nil when the exchange's timing was never recorded (imported cassettes, HAR).
///
/// A content event is one that carried text, reasoning or a tool-call delta (`Analysis.contentEvents`);
/// an event's time is the arrival of the chunk that completed it. The gaps are those between
/// consecutive content events (n content events give n − 1 gaps; events in one chunk give a gap of 0);
/// the stall is the longest time between consecutive chunks.
public struct Measures: Hashable, Sendable {
    /// The model the request named (`RequestModel`).
    public var model: String?
    /// Time to the first byte of the body.
    public var ttfbNs: UInt64?
    /// Time to the first content event.
    public var ttfcNs: UInt64?
    /// Time to the end of the exchange.
    public var durationNs: UInt64?
    /// How many events carried content.
    public var contentEvents: Int
    /// Output tokens from the provider's usage report.
    public var tokensOut: Int?
    /// Output tokens per second from the first content event to the last (nil when that span is 0).
    public var tokensPerSecond: Double?
    /// The median gap between content events.
    public var gapP50Ns: UInt64?
    /// The 99th percentile gap between content events.
    public var gapP99Ns: UInt64?
    /// The longest gap between content events.
    public var gapMaxNs: UInt64?
    /// The longest time between two chunks.
    public var stallMaxNs: UInt64?
    /// The stop reason the stream gave.
    public var stop: String?
    /// The type of the first error the provider sent in the stream.
    public var errorType: String?

    /// Creates measures.
    public init(model: String? = nil, ttfbNs: UInt64? = nil, ttfcNs: UInt64? = nil, durationNs: UInt64? = nil,
                contentEvents: Int = 0, tokensOut: Int? = nil, tokensPerSecond: Double? = nil,
                gapP50Ns: UInt64? = nil, gapP99Ns: UInt64? = nil, gapMaxNs: UInt64? = nil, stallMaxNs: UInt64? = nil,
                stop: String? = nil, errorType: String? = nil) {
        self.model = model; self.ttfbNs = ttfbNs; self.ttfcNs = ttfcNs; self.durationNs = durationNs
        self.contentEvents = contentEvents; self.tokensOut = tokensOut; self.tokensPerSecond = tokensPerSecond
        self.gapP50Ns = gapP50Ns; self.gapP99Ns = gapP99Ns; self.gapMaxNs = gapMaxNs; self.stallMaxNs = stallMaxNs
        self.stop = stop; self.errorType = errorType
    }

    /// The measures of an analysed exchange.
    public init(_ exchange: Exchange, _ analysis: Analysis) {
        let a = analysis.assembly
        self.init(model: RequestModel.name(of: exchange.request), contentEvents: analysis.contentEvents.count,
                  tokensOut: a.outputTokens, stop: a.stop, errorType: a.errors.first?.type)
        guard !exchange.timingUnknown else { return }
        ttfbNs = exchange.chunks.first?.offsetNs
        durationNs = exchange.end?.offsetNs
        let times = analysis.contentEvents.map { analysis.eventTimesNs[$0] }
        ttfcNs = times.first
        let gaps = zip(times.dropFirst(), times).map { $0 > $1 ? $0 - $1 : 0 }.sorted()
        gapP50Ns = Percentile.of(gaps, 50); gapP99Ns = Percentile.of(gaps, 99); gapMaxNs = gaps.last
        stallMaxNs = zip(exchange.chunks.dropFirst(), exchange.chunks).map { $0.offsetNs > $1.offsetNs ? $0.offsetNs - $1.offsetNs : 0 }.max()
        if let tokens = tokensOut, let first = times.first, let last = times.last, last > first {
            tokensPerSecond = Double(tokens) / (Double(last - first) / 1e9)
        }
    }

    /// Analyses an exchange and measures it.
    public static func of(_ exchange: Exchange) -> Measures { Measures(exchange, Analysis.analyze(exchange)) }
}
