import Foundation
import StreamtapeCore

/// The body of the writer thread: drains the queue into transactions on its own connection.
///
/// Group commit: the first op of a batch wakes the writer, which then sleeps for half of
/// `commitInterval` while more arrives (pushes do not wake it), takes everything, applies it in one
/// transaction, keeps taking while more is pending, and commits at the latest `commitInterval` after
/// the batch began. A caller blocked in `flush()` or `wait(for:)` cuts the wait short. Sleeping
/// instead of committing whenever the queue is momentarily empty matters under load: every commit
/// rewrites each B-tree page it touched, and a thousand streams touch a thousand pages whether a
/// commit carries one chunk of each or fifty. With WAL and `synchronous=NORMAL` a commit is an
/// append to the `-wal` file, so a kill -9 loses at most the batch in flight. Within a batch,
/// consecutive chunks are inserted together (`ChunkGroup`): a statement per group, not per chunk,
/// which is what bounds a PostgreSQL writer (one round trip per statement).
///
/// With PostgreSQL the loop also stamps the recorder's heartbeat and tops up the reserved ids
/// (`maintain`), and a lost connection is an outage, not a failure: the batch's ops are kept, the
/// loop stops taking new ones (so the queue's backlog limit pauses upstreams), reconnects with
/// backoff (`Reconnect`) and applies them again.
final class WriterLoop: @unchecked Sendable {
    /// Where ops come from.
    let queue: WriteQueue
    /// The writer's own connection, used only on its thread (replaced after an outage).
    var db: any StoreConnection
    /// Where the archive lives.
    let location: ArchiveLocation
    /// The archive as messages name it.
    let path: String
    /// The name stored with begun exchanges and stamped with the heartbeat.
    let recorder: String
    /// Hears about outages.
    let log: @Sendable (String) -> Void
    /// The longest a batch stays open while work keeps arriving.
    let commitInterval: Duration
    /// Where ended exchanges go to be derived.
    let deriver: Deriver
    /// Told once when writing fails.
    let onFailure: @Sendable (ArchiveError) -> Void
    private var open: [Int64: ExchangeCounts] = [:]
    private var ended: [Int64] = []
    /// Transactions committed so far (read by tests through the writer).
    private(set) var commits = 0
    /// PostgreSQL round trips of the last committed batch (read by tests through the writer).
    private(set) var lastBatchRoundTrips = 0
    /// Chunk rows not yet sent: flushed before any other statement.
    private var chunks = ChunkGroup()
    private var reported = false
    /// Ops of a batch the database lost the connection during, applied first once it is back.
    var retry: [WriteOp] = []
    /// When the heartbeat is due next (PostgreSQL).
    var nextHeartbeat: ContinuousClock.Instant
    let clock = ContinuousClock()
    /// Signalled when the thread has closed the connection and is about to exit.
    let done = DispatchSemaphore(value: 0)

    /// Prepares the loop; `run()` starts it.
    init(queue: WriteQueue, db: any StoreConnection, location: ArchiveLocation, recorder: String, commitInterval: Duration,
         deriver: Deriver, onFailure: @escaping @Sendable (ArchiveError) -> Void, log: @escaping @Sendable (String) -> Void) {
        self.queue = queue; self.db = db; self.location = location; self.path = location.displayName; self.recorder = recorder
        self.commitInterval = commitInterval; self.deriver = deriver; self.onFailure = onFailure; self.log = log
        nextHeartbeat = clock.now
    }

    /// Runs until the queue is closed and empty.
    func run() {
        while true {
            queue.cond.lock()
            while queue.ops.isEmpty && !queue.closed && retry.isEmpty && !maintenanceDue {
                queue.writerIdle = true
                if location.isPostgres { _ = queue.cond.wait(until: Date(timeIntervalSinceNow: Self.seconds(nextHeartbeat - clock.now))) } else { queue.cond.wait() }
            }
            queue.writerIdle = false
            let stop = queue.ops.isEmpty && queue.closed && retry.isEmpty
            let work = !queue.ops.isEmpty || !retry.isEmpty
            queue.cond.unlock()
            if stop { break }
            if work { batch() }
            if location.isPostgres && retry.isEmpty && queue.currentFailure == nil {
                do { try maintain(force: false) } catch { lost(error) }
            }
        }
        // Closed here, not when the thread object goes away, so close() returns with the file closed.
        db.close()
        done.signal()
    }

    private func take() -> [WriteOp] {
        queue.cond.lock(); defer { queue.cond.unlock() }
        return queue.takeAllLocked()
    }

    private var pending: Bool {
        queue.cond.lock(); defer { queue.cond.unlock() }
        return !queue.ops.isEmpty
    }

