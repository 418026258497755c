/// A failed libpq call: PostgreSQL's message, its SQLSTATE when the server sent one, and whether
/// the connection itself is gone (the writer then waits for the database instead of giving up).
///
/// SQLSTATE codes are listed at https://www.postgresql.org/docs/current/errcodes-appendix.html.
public struct PGError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The first line of libpq's message.
    public var message: String
    /// The five-character SQLSTATE, "" when the failure happened before the server answered.
    public var sqlState: String
    /// Whether the connection is broken (server down, network lost) rather than the statement wrong.
    public var connectionLost: Bool

    /// Creates an error; the message is cut to its first line (libpq adds detail lines and a newline).
    public init(message: String, sqlState: String = "", connectionLost: Bool = false) {
        self.message = message.split(whereSeparator: \.isNewline).first.map(String.init) ?? "unknown PostgreSQL error"
        self.sqlState = sqlState; self.connectionLost = connectionLost
    }

    /// The message with its SQLSTATE.
    public var description: String { sqlState.isEmpty ? message : "\(message) (SQLSTATE \(sqlState))" }
}
