internal import CLibPQ

/// Owns one libpq connection and finishes it in `deinit`. Not thread-safe: one owner at a time.
///
/// Statements are prepared on the server once per connection (`cached`) and run with text
/// parameters (bytes in binary) and binary results, so chunk bytes cross the socket as they are.
final class PGConnection: StoreConnection {
    private let handle: OpaquePointer
    private var cache: [String: PGStatement] = [:]
    private var isClosed = false
    /// Requests sent so far, each waiting for the server's answer (tests check the writer's batching with it).
    private(set) var roundTrips = 0

    /// Connects with a libpq URI (`postgresql://…`, everything libpq allows, `PGPASSWORD` and
    /// `.pgpass` included). Throws `PGError` with libpq's message.
    init(uri: String) throws(PGError) {
        guard let conn = PQconnectdb(uri) else { throw PGError(message: "out of memory", connectionLost: true) }
        guard PQstatus(conn) == CONNECTION_OK else {
            let error = PGError(message: String(cString: PQerrorMessage(conn)), connectionLost: true)
            PQfinish(conn)
            throw error
        }
        handle = conn
        // Notices ("relation already exists, skipping") are not ours to print.
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
    }

    deinit { close() }

    /// The PostgreSQL dialect.
    var dialect: StoreDialect { .postgres }

    /// Closes the connection now. Idempotent.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        cache.removeAll()
        PQfinish(handle)
    }

    /// The error libpq reports for `result` (or for the connection when there is no result).
    func error(_ result: OpaquePointer?) -> PGError {
        let message = result.flatMap { PQresultErrorMessage($0) }.map { String(cString: $0) } ?? ""
        let state = result.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "C"))) }.map { String(cString: $0) } ?? ""
        return PGError(message: message.isEmpty ? String(cString: PQerrorMessage(handle)) : message, sqlState: state,
                       connectionLost: PQstatus(handle) != CONNECTION_OK)
    }

    /// Runs one or more statements (simple query protocol) whose rows are not needed.
    func execute(_ sql: String) throws(PGError) {
        roundTrips += 1
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard result != nil, status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else { throw error(result) }
    }

    /// A statement prepared on the server under a name of its own, reused for the same SQL.
    func cached(_ sql: String) throws(PGError) -> any StoreStatement {
        if let s = cache[sql] { s.reset(); return s }
        let name = "s\(cache.count)"
        roundTrips += 1
        let result = PQprepare(handle, name, PGStatement.numbered(sql), 0, nil)
        defer { PQclear(result) }
        guard result != nil, PQresultStatus(result) == PGRES_COMMAND_OK else { throw error(result) }
        let s = PGStatement(connection: self, name: name)
        cache[sql] = s
        return s
    }

    /// Runs a prepared statement; the caller owns (and clears) the result.
    func run(_ name: String, _ values: [[UInt8]?], binary: [Bool]) throws(PGError) -> OpaquePointer {
        let count = Int32(values.count)
        let lengths = values.map { Int32($0?.count ?? 0) }
        let formats = binary.map { Int32($0 ? 1 : 0) }
        roundTrips += 1
        let result = withPointers(values) { pointers in
            PQexecPrepared(handle, name, count, pointers, lengths, formats, 1)
        }
        let status = PQresultStatus(result)
        guard let result, status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            let e = error(result)
            PQclear(result)
            throw e
        }
        return result
    }

    /// Clears every cached statement's result.
    func resetAll() { for s in cache.values { s.reset() } }

    /// Reads one integer; nil when there is no row or it is NULL.
    func scalar(_ sql: String) throws -> Int64? {
        let s = try cached(sql)
        defer { s.reset() }
        guard try s.step(), !s.isNull(0) else { return nil }
        return s.int64(0)
    }

    /// Whether a transaction is open (or failed and not yet rolled back).
    var inTransaction: Bool { PQtransactionStatus(handle) != PQTRANS_IDLE }

    /// A database cannot be unlinked under us.
    func hasMoved() -> Bool { false }
}

/// Calls `body` with C pointers to each value (nil for NULL), valid for the call. Each copy ends
/// with a NUL: libpq reads text-format parameters as C strings, whatever length is passed.
private func withPointers<R>(_ values: [[UInt8]?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    var copies: [UnsafeMutablePointer<CChar>?] = values.map { value in
        guard let value else { return nil }
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: value.count + 1)
        value.withUnsafeBytes { raw in if raw.count > 0 { UnsafeMutableRawPointer(p).copyMemory(from: raw.baseAddress!, byteCount: raw.count) } }
        p[value.count] = 0
        return p
    }
    defer { for p in copies { p?.deallocate() }; copies.removeAll() }
    return body(copies.map { $0.map { UnsafePointer($0) } })
}
