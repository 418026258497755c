import Foundation

/// One HTTP header as it travelled, name case and order kept.
public struct Header: Hashable, Sendable, Codable {
    /// The header name as sent.
    public var name: String
    /// The header value as sent (or its redacted form).
    public var value: String
    /// Creates a header.
    public init(_ name: String, _ value: String) { self.name = name; self.value = value }
}

extension Array where Element == Header {
    /// The first value of the named header, compared case-insensitively.
    public func value(for name: String) -> String? {
        first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// The request half of an exchange (already redacted when it comes from the recorder).
public struct CapturedRequest: Hashable, Sendable {
    /// HTTP method, e.g. `POST`.
    public var method: String
    /// Path and query as the client sent them, e.g. `/v1/chat/completions`.
    public var target: String
    /// Headers in order.
    public var headers: [Header]
    /// The request body bytes.
    public var body: [UInt8]
    /// Creates a request.
    public init(method: String, target: String, headers: [Header] = [], body: [UInt8] = []) {
        self.method = method; self.target = target; self.headers = headers; self.body = body
    }
}

/// The response head of an exchange.
public struct CapturedResponse: Hashable, Sendable {
    /// HTTP status code.
    public var status: Int
    /// Headers in order.
    public var headers: [Header]
    /// Nanoseconds from the exchange start at which the head arrived.
    public var offsetNs: UInt64
    /// Creates a response head.
    public init(status: Int, headers: [Header] = [], offsetNs: UInt64 = 0) {
        self.status = status; self.headers = headers; self.offsetNs = offsetNs
    }
}

/// One upstream read, byte-exact, with its monotonic offset from the start of the exchange.
public struct Chunk: Hashable, Sendable {
    /// Position of the chunk in the exchange, from 0.
    public var seq: Int
    /// Nanoseconds from the exchange start.
    public var offsetNs: UInt64
    /// The bytes as received.
    public var bytes: [UInt8]
    /// Creates a chunk.
    public init(seq: Int, offsetNs: UInt64, bytes: [UInt8]) { self.seq = seq; self.offsetNs = offsetNs; self.bytes = bytes }
}

/// How an exchange ended.
public enum EndState: String, Sendable, CaseIterable, Codable {
    case complete
    case clientDisconnected = "client_disconnected"
    case upstreamError = "upstream_error"
    case upstreamReset = "upstream_reset"
    case proxyError = "proxy_error"
    case interrupted
    /// Not ended yet: the exchange is still being recorded (stored as "recording").
    case inProgress = "recording"

    /// Whether the stream was cut short by a failure (the `truncated` diagnostic).
    public var isTruncation: Bool {
        switch self {
        case .upstreamReset, .upstreamError, .proxyError, .interrupted: return true
        default: return false
        }
    }
}

/// The end of an exchange: when, how, and the error text when there is one.
public struct ExchangeEnd: Hashable, Sendable {
    /// Nanoseconds from the exchange start.
    public var offsetNs: UInt64
    /// The end state.
    public var state: EndState
    /// Error text (libcurl's message, the reason for a proxy error), if any.
    public var error: String?
    /// Creates an end record.
    public init(offsetNs: UInt64, state: EndState, error: String? = nil) {
        self.offsetNs = offsetNs; self.state = state; self.error = error
    }
}

/// One recorded HTTP exchange: request, response head, chunks and end.
public struct Exchange: Hashable, Sendable {
    /// Archive id; nil before the exchange is stored.
    public var id: Int64?
    /// Wall-clock start, in milliseconds since 1970.
    public var startedMs: Int64
    /// The upstream base URL, e.g. `https://api.openai.com`.
    public var upstream: String
    /// The request.
    public var request: CapturedRequest
    /// The response head, nil when none arrived.
    public var response: CapturedResponse?
    /// The chunks in order.
    public var chunks: [Chunk]
    /// The end, nil while recording.
    public var end: ExchangeEnd?
    /// Tags given at record or import time.
    public var tags: [String]
    /// A free-text note.
    public var note: String?
    /// True when the chunk times were never recorded (an imported VCR cassette or HAR entry): the
    /// offsets are placeholders, and replay serves the exchange instantly unless told otherwise.
    public var timingUnknown: Bool

    /// Creates an exchange.
    public init(id: Int64? = nil, startedMs: Int64, upstream: String = "", request: CapturedRequest,
                response: CapturedResponse? = nil, chunks: [Chunk] = [], end: ExchangeEnd? = nil,
                tags: [String] = [], note: String? = nil, timingUnknown: Bool = false) {
        self.id = id; self.startedMs = startedMs; self.upstream = upstream; self.request = request
        self.response = response; self.chunks = chunks; self.end = end; self.tags = tags; self.note = note
        self.timingUnknown = timingUnknown
    }

    /// All chunk bytes joined: the response body.
    public var body: [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(chunks.reduce(0) { $0 + $1.bytes.count })
        for chunk in chunks { body.append(contentsOf: chunk.bytes) }
        return body
    }
}
