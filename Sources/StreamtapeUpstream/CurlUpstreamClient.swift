import StreamtapeCore

/// The recorder's upstream: libcurl (HTTPS, HTTP/2 where offered, system CA store, `HTTPS_PROXY`).
///
/// All transfers run on one curl multi handle driven by a dedicated thread, one easy handle per
/// exchange; nothing here ever runs on a NIO event loop.
public final class CurlUpstreamClient: UpstreamClient {
    /// Transfer options shared by every exchange.
    public struct Options: Sendable, Hashable {
        /// A PEM bundle to trust instead of the system CA store (`--upstream-ca`).
        public var caFile: String?
        /// Seconds allowed for connecting (TCP and TLS) before the exchange fails with upstream_error.
        public var connectTimeoutSeconds: Int
        /// Creates options.
        public init(caFile: String? = nil, connectTimeoutSeconds: Int = 30) {
            self.caFile = caFile; self.connectTimeoutSeconds = connectTimeoutSeconds
        }
    }

    private let engine: CurlEngine
    private let options: Options

    /// Creates a client with its own transfer thread.
    public init(options: Options = Options()) {
        self.options = options
        engine = CurlEngine()
    }

    /// Starts a transfer on the curl thread; the delegate is called there.
    public func start(_ request: UpstreamRequest, delegate: any UpstreamDelegate) -> any UpstreamTransfer {
        let transfer = CurlTransfer(request: request, options: options, delegate: delegate, engine: engine)
        engine.add(transfer)
        return transfer
    }

    /// Stops the transfer thread after aborting what is still running.
    public func shutdown() { engine.shutdown() }
}
