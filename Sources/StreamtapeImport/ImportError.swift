/// A foreign file that cannot be imported, with where it went wrong: a line, an entry, or both.
public struct ImportError: Error, Hashable, CustomStringConvertible {
    /// 1-based line in the file, when known.
    public var line: Int?
    /// What is wrong, naming the interaction or entry when there is one (`interaction 3: …`).
    public var reason: String

    /// Creates an error.
    public init(line: Int? = nil, _ reason: String) { self.line = line; self.reason = reason }

    /// `line 12: interaction 3: …`, or the reason alone when no line is known; always one line (a
    /// line break or other control character the reason quotes from the file is escaped, `\n`).
    public var description: String {
        let text = reason.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? $0.escaped(asASCII: true) : String($0) }.joined()
        return line.map { "line \($0): \(text)" } ?? text
    }
}
