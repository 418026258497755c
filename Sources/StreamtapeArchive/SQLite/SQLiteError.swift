/// A failed SQLite call: the library's extended result code and its own message.
///
/// Codes are listed at https://www.sqlite.org/rescode.html (`code & 0xFF` is the primary code).
public struct SQLiteError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The extended result code.
    public var code: Int
    /// The message SQLite gave (`sqlite3_errmsg`), or the generic text for the code.
    public var message: String

    /// Creates an error.
    public init(code: Int, message: String) { self.code = code; self.message = message }

    /// The primary result code (e.g. 11 `SQLITE_CORRUPT` for 267 `SQLITE_CORRUPT_VTAB`).
    public var primaryCode: Int { code & 0xFF }

    /// The message and code on one line.
    public var description: String { "\(message) (SQLite code \(code))" }

    /// `SQLITE_CORRUPT`.
    static let corrupt = 11
    /// `SQLITE_CANTOPEN`.
    static let cantOpen = 14
    /// `SQLITE_NOTADB`.
    static let notADatabase = 26
}
