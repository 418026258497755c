import Foundation
import Synchronization

/// The state the callers, the writer thread and the deriver share, under one condition lock.
///
/// Pushing an op wakes the writer only when it sleeps on an empty queue, when someone waits for a
/// commit, or when the queue is long: while a batch is open the writer sleeps until the batch's
/// deadline instead of being woken by every chunk.
///
/// Counters are monotonic: `committed` counts ops durably committed (or dropped after a failure), in
/// the order they were `enqueued`, so "everything up to ticket t is stored" is `committed >= t`.
final class WriteQueue: @unchecked Sendable {
    /// Guards everything below; broadcast on work the writer must see and on progress.
    let cond = NSCondition()
    /// Ops not yet taken by the writer thread.
    var ops: [WriteOp] = []
    /// Ops accepted so far.
    var enqueued: UInt64 = 0
    /// Ops committed (or dropped after a failure) so far.
    var committed: UInt64 = 0
    /// Derivations handed to the deriver.
    var derivesScheduled: UInt64 = 0
    /// Derivations done (their result queued, or given up).
    var derivesFinished: UInt64 = 0
    /// The failure that stopped the writer.
    var failure: ArchiveError?
    /// Set by `close()`: no more ops are accepted.
    var closed = false
    /// Set when `close()` begins (before its final flush): an outage then waits a bounded time only.
    var closing = false
    /// Where exchange ids come from.
    var ids: ExchangeIDs
    /// The writer sleeps on an empty queue: the next op must wake it.
    var writerIdle = false
    /// Callers blocked in `wait(for:)` or `flush()`: the writer commits as soon as it has taken all.
    var urgent = 0
    /// A queue this long wakes the writer early.
    static let wakeLength = 8_192
    /// Bytes of chunks queued and not yet taken by the writer.
    private(set) var queuedBytes = 0
    /// Over this many queued chunk bytes the queue reports a backlog until the writer takes it (the
    /// recorder pauses its upstreams meanwhile): what waits for the disk stays near this bound, plus
    /// the batch being written.
    let backlogLimit: Int
    /// Set and cleared under the lock, read without it on the forwarding path.
    private let backlog = Atomic<Bool>(false)

    /// Whether more than `backlogLimit` chunk bytes wait for the writer.
    var isBacklogged: Bool { backlog.load(ordering: .relaxed) }

    /// Hands out ids from `ids`.
    init(ids: ExchangeIDs, backlogLimit: Int = 64 << 20) {
        self.ids = ids; self.backlogLimit = backlogLimit
    }

    /// Whether ids are reserved ahead and none is left.
    var outOfIDs: Bool {
        cond.lock(); defer { cond.unlock() }
        if case .reserved(let left) = ids { return left.isEmpty }
        return false
    }

    /// Appends an op and returns its ticket, or nil when the writer has failed or closed.
    func push(_ op: WriteOp) -> UInt64? {
        cond.lock(); defer { cond.unlock() }
        return appendLocked(op)
    }

    /// Allocates the next exchange id and appends the op made with it, atomically.
    func pushNew(_ make: (Int64) -> WriteOp) -> (id: Int64, ticket: UInt64)? {
        cond.lock(); defer { cond.unlock() }
        guard failure == nil, !closed, let id = ids.next() else { return nil }
        guard let ticket = appendLocked(make(id)) else { return nil }
        return (id, ticket)
    }

    private func appendLocked(_ op: WriteOp) -> UInt64? {
        guard failure == nil, !closed else { return nil }
        ops.append(op)
        enqueued += 1
        if case .chunk(_, let chunk) = op {
            queuedBytes += chunk.bytes.count
            if queuedBytes > backlogLimit { backlog.store(true, ordering: .relaxed) }
        }
        if writerIdle || ops.count == Self.wakeLength {
            writerIdle = false
            cond.broadcast()
        }
        return enqueued
    }

    /// Hands every queued op to the writer thread (lock held by the caller).
    func takeAllLocked() -> [WriteOp] {
        let taken = ops
        ops.removeAll(keepingCapacity: true)
        queuedBytes = 0
        backlog.store(false, ordering: .relaxed)
        return taken
    }

    /// Blocks until every op up to `ticket` is committed; throws the failure if there is one.
    func wait(for ticket: UInt64, path: String) throws {
        cond.lock(); defer { cond.unlock() }
        beginUrgent(); defer { urgent -= 1 }
        while committed < ticket && failure == nil { cond.wait() }
        if let failure { throw failure }
    }

    /// Blocks until everything queued so far is committed, including the derived facts of the
    /// exchanges that ended meanwhile.
    func flush() throws {
        cond.lock(); defer { cond.unlock() }
        beginUrgent(); defer { urgent -= 1 }
        let first = enqueued
        while committed < first && failure == nil { cond.wait() }
        let derives = derivesScheduled
        while derivesFinished < derives && failure == nil { cond.wait() }
        let second = enqueued
        while committed < second && failure == nil { cond.wait() }
        if let failure { throw failure }
    }

    /// Marks a caller as waiting for a commit and wakes the writer to do it now (lock held).
    private func beginUrgent() {
        urgent += 1
        cond.broadcast()
    }

    /// The failure, if any.
    var currentFailure: ArchiveError? {
        cond.lock(); defer { cond.unlock() }
        return failure
    }
}
