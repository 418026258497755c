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
    /// The stream ends inside an event.
    case unterminatedEvent = "unterminated-event"
    /// Bytes that are not UTF-8.
    case invalidUTF8 = "invalid-utf8"
    /// A line whose field is not event, data, id or retry.
    case unknownField = "unknown-field"
    /// CRLF, CR and LF mixed in one stream.
    case mixedLineEndings = "mixed-line-endings"
    /// Data expected to be JSON does not parse.
    case invalidJSON = "invalid-json"
    /// One JSON value cut over two or more events.
    case jsonSplitAcrossEvents = "json-split-across-events"
    /// An in-stream provider error.
    case errorEvent = "error-event"
    /// No end marker.
    case missingTerminator = "missing-terminator"
    /// Events after the end marker.
    case dataAfterTerminator = "data-after-terminator"
    /// Protocol order broken.
    case eventOrder = "event-order"
    /// The `event:` name differs from the JSON `type`.
    case eventTypeMismatch = "event-type-mismatch"
    /// A non-2xx response.
    case httpErrorStatus = "http-error-status"
    /// A streaming request answered without a streaming content type.
    case unexpectedContentType = "unexpected-content-type"
    /// The exchange ended in a failure state.
    case truncated
    /// The client hung up before the end.
    case clientDisconnected = "client-disconnected"
    /// A gap between chunks above the threshold.
    case stall
    /// Time to first chunk above the threshold.
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