    /// Sleeps until `end` unless someone waits for a commit, the queue is closing or it grew long.
    private func linger(until end: ContinuousClock.Instant) {
        queue.cond.lock(); defer { queue.cond.unlock() }
        while queue.urgent == 0 && !queue.closed && queue.ops.count < WriteQueue.wakeLength {
            let (seconds, attoseconds) = (end - clock.now).components
            guard seconds > 0 || attoseconds > 0 else { return }
            _ = queue.cond.wait(until: Date(timeIntervalSinceNow: Double(seconds) + Double(attoseconds) / 1e18))
        }
    }

    private func batch() {
        let start = clock.now
        linger(until: start + commitInterval / 2)
        var applied = retry
        let (openBefore, endedBefore) = (open, ended)
        retry.removeAll()
        let tripsBefore = roundTrips
        do {
            try db.execute(db.dialect.beginWrite)
            for op in applied { try apply(op) }
            repeat {
                let ops = take()
                applied += ops
                for op in ops { try apply(op) }
            } while pending && clock.now - start < commitInterval
            try chunks.flush(into: db)
            try storeCounts()
            // Writes to an unlinked file succeed and vanish: check the file is still where it was.
            if db.hasMoved() {
                throw ArchiveError.writeFailed(path: path, detail: "the archive file was removed or renamed")
            }
            try db.execute("COMMIT")
            db.resetAll()
        } catch {
            chunks.removeAll()
            db.resetAll()
            if (error as? PGError)?.connectionLost == true {
                // Nothing of the batch was stored: keep it whole, with the counts as they were before it.
                retry = applied; open = openBefore; ended = endedBefore
                outage(error)
                return
            }
            if db.inTransaction { try? db.execute("ROLLBACK") }
            fail(error)
            return
        }
        let finished = ended
        ended.removeAll()
        queue.cond.lock()
        // Derives are counted before the commit is announced, so a flush that saw the end op
        // committed also waits for its derived facts.
        queue.derivesScheduled += UInt64(finished.count)
        queue.committed += UInt64(applied.count)
        commits += 1
        lastBatchRoundTrips = roundTrips - tripsBefore
        queue.cond.broadcast()
        queue.cond.unlock()
        for id in finished { deriver.schedule(id) }
    }

    func fail(_ error: Error) {
        let failure: ArchiveError
        switch error {
        case let e as ArchiveError: failure = e
        case let e as SQLiteError: failure = .writeFailed(path: path, detail: e.message)
        case let e as PGError: failure = .writeFailed(path: path, detail: e.description)
        default: failure = .writeFailed(path: path, detail: "\(error)")
        }
        // Reported before waiters are released, so whoever sees `flush()` throw also saw the callback.
        if !reported {
            reported = true
            onFailure(failure)
        }
        queue.cond.lock()
        if queue.failure == nil { queue.failure = failure }
        // Nothing more will be stored: release everyone waiting.
        _ = queue.takeAllLocked()
        queue.committed = queue.enqueued
        queue.cond.broadcast()
        queue.cond.unlock()
        open.removeAll(); ended.removeAll()
    }

    // MARK: - Applying ops

    private func apply(_ op: WriteOp) throws {
        if case .chunk = op {} else { try chunks.flush(into: db) }
        switch op {
        case let .begin(id, uid, startedMs, upstream, request, tags):
            try insertRow(id: id, identity: ExchangeIdentity(uid: uid, recorder: recorder), startedMs: startedMs, upstream: upstream, request: request)
            try addTags(id: id, tags)
            open[id] = ExchangeCounts()
        case let .response(id, response):
            let s = try db.cached("UPDATE exchanges SET status = ?1, response_headers = ?2, response_offset_ns = ?3 WHERE id = ?4")
            try s.bind(1, response.status); try s.bind(2, HeaderJSON.encode(response.headers))
            try s.bind(3, Nanos.store(response.offsetNs)); try s.bind(4, id)
            try s.step()
        case let .chunk(id, chunk):
            if open[id] == nil { try chunks.flush(into: db) }  // loadCounts reads the stored chunks
            var counts = try open[id] ?? loadCounts(id)
            try chunks.append(id: id, chunk, startByte: counts.bytes, into: db)
            counts.chunks = max(counts.chunks, chunk.seq + 1)
            counts.bytes = try adding(counts.bytes, chunk.bytes.count, id: id)
            if counts.firstChunkNs == nil { counts.firstChunkNs = chunk.offsetNs }
            counts.dirty = true
            open[id] = counts
        case let .end(id, end):
            let counts = try open.removeValue(forKey: id) ?? loadCounts(id)
            try storeEnd(id: id, end, counts)
            ended.append(id)
        case let .insert(id, exchange, identity, derivedByCaller):
            try insertRow(id: id, identity: identity, startedMs: exchange.startedMs, upstream: exchange.upstream, request: exchange.request)
            try addTags(id: id, exchange.tags)
            if let note = exchange.note { try apply(.note(id: id, note)) }
            if exchange.timingUnknown {
                let s = try db.cached("UPDATE exchanges SET timing_unknown = 1 WHERE id = ?1")
                try s.bind(1, id); try s.step()
            }
            if let response = exchange.response { try apply(.response(id: id, response)) }
            var counts = ExchangeCounts()
            for chunk in exchange.chunks {
                try chunks.append(id: id, chunk, startByte: counts.bytes, into: db)
                counts.chunks = max(counts.chunks, chunk.seq + 1)
                counts.bytes = try adding(counts.bytes, chunk.bytes.count, id: id)
                if counts.firstChunkNs == nil { counts.firstChunkNs = chunk.offsetNs }
            }
            try chunks.flush(into: db)
            if let end = exchange.end { try storeEnd(id: id, end, counts) } else { open[id] = counts; open[id]?.dirty = true }
            if !derivedByCaller { ended.append(id) }
        case let .derived(id, info):
            try Archive.storeDerived(db, id: id, info)
        case let .tags(id, tags):
            try addTags(id: id, tags)
        case let .note(id, note):
            let s = try db.cached("UPDATE exchanges SET note = ?1 WHERE id = ?2")
            try s.bind(1, note); try s.bind(2, id)
            try s.step()
        case let .execute(sql):
            try db.execute(sql)
        }
    }

