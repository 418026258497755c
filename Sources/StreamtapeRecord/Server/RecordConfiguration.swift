import StreamtapeCore
import StreamtapeForwarding

/// Everything `RecordServer` needs besides its upstream client and sink.
public struct RecordConfiguration: Sendable {
    /// Address to listen on (127.0.0.1 unless told otherwise).
    public var host: String
    /// Port to listen on; 0 picks a free one.
    public var port: Int
    /// Where requests go.
    public var routes: UpstreamRoutes
    /// What is kept out of the record.
    public var redaction: Redaction
    /// Tags put on every exchange.
    public var tags: [String]
    /// Event loop threads for client connections.
    public var threads: Int
    /// What clients may send, and how long they may take.
    public var limits: ClientLimits

    /// Creates a configuration.
    public init(host: String = "127.0.0.1", port: Int = 8787, routes: UpstreamRoutes, redaction: Redaction,
                tags: [String] = [], threads: Int = 1, limits: ClientLimits = .init()) {
        self.host = host; self.port = port; self.routes = routes; self.redaction = redaction
        self.tags = tags; self.threads = threads; self.limits = limits
    }
}

/// Counters for the live status line.
public struct RecordStats: Sendable, Hashable {
    /// Exchanges in flight.
    public var active = 0
    /// Exchanges finished.
    public var finished = 0
    /// Body bytes forwarded.
    public var bytes = 0
    /// Exchanges that did not end `complete`.
    public var failed = 0
    /// Events (or NDJSON lines) forwarded.
    public var events = 0
}
