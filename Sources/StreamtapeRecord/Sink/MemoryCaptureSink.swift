import Foundation
import StreamtapeCore

/// A `CaptureSink` that keeps every exchange in memory: for tests, and for looking at what a sink got.
public final class MemoryCaptureSink: CaptureSink {
    private let state = Locked<(nextID: Int64, exchanges: [Int64: Exchange], failure: String?, backlogged: Bool)>((1, [:], nil, false))

    /// Creates an empty sink.
    public init() {}

    /// Makes every later `begin` throw, as an archive that cannot be written would.
    public func failBegins(_ message: String) { state.withLock { $0.failure = message } }

    /// Reports a backlog (true), as an archive on a disk slower than the traffic would, or none.
    public func setBacklogged(_ backlogged: Bool) { state.withLock { $0.backlogged = backlogged } }

    public var isBacklogged: Bool { state.withLock { $0.backlogged } }

    /// Thrown by `begin` after `failBegins`.
    public struct Refused: Error, CustomStringConvertible {
        /// The message given to `failBegins`.
        public var description: String
    }

    public func begin(startedMs: Int64, upstream: String, request: CapturedRequest, tags: [String]) throws -> Int64 {
        try state.withLock { s in
            if let failure = s.failure { throw Refused(description: failure) }
            let id = s.nextID
            s.nextID += 1
            s.exchanges[id] = Exchange(id: id, startedMs: startedMs, upstream: upstream, request: request, tags: tags)
            return id
        }
    }

    public func response(_ id: Int64, _ response: CapturedResponse) { state.withLock { $0.exchanges[id]?.response = response } }
    public func chunk(_ id: Int64, _ chunk: Chunk) { state.withLock { $0.exchanges[id]?.chunks.append(chunk) } }
    public func end(_ id: Int64, _ end: ExchangeEnd) { state.withLock { $0.exchanges[id]?.end = end } }

    /// Every exchange so far, in id order.
    public var exchanges: [Exchange] { state.withLock { s in s.exchanges.keys.sorted().map { s.exchanges[$0]! } } }
}
