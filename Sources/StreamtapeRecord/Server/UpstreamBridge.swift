import NIOCore
import StreamtapeCore

/// Carries one transfer's callbacks from the upstream client's thread to the connection's event loop,
/// and decides when the transfer must pause.
///
/// The chunk is timestamped here, on the thread that read it, before the hop, so its offset is the
/// moment the recorder received it; the serial lets the handler drop events of an exchange it ended.
///
/// A `BackpressureGate` pauses the upstream when the client's socket is full, when too many
/// delivered bytes wait for the event loop, or while the sink is backlogged, so memory stays bounded
/// even when the client reads but the recorder or its disk falls behind.
final class UpstreamBridge: UpstreamDelegate {
    private let loop: any EventLoop
    private let handler: NIOLoopBound<ExchangeHandler>
    private let serial: Int
    private let sinkBacklogged: @Sendable () -> Bool
    /// The gate, the transfer once attached (a decision made before is applied at attach), and
    /// whether a backlogged sink paused it (the loop then polls the sink until it catches up).
    private let state = Locked<(gate: BackpressureGate, transfer: (any UpstreamTransfer)?, waitingForSink: Bool)>(
        (BackpressureGate(), nil, false))

    /// How often a transfer paused by a backlogged sink checks whether it caught up.
    static let sinkPoll = TimeAmount.milliseconds(5)

    init(loop: any EventLoop, handler: NIOLoopBound<ExchangeHandler>, serial: Int,
         sinkBacklogged: @escaping @Sendable () -> Bool) {
        self.loop = loop; self.handler = handler; self.serial = serial; self.sinkBacklogged = sinkBacklogged
    }

    func upstreamHead(status: Int, headers: [Header]) {
        deliver(.upstreamHead(status: status, headers: headers, at: MonotonicClock.now()))
    }

    func upstreamChunk(_ bytes: [UInt8]) {
        let at = MonotonicClock.now()
        apply { $0.delivered(bytes.count + Self.chunkOverhead) }
        deliver(.upstreamChunk(bytes, at: at))
        if sinkBacklogged() { waitForSink() }
    }

    /// Pauses the transfer until the sink is no longer backlogged, checking every `sinkPoll`.
    private func waitForSink() {
        let first = state.withLock { s -> Bool in
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
            state.withLock { $0.waitingForSink = false }
            apply { $0.sink(backlogged: false) }
        }
    }

    func upstreamEnd(_ failure: UpstreamFailure?) { deliver(.upstreamEnd(failure, at: MonotonicClock.now())) }

    /// The transfer this bridge serves (set right after it starts; chunks may arrive before).
    func attach(_ transfer: any UpstreamTransfer) {
        let paused = state.withLock { s -> Bool in s.transfer = transfer; return s.gate.paused }
        if paused { transfer.pause() }
    }

    /// The event loop wrote `count` bytes of a delivered chunk.
    func consumed(_ count: Int) { apply { $0.consumed(count + Self.chunkOverhead) } }

    /// Roughly what a queued chunk costs beyond its bytes (array, closure, event): counted in the gate.
    static let chunkOverhead = 256

    /// The client's socket filled up (true) or drained (false).
    func clientFull(_ full: Bool) { apply { $0.client(full: full) } }

    private func apply(_ change: (inout BackpressureGate) -> BackpressureGate.Decision?) {
        let (decision, transfer) = state.withLock { s -> (BackpressureGate.Decision?, (any UpstreamTransfer)?) in (change(&s.gate), s.transfer) }
        switch (decision, transfer) {
        case (.pause?, let t?): t.pause()
        case (.resume?, let t?): t.resume()
        default: break
        }
    }

    private func deliver(_ event: ExchangeMachine.Event) {
        let handler = self.handler, serial = self.serial
        loop.execute { handler.value.upstream(event, serial: serial) }
    }
}

/// The monotonic clock chunk offsets are measured on (CLOCK_MONOTONIC via NIODeadline).
enum MonotonicClock {
    /// Now, in ns since an arbitrary fixed point.
    static func now() -> UInt64 { NIODeadline.now().uptimeNanoseconds }
}
