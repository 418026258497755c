import NIOCore
import StreamtapeCore

/// Carries one transfer's callbacks from the upstream client's thread to the connection's event loop,
/// and decides when the transfer must pause.
///
/// The chunk is timestamped here, on the thread that read it, before the hop, so its offset is the
/// moment the recorder received it; the serial lets the handler drop events of an exchange it ended.
///
/// Two reasons pause the upstream: the client's socket is full (the handler says so), or chunks handed
/// to the event loop are not written yet beyond `highWater` bytes (the loop is starved of CPU). The
/// second keeps memory per exchange bounded even when the client reads but the recorder falls behind.
final class UpstreamBridge: UpstreamDelegate {
    static let highWater = 256 * 1024
    static let lowWater = 64 * 1024

    private let loop: any EventLoop
    private let handler: NIOLoopBound<ExchangeHandler>
    private let serial: Int
    private struct Gate {
        var transfer: (any UpstreamTransfer)?
        var inFlight = 0
        var clientFull = false
        var queueFull = false
        var paused = false
    }
    private let gate = Locked(Gate())

    init(loop: any EventLoop, handler: NIOLoopBound<ExchangeHandler>, serial: Int) {
        self.loop = loop; self.handler = handler; self.serial = serial
    }

    func upstreamHead(status: Int, headers: [Header]) {
        deliver(.upstreamHead(status: status, headers: headers, at: MonotonicClock.now()))
    }

    func upstreamChunk(_ bytes: [UInt8]) {
        let at = MonotonicClock.now()
        update { g in
            g.inFlight += bytes.count
            if g.inFlight > Self.highWater { g.queueFull = true }
        }
        deliver(.upstreamChunk(bytes, at: at))
    }

    func upstreamEnd(_ failure: UpstreamFailure?) { deliver(.upstreamEnd(failure, at: MonotonicClock.now())) }

    /// The transfer this bridge serves (set right after it starts; events may come before).
    func attach(_ transfer: any UpstreamTransfer) { update { $0.transfer = transfer } }

    /// The event loop wrote `count` bytes of a delivered chunk.
    func consumed(_ count: Int) {
        update { g in
            g.inFlight -= count
            if g.queueFull && g.inFlight < Self.lowWater { g.queueFull = false }
        }
    }

    /// The client's socket filled up (true) or drained (false).
    func clientFull(_ full: Bool) { update { $0.clientFull = full } }

    /// Applies a change to the gate, then pauses or resumes the transfer when the outcome changed.
    private func update(_ change: (inout Gate) -> Void) {
        let (transfer, pause) = gate.withLock { g -> ((any UpstreamTransfer)?, Bool?) in
            change(&g)
            let want = g.clientFull || g.queueFull
            guard want != g.paused, let t = g.transfer else { return (nil, nil) }
            g.paused = want
            return (t, want)
        }
        guard let transfer, let pause else { return }
        if pause { transfer.pause() } else { transfer.resume() }
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
