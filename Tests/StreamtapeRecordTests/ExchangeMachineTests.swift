import StreamtapeForwarding
@testable import StreamtapeRecord
import StreamtapeCore
import Testing

/// The exchange state machine driven directly: every end state, without sockets or clocks.
@Suite struct ExchangeMachineTests {
    static let t0: UInt64 = 1_000_000_000
    static let sse = [Header("content-type", "text/event-stream"), Header("transfer-encoding", "chunked"), Header("connection", "keep-alive")]

    func machine() throws -> ExchangeMachine {
        var routes = UpstreamRoutes()
        try routes.add("https://api.example.com/base")
        return ExchangeMachine(routes: routes, redaction: try Redaction())
    }

    /// Feeds the request and returns the machine plus the actions of the request end.
    func started(headers: [Header] = [Header("Host", "127.0.0.1:8787"), Header("Authorization", "Bearer sk-1")],
                 target: String = "/v1/chat/completions?key=k1") throws -> (ExchangeMachine, [ExchangeMachine.Action]) {
        var m = try machine()
        #expect(m.handle(.requestHead(method: "POST", target: target, headers: headers, at: Self.t0, wallMs: 42)) == [])
        #expect(m.handle(.requestBody(Array("{\"stream\":".utf8))) == [])
        #expect(m.handle(.requestBody(Array("true}".utf8))) == [])
        let actions = m.handle(.requestEnd)
        return (m, actions)
    }

