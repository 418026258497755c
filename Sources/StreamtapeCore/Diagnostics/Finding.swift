/// How bad a finding is.
public enum Severity: String, Sendable, Hashable, CaseIterable {
    /// The client sees something broken or loses data.
    case error
    /// Suspicious; some clients cope, some do not.
    case warning
    /// Worth knowing, not a fault of the stream.
    case info
}

/// One diagnosis: what, how bad, where in the bytes and at which event, and a sentence a newcomer understands.
public struct Finding: Hashable, Sendable {
    /// The stable code from the catalogue, e.g. `error-event`.
    public var code: String
    /// How bad it is.
    public var severity: Severity
    /// Byte offset in the response body where it applies.
    public var offset: Int
    /// Index of the event it applies to, nil when no dispatched event holds it.
    public var event: Int?
    /// What happened and what it means for the client, naming the specifics.
    public var message: String

    /// Creates a finding.
    public init(code: String, severity: Severity, offset: Int, event: Int?, message: String) {
        self.code = code; self.severity = severity; self.offset = offset; self.event = event; self.message = message
    }

    /// Creates a finding with the catalogue severity of `code`.
    public init(_ code: DiagnosticCode, offset: Int, event: Int?, message: String) {
        self.init(code: code.rawValue, severity: code.severity, offset: offset, event: event, message: message)
    }
}

/// The diagnostics catalogue: every stable code and its severity.
public enum DiagnosticCode: String, Sendable, CaseIterable {
    case unterminatedEvent = "unterminated-event"
    case invalidUTF8 = "invalid-utf8"
    case unknownField = "unknown-field"
    case mixedLineEndings = "mixed-line-endings"
    case invalidJSON = "invalid-json"
    case jsonSplitAcrossEvents = "json-split-across-events"
    case errorEvent = "error-event"
    case missingTerminator = "missing-terminator"
    case dataAfterTerminator = "data-after-terminator"
    case eventOrder = "event-order"
    case eventTypeMismatch = "event-type-mismatch"
    case httpErrorStatus = "http-error-status"
    case unexpectedContentType = "unexpected-content-type"
    case truncated
    case clientDisconnected = "client-disconnected"
    case stall
    case slowFirstByte = "slow-first-byte"

    /// The catalogue severity.
    public var severity: Severity {
        switch self {
        case .unknownField, .mixedLineEndings, .dataAfterTerminator, .eventTypeMismatch, .unexpectedContentType, .stall:
            return .warning
        case .clientDisconnected, .slowFirstByte:
            return .info
        default:
            return .error
        }
    }
}

/// Thresholds for the timing diagnostics.
public struct DiagnosticOptions: Sendable, Hashable {
    /// A gap between chunks longer than this is a `stall` (seconds).
    public var stallSeconds: Double
    /// A first chunk later than this is a `slow-first-byte` (seconds).
    public var slowFirstByteSeconds: Double
    /// Creates options.
    public init(stallSeconds: Double = 5, slowFirstByteSeconds: Double = 10) {
        self.stallSeconds = stallSeconds; self.slowFirstByteSeconds = slowFirstByteSeconds
    }
}