    private func insertRow(id: Int64, identity: ExchangeIdentity, startedMs: Int64, upstream: String, request: CapturedRequest) throws {
        let s = try db.cached("""
            INSERT INTO exchanges (id, started_ms, upstream, method, target, request_headers, request_body, uid, recorder)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
            """)
        try s.bind(1, id); try s.bind(2, startedMs); try s.bind(3, upstream); try s.bind(4, request.method)
        try s.bind(5, request.target); try s.bind(6, HeaderJSON.encode(request.headers)); try s.bind(7, request.body)
        try s.bind(8, identity.uid); try s.bind(9, identity.recorder)
        try s.step()
    }

    private func addTags(id: Int64, _ tags: [String]) throws {
        let s = try db.cached("INSERT INTO tags (exchange_id, tag) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
        for tag in tags {
            s.reset()
            try s.bind(1, id); try s.bind(2, tag)
            try s.step()
        }
    }

    /// The PostgreSQL connection's round trips so far (0 with SQLite).
    private var roundTrips: Int { (db as? PGConnection)?.roundTrips ?? 0 }

    private func storeEnd(id: Int64, _ end: ExchangeEnd, _ counts: ExchangeCounts) throws {
        let s = try db.cached("""
            UPDATE exchanges SET end_offset_ns = ?1, end_state = ?2, error = ?3,
                chunks = ?4, bytes = ?5, first_chunk_ns = ?6, derived = 0 WHERE id = ?7
            """)
        try s.bind(1, Nanos.store(end.offsetNs)); try s.bind(2, end.state.rawValue); try s.bind(3, end.error)
        try s.bind(4, counts.chunks); try s.bind(5, counts.bytes); try s.bind(6, counts.firstChunkNs.map(Nanos.store))
        try s.bind(7, id)
        try s.step()
    }

    /// Keeps the list columns of exchanges still recording current, once per batch.
    private func storeCounts() throws {
        let s = try db.cached("UPDATE exchanges SET chunks = ?1, bytes = ?2, first_chunk_ns = ?3 WHERE id = ?4")
        for (id, counts) in open where counts.dirty {
            s.reset()
            try s.bind(1, counts.chunks); try s.bind(2, counts.bytes)
            try s.bind(3, counts.firstChunkNs.map(Nanos.store)); try s.bind(4, id)
            try s.step()
            open[id]?.dirty = false
        }
    }

    /// `bytes + more`; the stored size of an exchange this writer did not begin may be damaged.
    private func adding(_ bytes: Int, _ more: Int, id: Int64) throws -> Int {
        let (sum, overflow) = bytes.addingReportingOverflow(more)
        guard bytes >= 0, !overflow else { throw ArchiveError.corrupt(path: path, detail: "exchange \(id) has an impossible body size") }
        return sum
    }

    /// Counts of an exchange this writer did not begin (or already ended), read from its chunks.
    private func loadCounts(_ id: Int64) throws -> ExchangeCounts {
        let s = try db.cached("""
            SELECT max(seq) + 1, (SELECT start_byte + length(bytes) FROM chunks WHERE exchange_id = ?1 ORDER BY seq DESC LIMIT 1),
                   (SELECT offset_ns FROM chunks WHERE exchange_id = ?1 ORDER BY seq LIMIT 1)
            FROM chunks WHERE exchange_id = ?1
            """)
        try s.bind(1, id)
        var counts = ExchangeCounts()
        if try s.step() {
            counts.chunks = Int(s.optionalInt64(0) ?? 0)
            counts.bytes = Int(s.optionalInt64(1) ?? 0)
            counts.firstChunkNs = s.optionalInt64(2).map(Nanos.load)
        }
        s.reset()
        return counts
    }
}
