import NIOCore
import NIOHTTP1

/// What a client may send and how long it may take, shared by the record and replay servers. Each limit
/// is answered with its own status and the connection is closed after the answer:
///
/// | limit | default | answer |
/// |---|---|---|
/// | request target (path and query) | 8 KiB | 414 |
/// | request head (request line and header lines) | 64 KiB | 431 |
/// | header count | 256 | 431 |
/// | request body | 64 MiB | 413 |
/// | head not complete this long after its first byte | 10 s | 408 |
/// | body not complete this long after its head | 60 s | 408 |
/// | keep-alive connection idle between requests | 60 s | closed |
/// | open connections | 4096 | 503, `retry-after: 1` |
public struct ClientLimits: Sendable, Hashable {
    /// Longest request target (path and query) in bytes; longer gets 414.
    public var maxTarget: Int
    /// Largest request head (request line and headers) in bytes; larger gets 431 (NIO's decoder counts it).
    public var maxHeadBytes: Int
    /// Most header fields in one request; more gets 431.
    public var maxHeaderCount: Int
    /// Largest request body in bytes; larger gets 413.
    public var maxBody: Int
    /// How long a request head may take to arrive once its first byte did; then 408 and close.
    public var headerTimeout: TimeAmount
    /// How long a request body may take to arrive once its head did; then 408 (or a close, when the
    /// response already started) and close. 60 s lets the largest default body (64 MiB) through at about
    /// 9 Mbit/s and holds a connection place no longer than an idle keep-alive connection may.
    public var bodyTimeout: TimeAmount
    /// How long a connection may wait for its next request; then it is closed.
    public var idleTimeout: TimeAmount
    /// Most connections open at once; one more gets 503 with `retry-after: 1` and is closed.
    public var maxConnections: Int

    /// Creates limits; the defaults suit one developer's machine and a test suite's load.
    public init(maxTarget: Int = 8 << 10, maxHeadBytes: Int = 64 << 10, maxHeaderCount: Int = 256, maxBody: Int = 64 << 20,
                headerTimeout: TimeAmount = .seconds(10), bodyTimeout: TimeAmount = .seconds(60), idleTimeout: TimeAmount = .seconds(60),
                maxConnections: Int = 4096) {
        self.maxTarget = maxTarget; self.maxHeadBytes = maxHeadBytes; self.maxHeaderCount = maxHeaderCount
        self.maxBody = maxBody; self.headerTimeout = headerTimeout; self.bodyTimeout = bodyTimeout; self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
    }

    /// The head limits in the form NIO's request decoder enforces them (a field may use the whole head).
    var decoderLimits: NIOHTTPDecoderLimitConfiguration {
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderListSize = maxHeadBytes
        limits.maxHeaderFieldSize = maxHeadBytes
        limits.maxHeaderFieldCount = maxHeaderCount
        return limits
    }
}
