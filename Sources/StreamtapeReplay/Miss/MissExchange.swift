import StreamtapeCore

/// One forwarded miss as a pure state machine: events in, actions out (the replay handler executes them).
///
/// The request is complete when the miss is known (replay matches whole requests), so the machine
/// starts in "awaiting the upstream". Each upstream read is forwarded to the client first and recorded
/// second; the sink only ever sees redacted requests and responses, the upstream gets the real
/// credentials. A miss that ends `complete` is also handed back as an `Exchange` (`learn`) before the
/// client gets the end of the body, so a client that saw the whole answer finds it replayable at once.
struct MissExchange: Sendable {
    /// What happened; `at` is a monotonic time in ns, on the clock `start` was measured on.
    enum Event: Sendable {
        case upstreamHead(status: Int, headers: [Header], at: UInt64)
        case upstreamChunk([UInt8], at: UInt64)
        case upstreamEnd(UpstreamFailure?, at: UInt64)
        case clientClosed(at: UInt64)
        case clientWritable(Bool)
        /// The sink refused the exchange (the archive cannot be written): nothing is forwarded.
        case recordingRefused(String, at: UInt64)
    }

    /// What the handler must do, in order.
    enum Action: Sendable, Equatable {
        /// Open the exchange in the sink; on a throw, feed `recordingRefused`.
        case recordBegin(startedMs: Int64, upstream: String, request: CapturedRequest)
        case startUpstream(UpstreamRequest)
        case forwardHead(status: Int, headers: [Header])
        case forwardChunk([UInt8])
        case forwardEnd
        /// A complete response of streamtape's own (502 when the upstream failed, 503 when recording cannot).
        case respond(status: Int, json: String)
        /// Close without ending the body, so the client sees the cut the upstream made.
        case abortClient
        case recordResponse(CapturedResponse)
        case recordChunk(Chunk)
        case recordEnd(ExchangeEnd)
        case pauseUpstream
        case resumeUpstream
        case cancelUpstream
        /// Add the finished recording to what replay serves (its `id` is filled in by the handler).
        case learn(Exchange)
        /// The miss is over.
        case finished(ReplayMissReport)
    }

    private enum State: Equatable { case created, awaitingUpstream, streaming, finished }

    private var state = State.created
    private let start: UInt64
    private let outgoing: UpstreamRequest
    private var exchange: Exchange
    private let redaction: Redaction
    private var upstreamPaused = false
    private var clientWritable = true
    private var report: ReplayMissReport

    /// A miss for a whole request (as the client sent it, credentials included) received at `at`.
    init(method: String, target: String, headers: [Header], body: [UInt8], at: UInt64, wallMs: Int64,
         upstream: (baseURL: String, url: String), redaction: Redaction, tags: [String] = []) {
        start = at
        self.redaction = redaction
        outgoing = UpstreamRequest(url: upstream.url, method: method, headers: ForwardedHeaders.request(headers), body: body)
        let captured = redaction.request(CapturedRequest(method: method, target: target, headers: headers, body: body))
        exchange = Exchange(startedMs: wallMs, upstream: upstream.baseURL, request: captured, tags: tags)
        report = ReplayMissReport(id: nil, method: method, target: captured.target, status: nil, state: .recording,
                                  error: nil, replayable: false)
    }

    /// Whether the miss is over.
    var isFinished: Bool { state == .finished }

    /// Opens the recording and starts the transfer.
    mutating func begin() -> [Action] {
        guard state == .created else { return [] }
        state = .awaitingUpstream
        return [.recordBegin(startedMs: exchange.startedMs, upstream: exchange.upstream, request: exchange.request),
                .startUpstream(outgoing)] + (clientWritable ? [] : [Action.pauseUpstream])
    }

    /// Feeds one event and returns what to do, in order.
    mutating func handle(_ event: Event) -> [Action] {
        switch (state, event) {
        case (.awaitingUpstream, .upstreamHead(let status, let headers, let at)):
            state = .streaming
            report.status = status
            let response = redaction.response(CapturedResponse(status: status, headers: headers, offsetNs: offset(at)))
            exchange.response = response
            return [.forwardHead(status: status, headers: ForwardedHeaders.response(headers)), .recordResponse(response)]
        case (.streaming, .upstreamChunk(let bytes, let at)):
            let chunk = Chunk(seq: exchange.chunks.count, offsetNs: offset(at), bytes: bytes)
            exchange.chunks.append(chunk)
            return [.forwardChunk(bytes), .recordChunk(chunk)]
        case (.streaming, .upstreamEnd(nil, let at)):
            let end = ExchangeEnd(offsetNs: offset(at), state: .complete)
            exchange.end = end
            report.replayable = true
            return [.recordEnd(end), .learn(exchange), .forwardEnd] + finish(end)
        case (.streaming, .upstreamEnd(let failure?, let at)):
            return [.abortClient] + ending(at, .upstreamReset, failure.message)
        case (.awaitingUpstream, .upstreamEnd(let failure, let at)):
            let message = failure?.message ?? "the upstream closed without sending a response"
            return [.respond(status: 502, json: Self.errorJSON("streamtape_upstream_error", message))]
                + ending(at, .upstreamError, message)
        case (.awaitingUpstream, .clientClosed(let at)), (.streaming, .clientClosed(let at)):
            return [.cancelUpstream] + ending(at, .clientDisconnected, "the client closed the connection")
        case (.awaitingUpstream, .recordingRefused(let message, let at)), (.created, .recordingRefused(let message, let at)):
            // Nothing was opened in the sink, so nothing is ended there; nothing unrecorded is proxied.
            state = .finished
            report.state = .proxyError
            report.error = message
            _ = at
            return [.cancelUpstream,
                    .respond(status: 503, json: Self.errorJSON("streamtape_archive_error", "streamtape cannot record the miss: \(message)")),
                    .finished(report)]
        case (.created, .clientWritable(let writable)):
            clientWritable = writable
            return []
        case (.awaitingUpstream, .clientWritable(let writable)), (.streaming, .clientWritable(let writable)):
            clientWritable = writable
            if !writable, !upstreamPaused { upstreamPaused = true; return [.pauseUpstream] }
            if writable, upstreamPaused { upstreamPaused = false; return [.resumeUpstream] }
            return []
        default:
            // Late upstream events after the end, a second close: ignored.
            return []
        }
    }

    private mutating func ending(_ at: UInt64, _ endState: EndState, _ error: String) -> [Action] {
        let end = ExchangeEnd(offsetNs: offset(at), state: endState, error: error)
        exchange.end = end
        return [.recordEnd(end)] + finish(end)
    }

    private mutating func finish(_ end: ExchangeEnd) -> [Action] {
        state = .finished
        report.state = end.state
        report.error = end.error
        return [.finished(report)]
    }

    private func offset(_ at: UInt64) -> UInt64 { at >= start ? at - start : 0 }

    /// `{"error":{"type":…,"message":…}}` with the message JSON-escaped.
    static func errorJSON(_ type: String, _ message: String) -> String {
        "{\"error\":{\"type\":\(ReplayJSON.string(type).canonical),\"message\":\(ReplayJSON.string(message).canonical)}}"
    }
}
