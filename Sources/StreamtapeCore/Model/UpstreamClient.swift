/// The seam between the recorder and the HTTP client that talks to the provider.
///
/// The recorder (NIO) never sees libcurl: it hands an `UpstreamRequest` to an `UpstreamClient` and gets
/// the response back through an `UpstreamDelegate`, on the client's own thread. Tests substitute a fake.
public protocol UpstreamClient: Sendable {
    /// Starts one transfer; the delegate hears head, chunks and end, in that order, exactly once each end.
    func start(_ request: UpstreamRequest, delegate: any UpstreamDelegate) -> any UpstreamTransfer
}

/// A running upstream transfer, controlled from any thread.
public protocol UpstreamTransfer: Sendable {
    /// Stops reading from the upstream (backpressure); the client's receive window fills up.
    func pause()
    /// Reads again after `pause()`.
    func resume()
    /// Aborts the transfer; the delegate hears nothing more after this returns.
    func cancel()
}

/// Receives one transfer's response; called on the client's thread, in order, never concurrently.
public protocol UpstreamDelegate: AnyObject, Sendable {
    /// The final response head arrived (interim 1xx heads are not reported).
    func upstreamHead(status: Int, headers: [Header])
    /// One read of body bytes, as received.
    func upstreamChunk(_ bytes: [UInt8])
    /// The transfer ended: nil when the body completed, else why it failed.
    func upstreamEnd(_ failure: UpstreamFailure?)
}

/// What the recorder asks the upstream for.
public struct UpstreamRequest: Sendable, Hashable {
    /// The absolute URL: upstream base plus the request target.
    public var url: String
    /// HTTP method.
    public var method: String
    /// Headers to send, already filtered (no hop-by-hop headers, no Host, no Content-Length).
    public var headers: [Header]
    /// The request body.
    public var body: [UInt8]
    /// Creates a request.
    public init(url: String, method: String, headers: [Header], body: [UInt8]) {
        self.url = url; self.method = method; self.headers = headers; self.body = body
    }
}

/// Why an upstream transfer failed, in the client library's words.
public struct UpstreamFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The error text (for libcurl: its error buffer, else `curl_easy_strerror`).
    public var message: String
    /// Creates a failure.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
