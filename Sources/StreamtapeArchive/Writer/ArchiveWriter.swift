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
/// A SQLite archive has one writer at a time (ids are allocated in memory): a second one (in any
/// process) fails with `ArchiveError.inUse` while the first is open. A PostgreSQL archive takes
/// many writers at once: each reserves ids ahead from the database's sequence, stamps its
/// heartbeat every `Heartbeat.interval`, and when the database becomes unreachable keeps what it
/// has not written in memory (the backlog limit pausing upstreams) and reconnects with backoff.
/// Every exchange gets a stable `uid` and the writer's `recorder` name.
public final class ArchiveWriter: CaptureSink, @unchecked Sendable {
    /// The archive written (a URI without its password).
    public let path: String
    /// The name stored with every exchange this writer begins or imports.
    public let recorder: String
    private let queue: WriteQueue
    private let loop: WriterLoop
    private let deriver: Deriver
    private let derive: @Sendable (Exchange) -> DerivedInfo
    private let closeLock = NSLock()
    private let fileLock: WriterLock?
    private var isClosed = false

    /// Starts a writer on `archive`, which must be open read-write. `log` hears about database
    /// outages and reconnections. Throws `ArchiveError`.
    public init(archive: Archive,
                commitInterval: Duration = .milliseconds(50),
                recorder: String = RecorderName.default,
                derive: @escaping @Sendable (Exchange) -> DerivedInfo = DerivedInfo.countingEvents,
                onFailure: @escaping @Sendable (ArchiveError) -> Void = { _ in },
                log: @escaping @Sendable (String) -> Void = { _ in }) throws {
        precondition(commitInterval > .zero && commitInterval <= .milliseconds(100),
                     "commitInterval bounds what a kill -9 loses: keep it within 100 ms")
        guard !archive.isReadOnly else { throw ArchiveError.readOnly(path: archive.path) }
        path = archive.path
        self.recorder = recorder
        let db: any StoreConnection
        switch archive.location {
        case .file(let file):
            fileLock = try WriterLock(path: file)
            let maxID: Int64
            do {
                let sqlite = try Connection(path: file, mode: .readWrite)
                sqlite.setBusyTimeout(milliseconds: 5000)
                try sqlite.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
                try sqlite.execute(Self.tuning)
                maxID = try sqlite.scalar("SELECT max(id) FROM exchanges") ?? 0
                db = sqlite
            } catch {
                throw ArchiveError.from(error, path: archive.path)
            }
            queue = WriteQueue(ids: .counter(after: maxID))
        case .postgres(let uri):
            fileLock = nil
            do { db = try PGConnection(uri: uri) } catch { throw ArchiveError.cannotOpen(path: path, detail: error.message) }
            queue = WriteQueue(ids: .reserved([]))
        }
        self.derive = derive
        deriver = Deriver(location: archive.location, derive: derive)
        deriver.queue = queue
        loop = WriterLoop(queue: queue, db: db, location: archive.location, recorder: recorder, commitInterval: commitInterval,
                          deriver: deriver, onFailure: onFailure, log: log)
        // A PostgreSQL writer proves it is alive and holds ids before its first `begin`.
        do { try loop.maintain(force: true) } catch {
            isClosed = true  // no thread to stop
            throw ArchiveError.from(error, path: path)
        }
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

    /// Why `pushNew` refused: stopped, or out of ids reserved ahead while the database is unreachable.
    private var refusal: ArchiveError {
        if queue.currentFailure == nil, !isClosed, queue.outOfIDs {
            return .writeFailed(path: path, detail: "the database is unreachable and the exchange ids reserved ahead ran out")
        }
        return stopped
    }

    // MARK: CaptureSink

    /// Queues a new exchange and returns its id; throws the failure once the writer has stopped.
    public func begin(startedMs: Int64, upstream: String, request: CapturedRequest, tags: [String]) throws -> Int64 {
        let uid = ExchangeIdentity.newUID()
        guard let (id, _) = queue.pushNew({ .begin(id: $0, uid: uid, startedMs: startedMs, upstream: upstream, request: request, tags: tags) })
        else { throw refusal }
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

    /// Stores a whole exchange (an import, a copy) in one transaction and returns its new id once
    /// committed. `exchange.id` is ignored; `identity` (a copy's) keeps its uid and recorder, else
    /// the exchange gets a new uid and this writer's name. With `deriveHere` its derived facts are
    /// computed on the calling thread from the exchange in hand while the writer thread stores it,
    /// and committed before this returns (an import: no read back, no wait for the background
    /// deriver); else they follow later, as a recorded exchange's do. Throws `ArchiveError`.
    public func insert(_ exchange: Exchange, identity: ExchangeIdentity? = nil, deriveHere: Bool = false) throws -> Int64 {
        let identity = identity ?? ExchangeIdentity(uid: ExchangeIdentity.newUID(), recorder: recorder)
        guard let (id, ticket) = queue.pushNew({ .insert(id: $0, exchange, identity, derivedByCaller: deriveHere) }) else { throw refusal }
        guard deriveHere else {
            try queue.wait(for: ticket, path: path)
            return id
        }
        var stored = exchange
        stored.id = id
        // Queued after the insert, so applied after it; nil when the writer stopped meanwhile, and
        // then waiting for the insert reports why.
        let derived = queue.push(.derived(id: id, derive(stored)))
        try queue.wait(for: derived ?? ticket, path: path)
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
        queue.cond.withLock { queue.closing = true }
        try? queue.flush()
        deriver.stop()
        queue.cond.lock()
        queue.closed = true
        queue.cond.broadcast()
        queue.cond.unlock()
        loop.done.wait()
        fileLock?.release()
    }

    /// Transactions committed so far; call after `flush()` (tests check batching with it).
    var commitCount: Int {
        queue.cond.lock(); defer { queue.cond.unlock() }
        return loop.commits
    }

    /// PostgreSQL round trips of the last committed batch, 0 with SQLite (tests check chunk grouping with it).
    var lastBatchRoundTrips: Int {
        queue.cond.lock(); defer { queue.cond.unlock() }
        return loop.lastBatchRoundTrips
    }

    /// Runs SQL inside the next batch (tests cap the file size with `PRAGMA max_page_count`).
    func testExecute(_ sql: String) { _ = queue.push(.execute(sql)) }
}
