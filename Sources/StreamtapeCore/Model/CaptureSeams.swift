/// Where the recorder sends what it sees. The archive's writer implements it; tests use an in-memory one.
///
/// Calls for one exchange arrive in order (begin, response, chunks, end) and must return at once:
/// implementations queue the work, since they are called on the forwarding path.
public protocol CaptureSink: Sendable {
    /// Starts an exchange and returns its id.
    func begin(startedMs: Int64, upstream: String, request: CapturedRequest, tags: [String]) throws -> Int64
    /// Records the response head.
    func response(_ id: Int64, _ response: CapturedResponse)
    /// Records one chunk.
    func chunk(_ id: Int64, _ chunk: Chunk)
    /// Records the end.
    func end(_ id: Int64, _ end: ExchangeEnd)
    /// True while the sink has more queued than it wants to hold (a disk slower than the traffic):
    /// the recorder then pauses its upstream reads until it is false again, so memory stays bounded
    /// and nothing is dropped. Read on the forwarding path, from any thread: it must be cheap.
    var isBacklogged: Bool { get }
}

extension CaptureSink {
    /// A sink that never falls behind.
    public var isBacklogged: Bool { false }
}

/// A summary row of an exchange, for lists (no chunk bytes).
public struct ExchangeSummary: Hashable, Sendable {
    /// Archive id.
    public var id: Int64
    /// Wall-clock start in ms since 1970.
    public var startedMs: Int64
    /// Upstream base URL.
    public var upstream: String
    /// Request method.
    public var method: String
    /// Request target.
    public var target: String
    /// Response status, nil when none arrived.
    public var status: Int?
    /// End state (`recording` while open).
    public var state: EndState
    /// Number of chunks.
    public var chunks: Int
    /// Total body bytes.
    public var bytes: Int
    /// First chunk offset (ns), nil without chunks.
    public var firstChunkNs: UInt64?
    /// End offset (ns), nil while recording.
    public var endNs: UInt64?
    /// Tags.
    public var tags: [String]
    /// True when the chunk times were never recorded (see `Exchange.timingUnknown`).
    public var timingUnknown = false
    /// Creates a summary.
    public init(id: Int64, startedMs: Int64, upstream: String, method: String, target: String, status: Int?,
                state: EndState, chunks: Int, bytes: Int, firstChunkNs: UInt64?, endNs: UInt64?, tags: [String]) {
        self.id = id; self.startedMs = startedMs; self.upstream = upstream; self.method = method; self.target = target
        self.status = status; self.state = state; self.chunks = chunks; self.bytes = bytes
        self.firstChunkNs = firstChunkNs; self.endNs = endNs; self.tags = tags
    }
}
