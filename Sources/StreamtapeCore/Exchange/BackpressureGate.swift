/// Decides when an upstream transfer must pause, for any of three reasons: the client's socket is
/// full; the event loop is short of CPU, so chunks handed to it but not yet written exceed
/// `highWater` bytes (callers add a per-chunk overhead, so a flood of tiny chunks counts too), which
/// bounds what one exchange holds in memory (128 KB by default); or the sink is backlogged (the
/// archive's disk is slower than the traffic). Pure, and the only place pausing is decided: the
/// forwarding session's upstream bridge (shared by the recorder and record-on-miss) holds it under a lock.
public struct BackpressureGate: Sendable, Equatable {
    /// What to do with the transfer after a change.
    public enum Decision: Sendable, Equatable { case pause, resume }

    /// Bytes delivered above which the transfer pauses.
    public let highWater: Int
    /// Bytes delivered below which a queue pause ends.
    public let lowWater: Int
    /// Bytes delivered to the event loop and not yet written.
    public private(set) var inFlight = 0
    private var clientFull = false
    private var queueFull = false
    private var sinkFull = false
    /// Whether the transfer is paused now.
    public private(set) var paused = false
    /// How many times the transfer was paused.
    public private(set) var pauses = 0

    /// Creates a gate.
    public init(highWater: Int = 128 * 1024, lowWater: Int = 32 * 1024) { self.highWater = highWater; self.lowWater = lowWater }

    /// The upstream delivered `count` bytes.
    public mutating func delivered(_ count: Int) -> Decision? {
        inFlight += count
        if inFlight > highWater { queueFull = true }
        return decide()
    }

    /// The event loop wrote `count` delivered bytes.
    public mutating func consumed(_ count: Int) -> Decision? {
        inFlight -= count
        if queueFull && inFlight < lowWater { queueFull = false }
        return decide()
    }

    /// The client's socket filled up (true) or drained (false).
    public mutating func client(full: Bool) -> Decision? {
        clientFull = full
        return decide()
    }

    /// The sink became backlogged (true) or caught up (false).
    public mutating func sink(backlogged: Bool) -> Decision? {
        sinkFull = backlogged
        return decide()
    }

    private mutating func decide() -> Decision? {
        let want = clientFull || queueFull || sinkFull
        guard want != paused else { return nil }
        paused = want
        if want { pauses += 1 }
        return want ? .pause : .resume
    }
}
