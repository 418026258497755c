/// How serious a finding is.
public enum FindingSeverity: String, Sendable, Comparable {
    /// As in the diagnostics catalogue.
    case error, warning, info
    /// Errors sort first.
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
    private var rank: Int { self == .error ? 0 : self == .warning ? 1 : 2 }
}

/// A diagnostic as the inspector shows it (mirrors Core's `Finding`; the executable converts).
public struct InspectFinding: Hashable, Sendable {
    /// Stable code, e.g. `error-event`.
    public var code: String
    /// Severity.
    public var severity: FindingSeverity
    /// Byte offset in the stream.
    public var offset: Int
    /// Index of the event it applies to, nil for stream-wide findings.
    public var event: Int?
    /// The explanation for a newcomer.
    public var message: String
    /// Creates a finding.
    public init(code: String, severity: FindingSeverity, offset: Int, event: Int?, message: String) {
        self.code = code; self.severity = severity; self.offset = offset; self.event = event; self.message = message
    }
}
