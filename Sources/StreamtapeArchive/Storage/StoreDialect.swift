/// What the archive's SQL says differently in SQLite and PostgreSQL.
struct StoreDialect: Sendable {
    /// Starts a write transaction (SQLite takes its write lock up front, so a busy wait happens here).
    let beginWrite: String
    /// A condition on an `exchanges` row: it is `recording` but its recorder stopped proving it is
    /// alive. Readers show such rows as `interrupted`. SQLite never: a live writer holds the file
    /// lock, and a read-write open without one repairs the rows for good.
    let lapsed: String

    /// SQLite.
    static let sqlite = StoreDialect(beginWrite: "BEGIN IMMEDIATE", lapsed: "0")

    /// PostgreSQL: a recorder's heartbeat (server time) older than `Heartbeat.lapse`.
    static let postgres = StoreDialect(beginWrite: "BEGIN", lapsed: """
        (exchanges.end_state = 'recording' AND NOT EXISTS (SELECT 1 FROM recorders r
         WHERE r.name = exchanges.recorder AND r.heartbeat > now() - interval '\(Heartbeat.lapseSeconds) seconds'))
        """)

    /// The end state as readers see it.
    var endState: String { "CASE WHEN \(lapsed) THEN 'interrupted' ELSE exchanges.end_state END" }
    /// The error as readers see it.
    var error: String { "CASE WHEN \(lapsed) THEN '\(Heartbeat.lapsedError)' ELSE exchanges.error END" }
}
