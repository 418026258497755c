import StreamtapeCore

/// An `UpstreamClient` a test drives by hand: it keeps each transfer, the test plays the upstream's
/// head, chunks and end through the transfer's delegate, and reads back what was asked of the transfer.
public final class ScriptedUpstreamClient: UpstreamClient {
    /// One started transfer.
    public final class Transfer: UpstreamTransfer {
        /// What was asked upstream.
        public let request: UpstreamRequest
        /// Where the test plays the upstream's answer.
        public let delegate: any UpstreamDelegate
        /// `pause`, `resume` and `cancel`, in the order they were called.
        public let calls = Box<[String]>([])
        init(_ request: UpstreamRequest, _ delegate: any UpstreamDelegate) { self.request = request; self.delegate = delegate }
        /// Notes `pause`.
        public func pause() { calls.update { $0.append("pause") } }
        /// Notes `resume`.
        public func resume() { calls.update { $0.append("resume") } }
        /// Notes `cancel`.
        public func cancel() { calls.update { $0.append("cancel") } }
    }

    /// Every transfer started, in order.
    public let transfers = Box<[Transfer]>([])

    /// Creates a client with no transfers.
    public init() {}

    /// Keeps the transfer for the test to play.
    public func start(_ request: UpstreamRequest, delegate: any UpstreamDelegate) -> any UpstreamTransfer {
        let t = Transfer(request, delegate)
        transfers.update { $0.append(t) }
        return t
    }
}
