/// Bytes to send at a deadline, in nanoseconds from the moment the request was received.
public struct ReplaySegment: Hashable, Sendable {
    /// Deadline, ns after the request time.
    public var at: UInt64
    /// The bytes, sent as one write and flush.
    public var bytes: [UInt8]
    /// Creates a segment.
    public init(at: UInt64, bytes: [UInt8]) { self.at = at; self.bytes = bytes }
}

/// The response head replay sends: recorded status and end-to-end headers, plus the framing header
/// that is true now (`transfer-encoding: chunked` for a streamed body, else `content-length`).
public struct ReplayHead: Hashable, Sendable {
    /// HTTP status.
    public var status: Int
    /// Headers in recorded order, hop-by-hop ones replaced by the framing in force.
    public var headers: [Header]
    /// Whether the body goes out with chunked transfer coding.
    public var chunked: Bool
    /// Creates a head.
    public init(status: Int, headers: [Header], chunked: Bool) { self.status = status; self.headers = headers; self.chunked = chunked }
}

/// How a replayed response ends.
public enum ReplayEnding: Hashable, Sendable {
    /// The body ends properly (terminating chunk); the connection may be kept alive.
    case complete
    /// The connection is closed with the body unfinished (a `cut@N`, or a recording that ended so).
    case abort
}

/// Everything a replay sends for one request, with deadlines: the pure result of `ReplaySchedule`.
public struct ReplayPlan: Hashable, Sendable {
    /// The response head.
    public var head: ReplayHead
    /// When the head goes out.
    public var headAt: UInt64
    /// The body writes, in order, deadlines non-decreasing.
    public var segments: [ReplaySegment]
    /// How the response ends.
    public var ending: ReplayEnding
    /// When it ends.
    public var endAt: UInt64

    /// Creates a plan.
    public init(head: ReplayHead, headAt: UInt64, segments: [ReplaySegment], ending: ReplayEnding, endAt: UInt64) {
        self.head = head; self.headAt = headAt; self.segments = segments; self.ending = ending; self.endAt = endAt
    }

    /// All body bytes joined.
    public var body: [UInt8] { segments.reduce(into: []) { $0.append(contentsOf: $1.bytes) } }
}

/// How fast replay goes: recorded timing divided by `speed`, gaps capped at `maxGapNs`, or no waiting.
public struct ReplayPacing: Hashable, Sendable {
    /// Divides recorded offsets (2 = twice as fast).
    public var speed: Double
    /// Send everything as fast as the client reads.
    public var instant: Bool
    /// The longest pause replay keeps (after `speed`), nil for no cap.
    public var maxGapNs: UInt64?
    /// Pace exchanges whose timing is unknown by their placeholder offsets too (the user asked for a
    /// speed or a gap cap); otherwise they are served instantly.
    public var pacesUnknownTiming: Bool

    /// Creates a pacing.
    public init(speed: Double = 1, instant: Bool = false, maxGapNs: UInt64? = nil, pacesUnknownTiming: Bool = false) {
        self.speed = speed > 0 ? speed : 1; self.instant = instant; self.maxGapNs = maxGapNs
        self.pacesUnknownTiming = pacesUnknownTiming
    }

    /// The pacing for one exchange: instant when its timing was never recorded, unless asked otherwise.
    public func forExchange(_ exchange: Exchange) -> ReplayPacing {
        exchange.timingUnknown && !pacesUnknownTiming ? ReplayPacing(instant: true) : self
    }

    /// Replay deadlines for recorded offsets (ns from the exchange start), in order. Each deadline is
    /// computed from the recorded offset itself, not from the previous deadline plus a gap, so rounding
    /// never accumulates; with a gap cap, only the time cut so far is subtracted.
    public func deadlines(_ recorded: [UInt64]) -> [UInt64] {
        if instant { return Array(repeating: 0, count: recorded.count) }
        var out: [UInt64] = []
        out.reserveCapacity(recorded.count)
        var previousRecorded: UInt64 = 0
        var saved: UInt64 = 0
        for r in recorded {
            let rr = max(r, previousRecorded)
            if let cap = maxGapNs {
                let gap = scale(rr) - scale(previousRecorded)
                if gap > cap { saved += gap - cap }
            }
            out.append(scale(rr) - saved)
            previousRecorded = rr
        }
        return out
    }

    private func scale(_ ns: UInt64) -> UInt64 {
        speed == 1 ? ns : ReplayNanoseconds.scale(ns, by: speed)
    }
}
