import StreamtapeCore
import StreamtapeForwarding

/// Record-on-miss: what a replay server needs to forward a request no recording matches to the real
/// upstream and record the answer (`streamtape replay --record-misses`).
///
/// The replay target stays free of libcurl and SQLite: the caller hands in the two Core seams, an
/// `UpstreamClient` (the recorder's libcurl client) and a `CaptureSink` (the archive's writer).
public struct ReplayMissRecording: Sendable {
    /// The upstream base URL and the absolute URL to fetch for a request target; nil leaves the miss a 404.
    public var resolve: @Sendable (String) -> (baseURL: String, url: String)?
    /// The HTTP client that talks to the upstream.
    public var client: any UpstreamClient
    /// Where recorded misses go (opened with `begin`, ended with `end`, like the recorder's exchanges).
    public var sink: any CaptureSink
    /// Credentials are redacted by this policy before anything reaches the sink.
    public var redaction: Redaction
    /// Tags put on every recorded miss.
    public var tags: [String]
    /// Whether a finished recording answers later identical requests of this run; when false every
    /// miss is forwarded and recorded (`--record-every-miss`).
    public var learns: Bool
    /// Called once per forwarded miss, after it ended (for a log line); on an event loop, so keep it short.
    public var onRecorded: @Sendable (ReplayMissReport) -> Void

    /// Creates a record-on-miss set-up.
    public init(resolve: @escaping @Sendable (String) -> (baseURL: String, url: String)?, client: any UpstreamClient,
                sink: any CaptureSink, redaction: Redaction, tags: [String] = [], learns: Bool = true,
                onRecorded: @escaping @Sendable (ReplayMissReport) -> Void = { _ in }) {
        self.resolve = resolve; self.client = client; self.sink = sink; self.redaction = redaction
        self.tags = tags; self.learns = learns; self.onRecorded = onRecorded
    }

    /// What each forwarded miss goes through.
    var wiring: ForwardingSession.Wiring { ForwardingSession.Wiring(client: client, sink: sink, tags: tags) }

    /// A resolver for one upstream base URL: the request target is appended to it.
    public static func base(_ baseURL: String) -> @Sendable (String) -> (baseURL: String, url: String)? {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return { [base] target in (base, base + (target.hasPrefix("/") ? target : "/" + target)) }
    }
}

/// What happened to one forwarded miss.
public struct ReplayMissReport: Sendable, Hashable {
    /// Archive id given by the sink, nil when the sink refused the exchange.
    public var id: Int64?
    /// Request method and (redacted) target.
    public var method: String, target: String
    /// Upstream status, nil when no response arrived.
    public var status: Int?
    /// How the exchange ended.
    public var state: EndState
    /// The error, when there is one.
    public var error: String?
    /// Whether later identical requests are now answered from this recording.
    public var replayable: Bool

    /// Creates a report.
    public init(id: Int64?, method: String, target: String, status: Int?, state: EndState, error: String?, replayable: Bool) {
        self.id = id; self.method = method; self.target = target; self.status = status
        self.state = state; self.error = error; self.replayable = replayable
    }
}
