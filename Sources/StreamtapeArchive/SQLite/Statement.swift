internal import CSQLite

/// Owns one prepared statement and finalizes it in `deinit`. Columns and parameters count from 0 and
/// 1 respectively, as in SQLite.
final class Statement: StoreStatement {
    private let handle: OpaquePointer
    private let db: OpaquePointer

    /// Wraps a prepared statement of `db`.
    init(_ handle: OpaquePointer, db: OpaquePointer) { self.handle = handle; self.db = db }

    deinit { sqlite3_finalize(handle) }

    private func check(_ rc: Int32) throws(SQLiteError) {
        guard rc == SQLITE_OK else {
            throw SQLiteError(code: Int(sqlite3_extended_errcode(db)), message: String(cString: sqlite3_errmsg(db)))
        }
    }

    /// Resets the statement and clears its bindings.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Binds an integer.
    func bind(_ index: Int32, _ value: Int64) throws(SQLiteError) { try check(sqlite3_bind_int64(handle, index, value)) }
    /// Binds an integer.
    func bind(_ index: Int32, _ value: Int) throws(SQLiteError) { try bind(index, Int64(value)) }
    /// Binds an integer or NULL.
    func bind(_ index: Int32, _ value: Int64?) throws(SQLiteError) {
        if let value { try bind(index, value) } else { try check(sqlite3_bind_null(handle, index)) }
    }
    /// Binds a real number or NULL.
    func bind(_ index: Int32, _ value: Double?) throws(SQLiteError) {
        if let value { try check(sqlite3_bind_double(handle, index, value)) } else { try check(sqlite3_bind_null(handle, index)) }
    }
    /// Binds text or NULL (copied).
    func bind(_ index: Int32, _ value: String?) throws(SQLiteError) {
        guard let value else { try check(sqlite3_bind_null(handle, index)); return }
        try Self.checkSize(value.utf8.count)
        var v = value
        let rc = v.withUTF8 { p -> Int32 in
            // An empty buffer may have no base address, which SQLite would store as NULL.
            guard let base = p.baseAddress, p.count > 0 else { return csqlite_bind_text(handle, index, "", 0) }
            return csqlite_bind_text(handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(p.count))
        }
        try check(rc)
    }
    /// Binds a blob (copied); an empty array binds a zero-length blob, not NULL.
    func bind(_ index: Int32, _ value: [UInt8]) throws(SQLiteError) {
        try Self.checkSize(value.count)
        let rc = value.withUnsafeBytes { p in
            p.count == 0 ? sqlite3_bind_zeroblob(handle, index, 0) : csqlite_bind_blob(handle, index, p.baseAddress, Int32(p.count))
        }
        try check(rc)
    }

    /// SQLite takes lengths as `int`: a value over 2 GiB is `SQLITE_TOOBIG`, not a trap in `Int32(_:)`.
    private static func checkSize(_ count: Int) throws(SQLiteError) {
        guard count <= Int(Int32.max) else { throw SQLiteError(code: 18, message: "string or blob too big") }
    }

    /// Steps once: true when a row is ready, false when done.
    @discardableResult
    func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        let error = SQLiteError(code: Int(sqlite3_extended_errcode(db)), message: String(cString: sqlite3_errmsg(db)))
        sqlite3_reset(handle)
        throw error
    }

    /// Whether column `i` is NULL.
    func isNull(_ i: Int32) -> Bool { sqlite3_column_type(handle, i) == SQLITE_NULL }
    /// Column `i` as an integer.
    func int64(_ i: Int32) -> Int64 { sqlite3_column_int64(handle, i) }
    /// Column `i` as an integer, nil when NULL.
    func optionalInt64(_ i: Int32) -> Int64? { isNull(i) ? nil : int64(i) }
    /// Column `i` as a real number.
    func double(_ i: Int32) -> Double { sqlite3_column_double(handle, i) }
    /// Column `i` as text ("" when NULL).
    func text(_ i: Int32) -> String {
        guard let p = sqlite3_column_text(handle, i) else { return "" }
        let n = Int(sqlite3_column_bytes(handle, i))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }
    /// Column `i` as text, nil when NULL.
    func optionalText(_ i: Int32) -> String? { isNull(i) ? nil : text(i) }
    /// Column `i` as bytes.
    func blob(_ i: Int32) -> [UInt8] {
        let n = Int(sqlite3_column_bytes(handle, i))
        guard n > 0, let p = sqlite3_column_blob(handle, i) else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: p, count: n))
    }
}
