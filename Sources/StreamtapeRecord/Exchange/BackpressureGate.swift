/// Decides when an upstream transfer must pause, from two independent reasons:
/// the client's socket is full, or chunks handed to the event loop but not yet written exceed
/// `highWater` bytes (callers add a per-chunk overhead, so a flood of tiny chunks counts too) (the loop is starved of CPU). Pure; `UpstreamBridge` holds it under a lock.
struct BackpressureGate: Sendable, Equatable {
    /// What to do with the transfer after a change.
    enum Decision: Sendable, Equatable { case pause, resume }

    /// Bytes delivered above which the transfer pauses.
    let highWater: Int
    /// Bytes delivered below which a queue pause ends.
    let lowWater: Int
    /// Bytes delivered to the event loop and not yet written.
    private(set) var inFlight = 0
    private var clientFull = false
    private var queueFull = false
    /// Whether the transfer is paused now.
    private(set) var paused = false

    /// Creates a gate.
    init(highWater: Int = 128 * 1024, lowWater: Int = 32 * 1024) { self.highWater = highWater; self.lowWater = lowWater }

    /// The upstream delivered `count` bytes.
    mutating func delivered(_ count: Int) -> Decision? {
        inFlight += count
        if inFlight > highWater { queueFull = true }
        return decide()
    }

    /// The event loop wrote `count` delivered bytes.
    mutating func consumed(_ count: Int) -> Decision? {
        inFlight -= count
        if queueFull && inFlight < lowWater { queueFull = false }
        return decide()
    }

    /// The client's socket filled up (true) or drained (false).
    mutating func client(full: Bool) -> Decision? {
        clientFull = full
        return decide()
    }

    private mutating func decide() -> Decision? {
        let want = clientFull || queueFull
        guard want != paused else { return nil }
        paused = want
        return want ? .pause : .resume
    }
}
