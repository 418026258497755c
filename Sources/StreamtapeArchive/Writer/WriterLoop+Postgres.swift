import Foundation

extension WriterLoop {
    /// Whether the heartbeat is due (PostgreSQL only).
    var maintenanceDue: Bool { location.isPostgres && clock.now >= nextHeartbeat }

    /// PostgreSQL: stamps the recorder's heartbeat when due (or `force`), and reserves ids from the
    /// sequence when fewer than half of `ExchangeIDs.reserve` are left. Outside any transaction.
    func maintain(force: Bool) throws {
        guard location.isPostgres else { return }
        if force || clock.now >= nextHeartbeat {
            let s = try db.cached("""
                INSERT INTO recorders (name, heartbeat) VALUES (?1, now())
                ON CONFLICT (name) DO UPDATE SET heartbeat = now()
                """)
            try s.bind(1, recorder)
            try s.step()
            s.reset()
            nextHeartbeat = clock.now + Heartbeat.interval
        }
        let shortfall = queue.cond.withLock { queue.ids.shortfall }
        guard shortfall > 0 else { return }
        let s = try db.cached("SELECT nextval('exchange_ids') FROM generate_series(1, ?1)")
        try s.bind(1, shortfall)
        var fresh: [Int64] = []
        while try s.step() { fresh.append(s.int64(0)) }
        s.reset()
        queue.cond.withLock {
            if case .reserved(let left) = queue.ids { queue.ids = .reserved(left + fresh) }
        }
    }

    /// A failed heartbeat or reservation: an outage when the connection is gone, else a failure.
    func lost(_ error: Error) {
        if (error as? PGError)?.connectionLost == true { outage(error) } else { fail(error) }
    }

    /// How long a stopping writer still waits for an unreachable database before it gives up.
    static let giveUpAfterStop = Duration.seconds(10)

    /// Waits out a database outage: reconnects with backoff (0.25 s doubling to 5 s), saying so on
    /// `log`. Meanwhile nothing is taken from the queue, so what arrives waits there and the
    /// backlog limit pauses upstreams; the kept batch (`retry`) is applied first once connected.
    /// Once the writer is closed (the recorder is stopping) it waits `giveUpAfterStop` more at most,
    /// then fails saying how many writes were not stored: a stop never hangs on a lost database.
    func outage(_ error: Error) {
        let began = clock.now
        db.close()
        let waiting = queue.cond.withLock { queue.ops.count } + retry.count
        log("archive: lost the connection to \(path) (\(error)); keeping \(waiting) write(s) in memory (upstreams pause beyond 64 MB) and reconnecting")
        var delay = Duration.milliseconds(250)
        var stopSeen: ContinuousClock.Instant?
        while true {
            Thread.sleep(forTimeInterval: Self.seconds(delay))
            if queue.cond.withLock({ queue.closing || queue.closed }) {
                let seen = stopSeen ?? clock.now
                stopSeen = seen
                if clock.now - seen >= Self.giveUpAfterStop {
                    let unstored = queue.cond.withLock { queue.ops.count } + retry.count
                    retry.removeAll()
                    fail(ArchiveError.writeFailed(path: path, detail: "the database was still unreachable \(Int(Self.seconds(Self.giveUpAfterStop))) s after the stop; \(unstored) write(s) were not stored"))
                    return
                }
            }
            do {
                db = try PGConnection(uri: location.connectionString)
                nextHeartbeat = clock.now
                let pending = queue.cond.withLock { queue.ops.count } + retry.count
                log("archive: reconnected to \(path) after \(String(format: "%.1f", Self.seconds(clock.now - began))) s; writing \(pending) waiting write(s)")
                return
            } catch {
                delay = min(delay * 2, .seconds(5))
                log("archive: \(path) still unreachable (\(error)); next try in \(String(format: "%.2f", Self.seconds(delay))) s")
            }
        }
    }

    /// A duration in seconds.
    static func seconds(_ d: Duration) -> Double {
        let (s, atto) = d.components
        return Double(s) + Double(atto) / 1e18
    }
}
