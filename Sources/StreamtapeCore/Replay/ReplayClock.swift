import Foundation

/// A monotonic clock that replay pacing runs on, in nanoseconds; injected so tests never sleep.
public protocol ReplayClock: Sendable {
    /// The current instant, in nanoseconds on this clock's own monotonic scale.
    func now() -> UInt64
    /// Returns once `now()` has reached `deadline` (at once when it already has).
    func sleep(until deadline: UInt64) async throws
}

/// A clock that only moves when told: `sleep(until:)` jumps straight to the deadline, and a test can
/// `advance(by:)` to stand for time spent writing. Deterministic, never sleeps.
public final class ManualReplayClock: ReplayClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: UInt64

    /// Creates a clock reading `start`.
    public init(start: UInt64 = 0) { current = start }

    /// The current instant.
    public func now() -> UInt64 { lock.lock(); defer { lock.unlock() }; return current }

    /// Moves the clock forward to `deadline` if it is in the future.
    public func sleep(until deadline: UInt64) async throws { jump(to: deadline) }

    private func jump(to deadline: UInt64) { lock.withLock { current = max(current, deadline) } }

    /// Moves the clock forward by `ns`, as if some work took that long.
    public func advance(by ns: UInt64) { lock.lock(); defer { lock.unlock() }; current += ns }
}
