import Foundation
import StreamtapeCore

/// The archive's single writer: a `CaptureSink` whose calls return at once (they run on the
/// recorder's forwarding path) while one serial thread stores them, batched into transactions that
/// commit at least every `commitInterval` (50 ms by default, at most 100 ms) while work is pending.
///
/// When a write fails (disk full, file removed) the writer stops: it calls `onFailure` once,
/// `failure` turns non-nil, later calls are dropped and `begin` throws, so the recorder can stop
/// instead of proxying unrecorded traffic. When an exchange ends (or is inserted) its derived facts
/// are computed by `derive` off the writer thread and stored in a later transaction.
///
/// Ids are allocated in memory, so an archive has one writer at a time: a second one (in any
/// process) fails with `ArchiveError.inUse` while the first is open.
public final class ArchiveWriter: CaptureSink, @unchecked Sendable {
    /// The archive file written.
    public let path: String
    private let queue: WriteQueue
    private let loop: WriterLoop
    private let deriver: Deriver
    private let closeLock = NSLock()
    private let fileLock: WriterLock
    private var isClosed = false

    /// Starts a writer on `archive`, which must be open read-write. Throws `ArchiveError`.
    public init(archive: Archive,
                commitInterval: Duration = .milliseconds(50),
                derive: @escaping @Sendable (Exchange) -> DerivedInfo = DerivedInfo.countingEvents,
                onFailure: @escaping @Sendable (ArchiveError) -> Void = { _ in }) throws {
        precondition(commitInterval > .zero && commitInterval <= .milliseconds(100),
                     "commitInterval bounds what a kill -9 loses: keep it within 100 ms")
        guard !archive.isReadOnly else { throw ArchiveError.readOnly(path: archive.path) }
        path = archive.path
        fileLock = try WriterLock(path: archive.path)
        let db: Connection
        let maxID: Int64
        do {
            db = try Connection(path: archive.path, mode: .readWrite)
            db.setBusyTimeout(milliseconds: 5000)
            try db.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
            try db.execute(Self.tuning)
            maxID = try db.scalar("SELECT max(id) FROM exchanges") ?? 0
        } catch {
            throw ArchiveError.from(error, path: archive.path)
        }
        queue = WriteQueue(nextID: maxID)
        deriver = Deriver(path: archive.path, derive: derive)
        deriver.queue = queue
        loop = WriterLoop(queue: queue, db: db, path: archive.path, commitInterval: commitInterval,
                          deriver: deriver, onFailure: onFailure)
        let thread = Thread { [loop] in loop.run() }
        thread.name = "streamtape.archive.writer"
        thread.start()
    }

    /// Page cache and checkpoint sizes for a writer that appends to many exchanges at once. Each
    /// open exchange keeps its own B-tree leaves hot, so a thousand streams need a cache of about
    /// 16 MB, or every insert reads its page back from the WAL (SQLite's default is 2 MB; the cache
    /// is the writer's one memory cost that grows with the archive, and it stops at this size). A
    /// commit appends every page it dirtied to the WAL, and a checkpoint copies each page once
    /// however often it was appended: checkpoints every 32 MB instead of SQLite's default 4 MB copy
    /// the hot pages an eighth as often. `bench/writer` measures both.
    static let tuning = "PRAGMA cache_size = -16384; PRAGMA wal_autocheckpoint = 8192; PRAGMA journal_size_limit = 67108864"

    deinit { close() }

    /// The failure that stopped the writer, nil while healthy. Poll it, or pass `onFailure`.
    public var failure: ArchiveError? { queue.currentFailure }

    private var stopped: ArchiveError {
        queue.currentFailure ?? .writeFailed(path: path, detail: "the writer is closed")
    }

    // MARK: CaptureSink

    /// Queues a new exchange and returns its id; throws the failure once the writer has stopped.
    public func begin(startedMs: Int64, upstream: String, request: CapturedRequest, tags: [String]) throws -> Int64 {
        guard let (id, _) = queue.pushNew({ .begin(id: $0, startedMs: startedMs, upstream: upstream, request: request, tags: tags) })
        else { throw stopped }
        return id
    }

    /// Queues the response head.
    public func response(_ id: Int64, _ response: CapturedResponse) { _ = queue.push(.response(id: id, response)) }

    /// Queues one chunk; its `start_byte` is the sum of the earlier chunks' sizes.
    public func chunk(_ id: Int64, _ chunk: Chunk) { _ = queue.push(.chunk(id: id, chunk)) }

    /// Queues the end; the list counts are stored with it and the derived facts follow.
    public func end(_ id: Int64, _ end: ExchangeEnd) { _ = queue.push(.end(id: id, end)) }

    /// True while more than 64 MB of chunks wait for the disk (the recorder pauses upstreams).
    public var isBacklogged: Bool { queue.isBacklogged }

    // MARK: Imports and edits

    /// Stores a whole exchange (an import) in one transaction and returns its new id once committed.
    /// `exchange.id` is ignored. Throws `ArchiveError`.
    public func insert(_ exchange: Exchange) throws -> Int64 {
        guard let (id, ticket) = queue.pushNew({ .insert(id: $0, exchange) }) else { throw stopped }
        try queue.wait(for: ticket, path: path)
        return id
    }

    /// Queues tags for an exchange (existing ones are kept).
    public func addTags(id: Int64, _ tags: [String]) { _ = queue.push(.tags(id: id, tags)) }

    /// Queues a note for an exchange (nil clears it).
    public func setNote(id: Int64, _ note: String?) { _ = queue.push(.note(id: id, note)) }

    /// Blocks until everything queued so far is committed, derived facts included. Throws the failure.
    public func flush() throws { try queue.flush() }

    /// Flushes, stops the thread and closes the connection. Later calls are dropped. Idempotent.
    public func close() {
        closeLock.lock(); defer { closeLock.unlock() }
        guard !isClosed else { return }
        isClosed = true
        try? queue.flush()
        deriver.stop()
        queue.cond.lock()
        queue.closed = true
        queue.cond.broadcast()
        queue.cond.unlock()
        loop.done.wait()
        fileLock.release()
    }

    /// Transactions committed so far; call after `flush()` (tests check batching with it).
    var commitCount: Int {
        queue.cond.lock(); defer { queue.cond.unlock() }
        return loop.commits
    }

    /// Runs SQL inside the next batch (tests cap the file size with `PRAGMA max_page_count`).
    func testExecute(_ sql: String) { _ = queue.push(.execute(sql)) }
}
