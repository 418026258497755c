/// A kind of line ending the parser counts (WHATWG SSE accepts all three).
enum LineEnding: Sendable {
    /// `\n`.
    case lf
    /// `\r\n`.
    case crlf
    /// `\r` alone.
    case cr

    /// Its length in bytes.
    var length: Int { self == .crlf ? 2 : 1 }
}