    @Test func theRequestIsRecordedRedactedAndForwardedWithTheRealCredential() throws {
        let headers = [Header("Host", "127.0.0.1:8787"), Header("Authorization", "Bearer sk-1"), Header("Connection", "keep-alive, X-Hop"),
                       Header("X-Hop", "1"), Header("Accept-Encoding", "gzip"), Header("Content-Length", "14"), Header("Accept", "text/event-stream")]
        let (_, actions) = try started(headers: headers)
        let body = Array("{\"stream\":true}".utf8)
        #expect(actions == [
            .recordBegin(startedMs: 42, upstream: "https://api.example.com/base", request: CapturedRequest(
                method: "POST", target: "/v1/chat/completions?key=" + Redaction.fingerprint("k1"),
                headers: [Header("Host", "127.0.0.1:8787"), Header("Authorization", "Bearer " + Redaction.fingerprint("sk-1")),
                          Header("Connection", "keep-alive, X-Hop"), Header("X-Hop", "1"), Header("Accept-Encoding", "gzip"),
                          Header("Content-Length", "14"), Header("Accept", "text/event-stream")],
                body: body)),
            .startUpstream(UpstreamRequest(
                url: "https://api.example.com/base/v1/chat/completions?key=k1", method: "POST",
                headers: [Header("Authorization", "Bearer sk-1"), Header("Accept", "text/event-stream"), Header("Accept-Encoding", "identity")],
                body: body)),
        ])
    }

    @Test func aCompleteStreamIsForwardedChunkByChunkAndRecordedWithOffsets() throws {
        var (m, _) = try started()
        #expect(m.handle(.upstreamHead(status: 200, headers: Self.sse, at: Self.t0 + 100)) == [
            .recordResponse(CapturedResponse(status: 200, headers: Self.sse, offsetNs: 100)),
            .forwardHead(status: 200, headers: [Header("content-type", "text/event-stream")]),
        ])
        #expect(m.handle(.upstreamChunk(Array("data: a\n".utf8), at: Self.t0 + 250)) == [
            .forwardChunk(Array("data: a\n".utf8)), .recordChunk(Chunk(seq: 0, offsetNs: 250, bytes: Array("data: a\n".utf8))),
        ])
        #expect(m.handle(.upstreamChunk(Array("\ndata: b\n\n".utf8), at: Self.t0 + 900)) == [
            .forwardChunk(Array("\ndata: b\n\n".utf8)), .recordChunk(Chunk(seq: 1, offsetNs: 900, bytes: Array("\ndata: b\n\n".utf8))),
        ])
        var report = ExchangeReport()
        report.method = "POST"; report.target = "/v1/chat/completions?key=" + Redaction.fingerprint("k1")
        report.upstream = "https://api.example.com/base"; report.status = 200; report.state = .complete
        report.events = 2; report.chunks = 2; report.bytes = 18; report.ttfbNs = 100; report.durationNs = 1000
        #expect(m.handle(.upstreamEnd(nil, at: Self.t0 + 1000)) == [
            .forwardEnd, .recordEnd(ExchangeEnd(offsetNs: 1000, state: .complete)), .finished(report),
        ])
        #expect(m.isFinished)
        #expect(m.handle(.upstreamChunk([1], at: Self.t0 + 2000)) == [])
        #expect(m.handle(.clientClosed(at: Self.t0 + 2000)) == [])
    }

    @Test func anUpstreamThatDiesMidStreamCutsTheClientAndIsRecordedAsReset() throws {
        var (m, _) = try started()
        _ = m.handle(.upstreamHead(status: 200, headers: Self.sse, at: Self.t0 + 1))
        _ = m.handle(.upstreamChunk([1, 2], at: Self.t0 + 2))
        let actions = m.handle(.upstreamEnd(UpstreamFailure("Recv failure: Connection reset by peer"), at: Self.t0 + 3))
        #expect(Array(actions.prefix(2)) == [
            .abortClient, .recordEnd(ExchangeEnd(offsetNs: 3, state: .upstreamReset, error: "Recv failure: Connection reset by peer")),
        ])
        guard case .finished(let report) = actions.last else { Issue.record("no finish"); return }
        #expect(report.state == .upstreamReset)
    }

    @Test func anUnreachableUpstreamGetsA502WithAJSONErrorAndIsRecordedAsUpstreamError() throws {
        var (m, _) = try started()
        let actions = m.handle(.upstreamEnd(UpstreamFailure("Could not resolve host: \"x\""), at: Self.t0 + 7))
        #expect(Array(actions.prefix(2)) == [
            .respond(status: 502, json: #"{"error":{"type":"streamtape_upstream_error","message":"Could not resolve host: \"x\""}}"#),
            .recordEnd(ExchangeEnd(offsetNs: 7, state: .upstreamError, error: "Could not resolve host: \"x\"")),
        ])
    }

    @Test func aClientThatLeavesMidStreamCancelsTheUpstream() throws {
        var (m, _) = try started()
        _ = m.handle(.upstreamHead(status: 200, headers: Self.sse, at: Self.t0 + 1))
        let actions = m.handle(.clientClosed(at: Self.t0 + 5))
        #expect(Array(actions.prefix(2)) == [
            .cancelUpstream, .recordEnd(ExchangeEnd(offsetNs: 5, state: .clientDisconnected, error: "the client closed the connection")),
        ])
        #expect(m.handle(.upstreamEnd(UpstreamFailure("late"), at: Self.t0 + 6)) == [])
    }

    @Test func aRequestRefusedMidBodyEndsWithStreamtapesReasonNotTheClients() throws {
        var m = try machine()
        _ = m.handle(.requestHead(method: "POST", target: "/v1/chat/completions", headers: [], at: Self.t0, wallMs: 42))
        _ = m.handle(.requestBody(Array("{\"stream\":".utf8)))
        #expect(m.handle(.requestRefused("the request body did not arrive within 1000 ms")) == [])
        var report = ExchangeReport()
        report.method = "POST"; report.target = "/v1/chat/completions"; report.state = .clientDisconnected
        report.error = "streamtape closed the connection: the request body did not arrive within 1000 ms"; report.durationNs = 9
        // Nothing was begun in the sink, so nothing is recorded: only the log line's report.
        #expect(m.handle(.clientClosed(at: Self.t0 + 9)) == [.finished(report)])
        #expect(m.handle(.requestRefused("late")) == [])
    }

    @Test func aClientThatLeavesAfterTheWholeContentLengthBodyIsComplete() throws {
        var (m, _) = try started()
        _ = m.handle(.upstreamHead(status: 404, headers: [Header("content-length", "3")], at: Self.t0 + 1))
        _ = m.handle(.upstreamChunk([1, 2, 3], at: Self.t0 + 2))
        #expect(Array(m.handle(.clientClosed(at: Self.t0 + 5)).prefix(2)) == [
            .cancelUpstream, .recordEnd(ExchangeEnd(offsetNs: 5, state: .complete, error: nil)),
        ])
    }

    @Test func aClientThatLeavesBeforeTheContentLengthBodyEndedIsDisconnected() throws {
        var (m, _) = try started()
        _ = m.handle(.upstreamHead(status: 200, headers: [Header("content-length", "3")], at: Self.t0 + 1))
        _ = m.handle(.upstreamChunk([1, 2], at: Self.t0 + 2))
        #expect(Array(m.handle(.clientClosed(at: Self.t0 + 5)).prefix(2)) == [
            .cancelUpstream, .recordEnd(ExchangeEnd(offsetNs: 5, state: .clientDisconnected, error: "the client closed the connection")),
        ])
    }

    static let done = Array("data: [DONE]\n\n".utf8)
    static let delta = Array("data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\n".utf8)

    @Test func aClientThatLeavesAfterDoneBeforeTheUpstreamEndIsCompleteAndTheRestIsStillRecorded() throws {
        var (m, _) = try started()
        _ = m.handle(.upstreamHead(status: 200, headers: Self.sse, at: Self.t0 + 1))
        _ = m.handle(.upstreamChunk(Self.delta, at: Self.t0 + 2))
        _ = m.handle(.upstreamChunk(Self.done, at: Self.t0 + 3))
        #expect(m.handle(.clientClosed(at: Self.t0 + 4)) == [])
        #expect(!m.isFinished)
        // What the upstream sends after the client left is recorded, not forwarded.
        #expect(m.handle(.upstreamChunk(Array(": bye\n\n".utf8), at: Self.t0 + 5)) == [
            .recordChunk(Chunk(seq: 2, offsetNs: 5, bytes: Array(": bye\n\n".utf8))),
        ])
        #expect(m.handle(.clientWritable(false)) == [])
        let actions = m.handle(.upstreamEnd(nil, at: Self.t0 + 6))
        #expect(actions.first == .recordEnd(ExchangeEnd(offsetNs: 6, state: .complete, error: nil)))
        guard actions.count == 2, case .finished(let report) = actions.last else { Issue.record("no finish: \(actions)"); return }
        #expect(report.state == .complete)
        #expect(report.events == 2)
        #expect(report.chunks == 3)
        #expect(m.handle(.clientClosed(at: Self.t0 + 7)) == [])
    }

    @Test func aDoneSplitByteByByteCountsAsReceived() throws {
        var (m, _) = try started()
        _ = m.handle(.upstreamHead(status: 200, headers: Self.sse, at: Self.t0 + 1))
        _ = m.handle(.upstreamChunk(Self.delta, at: Self.t0 + 2))
        for byte in Array("data: [DONE]\r\n\r\n".utf8) { _ = m.handle(.upstreamChunk([byte], at: Self.t0 + 3)) }
        #expect(m.handle(.clientClosed(at: Self.t0 + 4)) == [])
    }

    @Test func aClientWithABackedUpSocketThatLeavesAfterDoneIsDisconnected() throws {
        var (m, _) = try started()
        _ = m.handle(.upstreamHead(status: 200, headers: Self.sse, at: Self.t0 + 1))
        _ = m.handle(.upstreamChunk(Self.done, at: Self.t0 + 2))
        #expect(m.handle(.clientWritable(false)) == [])
        // Its socket was full: the marker may never have reached it.
        #expect(Array(m.handle(.clientClosed(at: Self.t0 + 3)).prefix(2)) == [
            .cancelUpstream, .recordEnd(ExchangeEnd(offsetNs: 3, state: .clientDisconnected, error: "the client closed the connection")),
        ])
    }

    @Test func aClientThatLeavesBeforeDoneIsDisconnected() throws {
        var (m, _) = try started()
        _ = m.handle(.upstreamHead(status: 200, headers: Self.sse, at: Self.t0 + 1))
        _ = m.handle(.upstreamChunk(Self.delta, at: Self.t0 + 2))
        _ = m.handle(.upstreamChunk(Array("data: [DO".utf8), at: Self.t0 + 3))
        #expect(Array(m.handle(.clientClosed(at: Self.t0 + 4)).prefix(2)) == [
            .cancelUpstream, .recordEnd(ExchangeEnd(offsetNs: 4, state: .clientDisconnected, error: "the client closed the connection")),
        ])
    }

    @Test func anUpstreamThatFailsAfterTheClientLeftWithDoneIsRecordedAsReset() throws {
        var (m, _) = try started()
        _ = m.handle(.upstreamHead(status: 200, headers: Self.sse, at: Self.t0 + 1))
        _ = m.handle(.upstreamChunk(Self.done, at: Self.t0 + 2))
        _ = m.handle(.clientClosed(at: Self.t0 + 3))
        #expect(Array(m.handle(.upstreamEnd(UpstreamFailure("Recv failure"), at: Self.t0 + 4)).prefix(1)) == [
            .recordEnd(ExchangeEnd(offsetNs: 4, state: .upstreamReset, error: "Recv failure")),
        ])
    }

    @Test func aStopOrAnArchiveFailureAfterTheClientLeftWithDoneCancelsTheUpstreamAndAnswersNoOne() throws {
        var (m, _) = try started()
        _ = m.handle(.upstreamHead(status: 200, headers: Self.sse, at: Self.t0 + 1))
        _ = m.handle(.upstreamChunk(Self.done, at: Self.t0 + 2))
        _ = m.handle(.clientClosed(at: Self.t0 + 3))
        #expect(Array(m.handle(.interrupt(at: Self.t0 + 4, .drainTimeRanOut)).prefix(2)) == [
            .cancelUpstream, .recordEnd(ExchangeEnd(offsetNs: 4, state: .interrupted,
                                                    error: "streamtape was stopped and its drain time ran out before the upstream's end (the client had left after the end marker)")),
        ])
        var (n, _) = try started()
        _ = n.handle(.upstreamHead(status: 200, headers: Self.sse, at: Self.t0 + 1))
        _ = n.handle(.upstreamChunk(Self.done, at: Self.t0 + 2))
        _ = n.handle(.clientClosed(at: Self.t0 + 3))
        let actions = n.handle(.recordingFailed("disk full", at: Self.t0 + 4))
        #expect(actions.first == .cancelUpstream)
        #expect(actions.count == 2)   // the cancel and the finish: no answer, no recordEnd
    }

    @Test func aClientThatLeavesBeforeTheHeadAlsoCancels() throws {
        var (m, _) = try started()
        #expect(Array(m.handle(.clientClosed(at: Self.t0 + 5)).prefix(2)) == [
            .cancelUpstream, .recordEnd(ExchangeEnd(offsetNs: 5, state: .clientDisconnected, error: "the client closed the connection")),
        ])
    }

    @Test func aClientThatLeavesDuringItsRequestLeavesNoRecord() throws {
        var m = try machine()
        _ = m.handle(.requestHead(method: "POST", target: "/", headers: [], at: Self.t0, wallMs: 0))
        let actions = m.handle(.clientClosed(at: Self.t0 + 1))
        #expect(actions.count == 1)
        guard case .finished(let report) = actions.first else { Issue.record("no finish"); return }
        #expect(report.state == .clientDisconnected)
    }

    /// Pausing is the forwarding session's gate's decision alone (`BackpressureGate`), not the machine's.
    @Test func aFullClientLeavesPausingToTheGate() throws {
        var (m, _) = try started()
        _ = m.handle(.upstreamHead(status: 200, headers: Self.sse, at: Self.t0 + 1))
        #expect(m.handle(.clientWritable(false)) == [])
        #expect(m.handle(.clientWritable(true)) == [])
    }

    @Test func theDrainDeadlineEndsAStreamAsInterrupted() throws {
        var (m, _) = try started()
        _ = m.handle(.upstreamHead(status: 200, headers: Self.sse, at: Self.t0 + 1))
        #expect(Array(m.handle(.interrupt(at: Self.t0 + 9, .drainTimeRanOut)).prefix(3)) == [
            .cancelUpstream, .abortClient, .recordEnd(ExchangeEnd(offsetNs: 9, state: .interrupted,
                                                                  error: "streamtape was stopped and its drain time ran out before the stream ended")),
        ])
    }

    @Test func aSecondStopSignalSaysSoAndNotThatTheDrainTimeRanOut() throws {
        var (m, _) = try started()
        _ = m.handle(.upstreamHead(status: 200, headers: Self.sse, at: Self.t0 + 1))
        #expect(Array(m.handle(.interrupt(at: Self.t0 + 9, .stoppedAtOnce)).prefix(3)) == [
            .cancelUpstream, .abortClient, .recordEnd(ExchangeEnd(offsetNs: 9, state: .interrupted,
                                                                  error: "streamtape was stopped at once by a second stop signal before the stream ended")),
        ])
        var (n, _) = try started()
        #expect(Array(n.handle(.interrupt(at: Self.t0 + 9, .stoppedAtOnce)).prefix(3)) == [
            .cancelUpstream, .respond(status: 503, json: #"{"error":{"type":"streamtape_shutting_down","message":"streamtape is shutting down"}}"#),
            .recordEnd(ExchangeEnd(offsetNs: 9, state: .interrupted, error: "streamtape was stopped at once by a second stop signal before the upstream answered")),
        ])
    }

    @Test func anArchiveFailureAnswers503AndWritesNothingMore() throws {
        var m = try machine()
        _ = m.handle(.requestHead(method: "GET", target: "/", headers: [], at: Self.t0, wallMs: 0))
        _ = m.handle(.requestEnd)
        let actions = m.handle(.recordingFailed("disk full", at: Self.t0 + 1))
        #expect(Array(actions.prefix(2)) == [
            .cancelUpstream,
            .respond(status: 503, json: #"{"error":{"type":"streamtape_archive_error","message":"streamtape cannot record: disk full"}}"#),
        ])
        #expect(actions.count == 3)   // no recordEnd: the sink failed
    }

    @Test func aPathWithoutARouteGets404AndNoRecord() throws {
        var routes = UpstreamRoutes()
        try routes.add("/openai=openai")
        var m = ExchangeMachine(routes: routes, redaction: try Redaction())
        _ = m.handle(.requestHead(method: "GET", target: "/nope", headers: [], at: Self.t0, wallMs: 0))
        let actions = m.handle(.requestEnd)
        #expect(actions.first == .respond(status: 404, json: #"{"error":{"type":"streamtape_no_route","message":"no upstream is configured for /nope"}}"#))
        #expect(actions.count == 2)
    }

    @Test func setCookieInTheResponseIsRedactedInTheRecordButForwarded() throws {
        var (m, _) = try started()
        let headers = [Header("set-cookie", "s=secret")]
        #expect(m.handle(.upstreamHead(status: 200, headers: headers, at: Self.t0)) == [
            .recordResponse(CapturedResponse(status: 200, headers: [Header("set-cookie", Redaction.fingerprint("s=secret"))], offsetNs: 0)),
            .forwardHead(status: 200, headers: headers),
        ])
    }

    @Test func anOversizedRequestBodyGets413AndIsNotForwarded() throws {
        var routes = UpstreamRoutes()
        try routes.add("https://api.example.com")
        var m = ExchangeMachine(routes: routes, redaction: try Redaction(), maxRequestBody: 10)
        _ = m.handle(.requestHead(method: "POST", target: "/", headers: [], at: Self.t0, wallMs: 0))
        #expect(m.handle(.requestBody(Array("0123456789".utf8))) == [])
        let actions = m.handle(.requestBody([1]))
        #expect(Array(actions.prefix(2)) == [
            .respond(status: 413, json: #"{"error":{"type":"streamtape_request_too_large","message":"the request body is over 10 bytes"}}"#),
            .abortClient,
        ])
        #expect(m.handle(.requestEnd) == [])
    }
}
