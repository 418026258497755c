/// A foreign file that cannot be imported, with where it went wrong: a line, an entry, or both.
public struct ImportError: Error, Hashable, CustomStringConvertible {
    /// 1-based line in the file, when known.
    public var line: Int?
    /// What is wrong, naming the interaction or entry when there is one (`interaction 3: …`).
    public var reason: String

    /// Creates an error.
    public init(line: Int? = nil, _ reason: String) { self.line = line; self.reason = reason }

    /// `line 12: interaction 3: …`, or the reason alone when no line is known.
    public var description: String { line.map { "line \($0): \(reason)" } ?? reason }
}
