/// The storage seam: one connection to the database an archive lives in, SQLite or PostgreSQL.
///
/// The archive's readers, writer and deriver speak SQL through this and `StoreStatement`, with
/// parameters written `?N`; what differs between the two databases (how a write transaction
/// begins, how an exchange whose recorder died reads) is in `dialect`.
protocol StoreConnection: AnyObject {
    /// What differs in this database's SQL.
    var dialect: StoreDialect { get }
    /// Runs one or more statements whose rows are not needed.
    func execute(_ sql: String) throws
    /// A reusable statement for `sql`, reset and with no parameters.
    func cached(_ sql: String) throws -> any StoreStatement
    /// Resets every cached statement (SQLite: so none holds a read snapshot open between uses).
    func resetAll()
    /// Reads one integer; nil when there is no row or it is NULL.
    func scalar(_ sql: String) throws -> Int64?
    /// Closes the connection now; idempotent, no use after it.
    func close()
    /// Whether an explicit transaction is open.
    var inTransaction: Bool { get }
    /// Whether the database file was unlinked or renamed since it was opened (never for a server).
    func hasMoved() -> Bool
}

/// A statement of a `StoreConnection`: bind parameters (from 1), step through rows, read columns (from 0).
protocol StoreStatement: AnyObject {
    /// Forgets the last run and the parameters.
    func reset()
    /// Binds an integer.
    func bind(_ index: Int32, _ value: Int64) throws
    /// Binds an integer or NULL.
    func bind(_ index: Int32, _ value: Int64?) throws
    /// Binds text or NULL.
    func bind(_ index: Int32, _ value: String?) throws
    /// Binds bytes (an empty array is zero bytes, not NULL).
    func bind(_ index: Int32, _ value: [UInt8]) throws
    /// Binds a real number or NULL.
    func bind(_ index: Int32, _ value: Double?) throws
    /// Runs the statement or moves to its next row: true while a row is ready.
    @discardableResult func step() throws -> Bool
    /// Whether column `i` is NULL.
    func isNull(_ i: Int32) -> Bool
    /// Column `i` as an integer.
    func int64(_ i: Int32) -> Int64
    /// Column `i` as text ("" when NULL).
    func text(_ i: Int32) -> String
    /// Column `i` as bytes.
    func blob(_ i: Int32) -> [UInt8]
    /// Column `i` as a real number.
    func double(_ i: Int32) -> Double
}

extension StoreStatement {
    /// Binds an integer.
    func bind(_ index: Int32, _ value: Int) throws { try bind(index, Int64(value)) }
    /// Column `i` as an integer, nil when NULL.
    func optionalInt64(_ i: Int32) -> Int64? { isNull(i) ? nil : int64(i) }
    /// Column `i` as text, nil when NULL.
    func optionalText(_ i: Int32) -> String? { isNull(i) ? nil : text(i) }
    /// Column `i` as a real number, nil when NULL.
    func optionalDouble(_ i: Int32) -> Double? { isNull(i) ? nil : double(i) }
}
