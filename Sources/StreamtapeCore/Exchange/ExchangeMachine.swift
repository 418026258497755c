/// One recorded exchange as a pure state machine: events in, actions out.
///
/// The NIO handler feeds it what happens (the request arriving, the upstream's head, chunks and end,
/// the client going away or filling up) and executes the actions it returns, in order. The machine
/// never touches a socket, a clock or the archive, so every end state is tested without I/O.
///
/// States: receiving the request → waiting for the upstream's head → streaming → finished. A client
/// that hangs up right after the stream's end marker (the openai SDK does, before the upstream's last
/// empty chunk) had the whole answer: the exchange goes on to record the upstream's end without a
/// client (`upstreamAfterClient`) and ends `complete`.
/// Every path to `finished` emits exactly one `recordEnd` (once recording began) and one `finished`.
public struct ExchangeMachine: Sendable {
    /// What happened; `at` is a monotonic time in ns (same clock for all events of one exchange).
    public enum Event: Sendable {
        case requestHead(method: String, target: String, headers: [Header], at: UInt64, wallMs: Int64)
        case requestBody([UInt8])
        case requestEnd
        case upstreamHead(status: Int, headers: [Header], at: UInt64)
        case upstreamChunk([UInt8], at: UInt64)
        case upstreamEnd(UpstreamFailure?, at: UInt64)
        case clientClosed(at: UInt64)
        /// streamtape refused the request still arriving (a client limit, such as the body timeout) and
        /// closes the connection: the close that follows is streamtape's, for this reason.
        case requestRefused(String)
        case clientWritable(Bool)
        /// The recorder is stopping and ends what is still in flight, for this reason.
        case interrupt(at: UInt64, StopReason)
        /// The sink refused the exchange (the archive cannot be written).
        case recordingFailed(String, at: UInt64)
    }

    /// What the handler must do.
    public enum Action: Sendable, Equatable {
        /// Open the exchange in the sink (`CaptureSink.begin`).
        case recordBegin(startedMs: Int64, upstream: String, request: CapturedRequest)
        /// Start the upstream transfer.
        case startUpstream(UpstreamRequest)
        /// Send the response head to the client.
        case forwardHead(status: Int, headers: [Header])
        /// Write and flush body bytes to the client.
        case forwardChunk([UInt8])
        /// Terminate the response body cleanly (the last chunk).
        case forwardEnd
        /// Answer with a complete response of streamtape's own (502/503/404 with a JSON body).
        case respond(status: Int, json: String)
        /// Close the client connection without terminating the body, so the client sees a cut stream.
        case abortClient
        /// Close the client connection now (it is gone, or the recorder stops).
        case closeClient
        case recordResponse(CapturedResponse)
        case recordChunk(Chunk)
        case recordEnd(ExchangeEnd)
        case cancelUpstream
        /// The exchange is over; the report is for the log line.
        case finished(ExchangeReport)
    }

    private enum State: Equatable { case idle, receivingRequest, awaitingUpstream, streaming, upstreamAfterClient, finished }
    /// Why streamtape refused the request still arriving, when it did.
    private var refusal: String?

    private let resolve: @Sendable (String) -> (baseURL: String, url: String)?
    private let redaction: Redaction
    private let maxRequestBody: Int
    private let completesWhenClientHasWholeBody: Bool
    private var state = State.idle
    private var start: UInt64 = 0
    private var method = ""
    private var target = ""
    private var headers: [Header] = []
    private var body: [UInt8] = []
    private var wallMs: Int64 = 0
    private var began = false
    private var clientWritable = true
    private var declaredLength: Int?
    private var report = ExchangeReport()
    private var counter = EventCounter(contentType: nil)

    /// Events (or NDJSON lines) seen in the response so far, for the live status line.
    public var eventsSoFar: Int { counter.count }

