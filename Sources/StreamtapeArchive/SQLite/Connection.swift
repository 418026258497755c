internal import CSQLite

/// Owns one `sqlite3` handle and closes it in `deinit`. Not thread-safe: one owner uses it at a time.
final class Connection: StoreConnection {
    /// How a connection opens its file.
    enum Mode { case readOnly, readWrite }

    /// The raw handle; only this folder sees it.
    let handle: OpaquePointer
    /// Prepared statements kept for reuse, keyed by their SQL.
    private var cache: [String: Statement] = [:]

    /// Opens `path` (which must already exist when read-only). Does not read the file yet: SQLite
    /// reports a non-database on the first query.
    init(path: String, mode: Mode) throws(SQLiteError) {
        var db: OpaquePointer?
        let flags = (mode == .readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE))
            | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let error = SQLiteError(code: Int(rc), message: db.map { String(cString: sqlite3_errmsg($0)) }
                                    ?? String(cString: sqlite3_errstr(rc)))
            if let db { sqlite3_close_v2(db) }
            throw error
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
    }

    private var isClosed = false

    deinit { close() }

    /// Finalizes the cached statements and closes the handle now (the last connection to close
    /// checkpoints the WAL and removes the `-wal` file). Idempotent; no use after it.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        cache.removeAll()
        // close_v2 defers the close until every statement is finalized, so order does not matter.
        sqlite3_close_v2(handle)
    }

    /// The error for a failed call, with SQLite's message.
    func error(_ rc: Int32) -> SQLiteError {
        SQLiteError(code: Int(sqlite3_extended_errcode(handle)), message: String(cString: sqlite3_errmsg(handle)))
    }

    /// Runs one or more statements that return no rows we need.
    func execute(_ sql: String) throws(SQLiteError) {
        let rc = sqlite3_exec(handle, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw error(rc) }
    }

    /// Prepares a statement owned by the caller.
    func prepare(_ sql: String) throws(SQLiteError) -> Statement {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw error(rc) }
        return Statement(stmt, db: handle)
    }

    /// The SQLite dialect.
    var dialect: StoreDialect { .sqlite }

    /// A cached statement for `sql`, reset and with its bindings cleared.
    func cached(_ sql: String) throws(SQLiteError) -> any StoreStatement {
        if let s = cache[sql] { s.reset(); return s }
        let s = try prepare(sql)
        cache[sql] = s
        return s
    }

    /// Resets every cached statement, so none holds a read snapshot open between uses.
    func resetAll() {
        for s in cache.values { s.reset() }
    }

    /// Reads one integer (a pragma or an aggregate); nil when there is no row or it is NULL.
    func scalar(_ sql: String) throws(SQLiteError) -> Int64? {
        let s = try prepare(sql)
        guard try s.step(), !s.isNull(0) else { return nil }
        return s.int64(0)
    }

    /// How long a call waits on another connection's lock before failing with `SQLITE_BUSY`.
    func setBusyTimeout(milliseconds: Int32) { sqlite3_busy_timeout(handle, milliseconds) }

    /// Whether we are inside an explicit transaction.
    var inTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Whether the main database file was unlinked or renamed since it was opened (writes would
    /// then go to a file nobody can find again).
    func hasMoved() -> Bool {
        var moved: Int32 = 0
        let rc = sqlite3_file_control(handle, "main", SQLITE_FCNTL_HAS_MOVED, &moved)
        return rc == SQLITE_OK && moved != 0
    }
}
