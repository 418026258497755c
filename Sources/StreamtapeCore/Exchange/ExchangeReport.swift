/// What the log line says about a finished exchange.
public struct ExchangeReport: Sendable, Hashable {
    /// The sink's id, nil when the exchange was never recorded (no route, sink failure).
    public var id: Int64?
    /// Request method.
    public var method = ""
    /// Request target, redacted.
    public var target = ""
    /// Upstream base URL, empty without a route.
    public var upstream = ""
    /// Response status from the upstream, nil when none arrived.
    public var status: Int?
    /// End state.
    public var state = EndState.inProgress
    /// Error text, if any.
    public var error: String?
    /// SSE events (or NDJSON lines) seen.
    public var events = 0
    /// Upstream reads.
    public var chunks = 0
    /// Body bytes.
    public var bytes = 0
    /// Time from the request head to the upstream's response head, in ns.
    public var ttfbNs: UInt64?
    /// Time from the request head to the end, in ns.
    public var durationNs: UInt64 = 0
    /// How many times the upstream was paused (the client not reading, the event loop or the archive behind).
    public var pauses = 0
    /// Creates an empty report.
    public init() {}
}
