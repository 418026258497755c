import NIOConcurrencyHelpers
import StreamtapeCore

/// A `CaptureSink` that keeps every exchange in memory: for tests, and for looking at what a sink got.
public final class MemoryCaptureSink: CaptureSink {
    private let state = NIOLockedValueBox<(nextID: Int64, exchanges: [Int64: Exchange], failure: String?, backlogged: Bool)>((1, [:], nil, false))

    /// Creates an empty sink.
    public init() {}

    /// Makes every later `begin` throw, as an archive that cannot be written would.
    public func failBegins(_ message: String) { state.withLockedValue { $0.failure = message } }

    /// Reports a backlog (true), as an archive on a disk slower than the traffic would, or none.
    public func setBacklogged(_ backlogged: Bool) { state.withLockedValue { $0.backlogged = backlogged } }

    /// Whether `setBacklogged(true)` is in force.
    public var isBacklogged: Bool { state.withLockedValue { $0.backlogged } }

    /// Thrown by `begin` after `failBegins`.
    public struct Refused: Error, CustomStringConvertible {
        /// The message given to `failBegins`.
        public var description: String
    }

    /// Opens an exchange, or throws `Refused` after `failBegins`.
    public func begin(startedMs: Int64, upstream: String, request: CapturedRequest, tags: [String]) throws -> Int64 {
        try state.withLockedValue { s in
            if let failure = s.failure { throw Refused(description: failure) }
            let id = s.nextID
            s.nextID += 1
            s.exchanges[id] = Exchange(id: id, startedMs: startedMs, upstream: upstream, request: request, tags: tags)
            return id
        }
    }

    /// Keeps the response head.
    public func response(_ id: Int64, _ response: CapturedResponse) { state.withLockedValue { $0.exchanges[id]?.response = response } }
    /// Keeps one chunk.
    public func chunk(_ id: Int64, _ chunk: Chunk) { state.withLockedValue { $0.exchanges[id]?.chunks.append(chunk) } }
    /// Keeps the end.
    public func end(_ id: Int64, _ end: ExchangeEnd) { state.withLockedValue { $0.exchanges[id]?.end = end } }

    /// Every exchange so far, in id order.
    public var exchanges: [Exchange] { state.withLockedValue { s in s.exchanges.keys.sorted().map { s.exchanges[$0]! } } }
}