    /// Creates a machine for one exchange; `resolve` gives the upstream base URL and the URL to fetch for a
    /// request target (nil answers 404); request bodies over `maxRequestBody` bytes get a 413. With
    /// `completesWhenClientHasWholeBody`, a client that hangs up after the whole Content-Length body ends
    /// the exchange `complete` (the recorder); without, only the upstream's end does (a replay miss).
    public init(resolve: @escaping @Sendable (String) -> (baseURL: String, url: String)?, redaction: Redaction,
                maxRequestBody: Int = 64 << 20, completesWhenClientHasWholeBody: Bool = true) {
        self.resolve = resolve
        self.completesWhenClientHasWholeBody = completesWhenClientHasWholeBody
        self.redaction = redaction
        self.maxRequestBody = maxRequestBody
    }

    /// Whether the exchange is over.
    public var isFinished: Bool { state == .finished }

    /// Feeds one event and returns what to do, in order.
    public mutating func handle(_ event: Event) -> [Action] {
        switch (state, event) {
        case (.idle, .requestHead(let m, let t, let h, let at, let wall)):
            state = .receivingRequest
            method = m; target = t; headers = h; start = at; wallMs = wall
            report.method = m; report.target = redaction.target(t)
            return []
        case (.receivingRequest, .requestBody(let bytes)):
            guard body.count + bytes.count <= maxRequestBody else {
                state = .finished
                body = []
                report.state = .proxyError
                report.error = "request body over \(maxRequestBody) bytes"
                return [.respond(status: 413, json: Self.errorJSON("streamtape_request_too_large", "the request body is over \(maxRequestBody) bytes")),
                        .abortClient, .finished(report)]
            }
            body.append(contentsOf: bytes)
            return []
        case (.receivingRequest, .requestEnd):
            return requestComplete()

        case (.awaitingUpstream, .upstreamHead(let status, let h, let at)):
            state = .streaming
            report.status = status
            report.ttfbNs = offset(at)
            counter = EventCounter(contentType: h.value(for: "content-type"))
            declaredLength = h.value(for: "transfer-encoding") == nil ? h.value(for: "content-length").flatMap { Int($0) } : nil
            return [.recordResponse(redaction.response(CapturedResponse(status: status, headers: h, offsetNs: offset(at)))),
                    .forwardHead(status: status, headers: ForwardedHeaders.response(h))]
        case (.streaming, .upstreamChunk(let bytes, let at)):
            return [.forwardChunk(bytes), record(bytes, at)]
        case (.upstreamAfterClient, .upstreamChunk(let bytes, let at)):
            return [record(bytes, at)]
        case (.streaming, .upstreamEnd(nil, let at)):
            return finish(at, .complete, nil, [.forwardEnd])
        case (.upstreamAfterClient, .upstreamEnd(nil, let at)):
            return finish(at, .complete, nil, [])
        case (.streaming, .upstreamEnd(let failure?, let at)):
            return finish(at, .upstreamReset, failure.message, [.abortClient])
        case (.upstreamAfterClient, .upstreamEnd(let failure?, let at)):
            return finish(at, .upstreamReset, failure.message, [])
        case (.awaitingUpstream, .upstreamEnd(let failure, let at)):
            let message = failure?.message ?? "the upstream closed without sending a response"
            return finish(at, .upstreamError, message, [.respond(status: 502, json: Self.errorJSON("streamtape_upstream_error", message))])

        case (.streaming, .clientClosed(let at)) where completesWhenClientHasWholeBody && declaredLength.map { report.bytes >= $0 } == true:
            // The client had the whole Content-Length body and hung up before libcurl reported the end.
            return finish(at, .complete, nil, [.cancelUpstream])
        case (.streaming, .clientClosed) where completesWhenClientHasWholeBody && clientWritable && counter.endsWithTerminator(target: target):
            // The client had the end marker (its socket was not backed up, so the upstream is not paused)
            // and left before the upstream's end: the rest of the transfer is still recorded, then `complete`.
            state = .upstreamAfterClient
            return []
        case (.receivingRequest, .requestRefused(let reason)):
            refusal = reason
            return []
        case (.receivingRequest, .clientClosed(let at)),
             (.awaitingUpstream, .clientClosed(let at)),
             (.streaming, .clientClosed(let at)):
            let cancel: [Action] = state == .receivingRequest ? [] : [.cancelUpstream]
            return finish(at, .clientDisconnected, refusal.map { "streamtape closed the connection: \($0)" } ?? "the client closed the connection", cancel)

        case (.receivingRequest, .clientWritable(let writable)), (.awaitingUpstream, .clientWritable(let writable)),
             (.streaming, .clientWritable(let writable)):
            // Only remembered: whether the upstream pauses is the forwarding session's gate's call.
            clientWritable = writable
            return []

        case (.receivingRequest, .interrupt(let at, _)):
            return finish(at, .interrupted, "streamtape stopped before the request was complete", [.closeClient])
        case (.awaitingUpstream, .interrupt(let at, let reason)):
            return finish(at, .interrupted, "\(reason.text) before the upstream answered",
                          [.cancelUpstream, .respond(status: 503, json: Self.errorJSON("streamtape_shutting_down", "streamtape is shutting down"))])
        case (.streaming, .interrupt(let at, let reason)):
            return finish(at, .interrupted, "\(reason.text) before the stream ended", [.cancelUpstream, .abortClient])
        case (.upstreamAfterClient, .interrupt(let at, let reason)):
            return finish(at, .interrupted, "\(reason.text) before the upstream's end (the client had left after the end marker)", [.cancelUpstream])

        case (_, .recordingFailed(let message, let at)) where state != .finished && state != .idle:
            began = false   // nothing to end in a sink that failed
            let cancel: [Action] = state == .receivingRequest ? [] : [.cancelUpstream]
            let reply: [Action] = state == .upstreamAfterClient ? [] : state == .streaming ? [.abortClient]
                : [.respond(status: 503, json: Self.errorJSON("streamtape_archive_error", "streamtape cannot record: \(message)"))]
            return finish(at, .proxyError, message, cancel + reply)

        default:
            // Late upstream events after the end, writability changes after the end, a second close: ignored.
            return []
        }
    }

