import Foundation
import NIOCore
import StreamtapeCore

/// Carries one forwarded miss's upstream callbacks from the client library's thread to the
/// connection's event loop, and pauses the transfer when the client cannot keep up.
///
/// Chunks are timestamped here, on the thread that read them, before the hop. The transfer pauses
/// when the client's socket is full or when more than `highWater` delivered bytes wait for the event
/// loop (with a per-chunk overhead, so a flood of tiny chunks counts too), so memory stays bounded.
final class MissBridge: UpstreamDelegate, @unchecked Sendable { // mutable state guarded by lock
    private let loop: any EventLoop
    private let deliver: @Sendable (MissMachine.Event) -> Void
    private let lock = NSLock()
    private var transfer: (any UpstreamTransfer)?
    private var gate = BackpressureGate()
    private static let chunkOverhead = 256

    /// `deliver` runs on `loop` for every upstream event, in order.
    init(loop: any EventLoop, deliver: @escaping @Sendable (MissMachine.Event) -> Void) {
        self.loop = loop; self.deliver = deliver
    }

    func upstreamHead(status: Int, headers: [Header]) {
        hop(.upstreamHead(status: status, headers: headers, at: NIODeadline.now().uptimeNanoseconds))
    }

    func upstreamChunk(_ bytes: [UInt8]) {
        let at = NIODeadline.now().uptimeNanoseconds
        change { $0.delivered(bytes.count + Self.chunkOverhead) }
        hop(.upstreamChunk(bytes, at: at))
    }

    func upstreamEnd(_ failure: UpstreamFailure?) { hop(.upstreamEnd(failure, at: NIODeadline.now().uptimeNanoseconds)) }

    /// The transfer this bridge serves (set right after it starts; a pause decided before applies now).
    func attach(_ transfer: any UpstreamTransfer) {
        let pausedNow = lock.withLock { self.transfer = transfer; return gate.paused }
        if pausedNow { transfer.pause() }
    }

    /// The event loop wrote `count` bytes of a delivered chunk.
    func consumed(_ count: Int) {
        change { $0.consumed(count + Self.chunkOverhead) }
    }

    /// The client's socket filled up (true) or drained (false).
    func client(full: Bool) { change { $0.client(full: full) } }

    private func change(_ body: (inout BackpressureGate) -> BackpressureGate.Decision?) {
        let (decision, transfer) = lock.withLock { (body(&gate), self.transfer) }
        switch (decision, transfer) {
        case (.pause?, let t?): t.pause()
        case (.resume?, let t?): t.resume()
        default: break
        }
    }

    private func hop(_ event: MissMachine.Event) {
        let deliver = self.deliver
        loop.execute { deliver(event) }
    }
}
