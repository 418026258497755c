import StreamtapeCore
import StreamtapeForwarding

/// How a replay server listens, matches, paces and breaks what it serves.
public struct ReplayConfiguration: Sendable {
    /// Address to bind; loopback by default.
    public var host: String
    /// Port to bind; 0 picks a free one (read it back from `ReplayServer.port`).
    public var port: Int
    /// Speed, instant mode and the gap cap.
    public var pacing: ReplayPacing
    /// How requests are matched to recorded exchanges.
    public var match: ReplayMatchMode
    /// JSON field paths left out of body comparison (`user`, `metadata.session`).
    public var ignoreFields: [String]
    /// Serve each recording as often as it is asked (`--repeat`); otherwise each is served once.
    public var repeats: Bool
    /// Faults applied to every replayed response.
    public var faults: [FaultSpec]
    /// What clients may send, and how long they may take.
    public var limits: ClientLimits
    /// Largest request body accepted (bigger gets 413): `limits.maxBody`.
    public var maxRequestBody: Int {
        get { limits.maxBody }
        set { limits.maxBody = newValue }
    }
    /// Record-on-miss: forward unmatched requests upstream and record them; nil answers them 404.
    public var recordMisses: ReplayMissRecording?
    /// Called once per request answered from the recordings or as a miss (not for the control endpoints,
    /// nor for forwarded misses, which record-on-miss reports itself); on an event loop, so keep it quick.
    public var onRequest: (@Sendable (ReplayRequestLog) -> Void)?

    /// Creates a configuration; the defaults replay at recorded speed on 127.0.0.1, a free port
    /// (`maxRequestBody`, when given, overrides `limits.maxBody`).
    public init(host: String = "127.0.0.1", port: Int = 0, pacing: ReplayPacing = .init(), match: ReplayMatchMode = .request,
                ignoreFields: [String] = [], repeats: Bool = false, faults: [FaultSpec] = [], maxRequestBody: Int? = nil,
                recordMisses: ReplayMissRecording? = nil, limits: ClientLimits = .init()) {
        self.host = host; self.port = port; self.pacing = pacing; self.match = match
        self.ignoreFields = ignoreFields; self.repeats = repeats; self.faults = faults
        self.limits = limits
        if let maxRequestBody { self.limits.maxBody = maxRequestBody }
        self.recordMisses = recordMisses
    }
}
