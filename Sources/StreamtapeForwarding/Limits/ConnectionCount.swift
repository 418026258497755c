import Synchronization

/// The connections a server has open, against `ClientLimits.maxConnections`; shared by every event loop.
public final class ConnectionCount: Sendable {
    private let open = Atomic<Int>(0)
    private let limit: Int

    /// A count that admits at most `limit` connections at once.
    public init(limit: Int) { self.limit = limit }

    /// Connections admitted and not yet released.
    public var current: Int { open.load(ordering: .relaxed) }

    /// Takes a place if one is free; a connection admitted must be released once.
    func admit() -> Bool {
        var seen = open.load(ordering: .relaxed)
        while seen < limit {
            let (exchanged, original) = open.compareExchange(expected: seen, desired: seen + 1, ordering: .relaxed)
            if exchanged { return true }
            seen = original
        }
        return false
    }

    /// Gives back the place of a connection admitted earlier.
    func release() { open.subtract(1, ordering: .relaxed) }
}
