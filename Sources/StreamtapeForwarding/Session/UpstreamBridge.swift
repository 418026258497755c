import NIOConcurrencyHelpers
import NIOCore
import StreamtapeCore

/// Carries one transfer's callbacks from the upstream client's thread to the connection's event loop,
/// and is the one place that decides when the transfer pauses.
///
/// The chunk is timestamped here, on the thread that read it, before the hop, so its offset is the
/// moment streamtape received it.
///
/// A `BackpressureGate` pauses the upstream when the client's socket is full, when too many
/// delivered bytes wait for the event loop, or while the sink is backlogged, so memory stays bounded
/// even when the client reads but the event loop or the archive's disk falls behind.
final class UpstreamBridge: UpstreamDelegate {
    private let loop: any EventLoop
    private let deliver: @Sendable (ExchangeMachine.Event) -> Void
    private let sinkBacklogged: @Sendable () -> Bool
    /// The gate, the transfer once attached (a decision made before is applied at attach), and
    /// whether a backlogged sink paused it (the loop then polls the sink until it catches up).
    private let state = NIOLockedValueBox<(gate: BackpressureGate, transfer: (any UpstreamTransfer)?, waitingForSink: Bool)>(
        (BackpressureGate(), nil, false))

    /// How often a transfer paused by a backlogged sink checks whether it caught up.
    static let sinkPoll = TimeAmount.milliseconds(5)

    /// Roughly what a queued chunk costs beyond its bytes (array, closure, event): counted in the gate.
    static let chunkOverhead = 256

    /// `deliver` runs on `loop` for every upstream event, in order.
    init(loop: any EventLoop, sinkBacklogged: @escaping @Sendable () -> Bool,
         deliver: @escaping @Sendable (ExchangeMachine.Event) -> Void) {
        self.loop = loop; self.sinkBacklogged = sinkBacklogged; self.deliver = deliver
    }

    func upstreamHead(status: Int, headers: [Header]) {
        hop(.upstreamHead(status: status, headers: headers, at: MonotonicClock.now()))
    }

    func upstreamChunk(_ bytes: [UInt8]) {
        let at = MonotonicClock.now()
        let cost = bytes.count + Self.chunkOverhead
        apply { $0.delivered(cost) }
        let deliver = self.deliver
        loop.execute { [self] in
            deliver(.upstreamChunk(bytes, at: at))
            apply { $0.consumed(cost) }
        }
        if sinkBacklogged() { waitForSink() }
    }

    func upstreamEnd(_ failure: UpstreamFailure?) { hop(.upstreamEnd(failure, at: MonotonicClock.now())) }

    /// The transfer this bridge serves (set right after it starts; chunks may arrive before).
    func attach(_ transfer: any UpstreamTransfer) {
        let paused = state.withLockedValue { s -> Bool in s.transfer = transfer; return s.gate.paused }
        if paused { transfer.pause() }
    }

    /// The client's socket filled up (true) or drained (false).
    func client(full: Bool) { apply { $0.client(full: full) } }

    /// How many times the transfer was paused so far.
    var pauses: Int { state.withLockedValue { $0.gate.pauses } }

    /// Pauses the transfer until the sink is no longer backlogged, checking every `sinkPoll`.
    private func waitForSink() {
        let first = state.withLockedValue { s -> Bool in
            guard !s.waitingForSink else { return false }
            s.waitingForSink = true
            return true
        }
        guard first else { return }
        apply { $0.sink(backlogged: true) }
        pollSink()
    }

    private func pollSink() {
        loop.scheduleTask(in: Self.sinkPoll) { [self] in
            if sinkBacklogged() { return pollSink() }
            state.withLockedValue { $0.waitingForSink = false }
            apply { $0.sink(backlogged: false) }
        }
    }

    private func apply(_ change: (inout BackpressureGate) -> BackpressureGate.Decision?) {
        let (decision, transfer) = state.withLockedValue { s -> (BackpressureGate.Decision?, (any UpstreamTransfer)?) in (change(&s.gate), s.transfer) }
        switch (decision, transfer) {
        case (.pause?, let t?): t.pause()
        case (.resume?, let t?): t.resume()
        default: break
        }
    }

    private func hop(_ event: ExchangeMachine.Event) {
        let deliver = self.deliver
        loop.execute { deliver(event) }
    }
}
