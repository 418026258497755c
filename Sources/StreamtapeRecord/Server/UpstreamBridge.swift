import NIOCore
import StreamtapeCore

/// Carries one transfer's callbacks from the upstream client's thread to the connection's event loop.
///
/// The chunk is timestamped here, on the thread that read it, before the hop, so its offset is the
/// moment the recorder received it; the serial lets the handler drop events of an exchange it ended.
final class UpstreamBridge: UpstreamDelegate {
    private let loop: any EventLoop
    private let handler: NIOLoopBound<ExchangeHandler>
    private let serial: Int

    init(loop: any EventLoop, handler: NIOLoopBound<ExchangeHandler>, serial: Int) {
        self.loop = loop; self.handler = handler; self.serial = serial
    }

    func upstreamHead(status: Int, headers: [Header]) {
        deliver(.upstreamHead(status: status, headers: headers, at: MonotonicClock.now()))
    }

    func upstreamChunk(_ bytes: [UInt8]) { deliver(.upstreamChunk(bytes, at: MonotonicClock.now())) }

    func upstreamEnd(_ failure: UpstreamFailure?) { deliver(.upstreamEnd(failure, at: MonotonicClock.now())) }

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