    private mutating func requestComplete() -> [Action] {
        guard let (base, url) = resolve(target) else {
            state = .finished
            report.state = .proxyError
            report.error = "no upstream route for \(report.target)"
            return [.respond(status: 404, json: Self.errorJSON("streamtape_no_route", "no upstream is configured for \(report.target)")),
                    .finished(report)]
        }
        state = .awaitingUpstream
        began = true
        report.upstream = base
        let captured = redaction.request(CapturedRequest(method: method, target: target, headers: headers, body: body))
        let outgoing = UpstreamRequest(url: url, method: method, headers: ForwardedHeaders.request(headers), body: body)
        body = []
        return [.recordBegin(startedMs: wallMs, upstream: base, request: captured), .startUpstream(outgoing)]
    }

    /// Counts and records one upstream read.
    private mutating func record(_ bytes: [UInt8], _ at: UInt64) -> Action {
        let chunk = Chunk(seq: report.chunks, offsetNs: offset(at), bytes: bytes)
        report.chunks += 1
        report.bytes += bytes.count
        counter.feed(bytes)
        return .recordChunk(chunk)
    }

    private mutating func finish(_ at: UInt64, _ endState: EndState, _ error: String?, _ first: [Action]) -> [Action] {
        let end = ExchangeEnd(offsetNs: offset(at), state: endState, error: error)
        var actions = first
        if began { actions.append(.recordEnd(end)) }
        counter.finish()
        state = .finished
        report.state = endState
        report.error = error
        report.durationNs = end.offsetNs
        report.events = counter.count
        actions.append(.finished(report))
        return actions
    }

    private func offset(_ at: UInt64) -> UInt64 { at >= start ? at - start : 0 }

    /// `{"error":{"type":…,"message":…}}` with the message JSON-escaped.
    public static func errorJSON(_ type: String, _ message: String) -> String {
        "{\"error\":{\"type\":\(JSONText.quote(type)),\"message\":\(JSONText.quote(message))}}"
    }
}
