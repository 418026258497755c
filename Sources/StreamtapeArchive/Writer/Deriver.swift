import Foundation
import StreamtapeCore

/// Computes derived facts of ended exchanges off the writer thread (parsing a long stream must not
/// hold up other exchanges' chunks), reading through its own read-only connection, and queues the
/// result as an ordinary write.
final class Deriver: @unchecked Sendable {
    private let location: ArchiveLocation
    private let derive: @Sendable (Exchange) -> DerivedInfo
    /// Background QoS (nice 10 on Linux): analysing a finished exchange never competes with forwarding.
    private let work = DispatchQueue(label: "streamtape.archive.derive", qos: .background)
    private var reader: Archive?
    private var stopped = false
    /// Where results go; set once after init.
    weak var queue: WriteQueue?

    /// Creates a deriver for the archive at `location`.
    init(location: ArchiveLocation, derive: @escaping @Sendable (Exchange) -> DerivedInfo) {
        self.location = location; self.derive = derive
    }

    /// Derives one exchange later, on the derive queue.
    func schedule(_ id: Int64) {
        work.async { [self] in
            var op: WriteOp?
            do {
                guard !stopped else { throw CancellationError() }
                if reader == nil { reader = try Archive.open(path: location.connectionString, readOnly: true) }
                if let exchange = try reader?.exchange(id: id) { op = .derived(id: id, derive(exchange)) }
            } catch {
                // Derived facts are a cache: without them the exchange is still stored intact. The
                // reader is opened again next time (its database may have been unreachable).
                reader = nil
            }
            guard let queue else { return }
            queue.cond.lock()
            if let op, queue.failure == nil, !queue.closed {
                queue.ops.append(op)
                queue.enqueued += 1
            }
            queue.derivesFinished += 1
            queue.cond.broadcast()
            queue.cond.unlock()
        }
    }

    /// Waits for scheduled work and drops the reader.
    func stop() {
        work.sync { reader = nil; stopped = true }
    }
}
