@testable import StreamtapeReplay
import StreamtapeCore
import Testing

/// The record-on-miss machine (the shared `ExchangeMachine` adapted for a miss), driven directly: no sockets, no clock.
@Suite struct MissMachineTests {
    private let secret = "sk-live-SECRET"

    private func machine(target: String = "/v1/chat/completions?key=abc") -> MissMachine {
        MissMachine(method: "POST", target: target,
                     headers: [Header("Host", "127.0.0.1:8788"), Header("Authorization", "Bearer \(secret)"),
                               Header("Content-Length", "2"), Header("Connection", "keep-alive"), Header("Accept-Encoding", "gzip")],
                     body: Array("{}".utf8), at: 1_000, wallMs: 42,
                     upstream: ("http://up", "http://up" + target), redaction: try! Redaction(), tags: ["t"])
    }

    @Test func beginRecordsTheRedactedRequestAndSendsTheRealOneUpstream() throws {
        var m = machine()
        let actions = m.begin()
        #expect(actions.count == 2)
        guard case .exchange(.recordBegin(let started, let upstream, let captured)) = actions[0],
              case .exchange(.startUpstream(let outgoing)) = actions[1] else { Issue.record("\(actions)"); return }
        #expect(started == 42 && upstream == "http://up")
        #expect(captured.target == "/v1/chat/completions?key=" + Redaction.fingerprint("abc"))
        #expect(captured.headers.value(for: "authorization") == "Bearer " + Redaction.fingerprint(secret))
        #expect(outgoing.url == "http://up/v1/chat/completions?key=abc")
        #expect(outgoing.headers == [Header("Authorization", "Bearer \(secret)"), Header("Accept-Encoding", "identity")])
        #expect(outgoing.body == Array("{}".utf8))
    }

    @Test func eachReadIsForwardedThenRecordedAndACompleteStreamIsLearnedBeforeItsEnd() {
        var m = machine(target: "/v1/chat/completions")
        _ = m.begin()
        let head = m.handle(.upstreamHead(status: 200, headers: [Header("Content-Type", "text/event-stream"), Header("Transfer-Encoding", "chunked"),
                                                                 Header("Set-Cookie", "s=1")], at: 1_500))
        #expect(head == [.exchange(.forwardHead(status: 200, headers: [Header("Content-Type", "text/event-stream"), Header("Set-Cookie", "s=1")])),
                         .exchange(.recordResponse(CapturedResponse(status: 200, headers: [Header("Content-Type", "text/event-stream"), Header("Transfer-Encoding", "chunked"),
                                                                                 Header("Set-Cookie", Redaction.fingerprint("s=1"))], offsetNs: 500)))])
        let a = Array("data: 1\n\n".utf8), b = Array("data: [DONE]\n\n".utf8)
        #expect(m.handle(.upstreamChunk(a, at: 2_000)) == [.exchange(.forwardChunk(a)), .exchange(.recordChunk(Chunk(seq: 0, offsetNs: 1_000, bytes: a)))])
        #expect(m.handle(.upstreamChunk(b, at: 3_000)) == [.exchange(.forwardChunk(b)), .exchange(.recordChunk(Chunk(seq: 1, offsetNs: 2_000, bytes: b)))])
        let end = m.handle(.upstreamEnd(nil, at: 4_000))
        #expect(end.count == 4)
        #expect(end[0] == .exchange(.recordEnd(ExchangeEnd(offsetNs: 3_000, state: .complete))))
        guard case .learn(let learned) = end[1] else { Issue.record("\(end)"); return }
        #expect(learned.chunks.map(\.bytes) == [a, b])
        #expect(learned.request.headers.value(for: "authorization") == "Bearer " + Redaction.fingerprint(secret))
        #expect(learned.tags == ["t"] && learned.end?.state == .complete && learned.response?.status == 200)
        #expect(end[2] == .exchange(.forwardEnd))
        guard case .finished(let report) = end[3] else { Issue.record("\(end)"); return }
        #expect(report.state == .complete && report.replayable && report.status == 200)
        #expect(m.isFinished)
        #expect(m.handle(.upstreamChunk(a, at: 5_000)) == [])
    }

    @Test func anUpstreamThatFailsBeforeAResponseAnswers502AndIsNotLearned() {
        var m = machine()
        _ = m.begin()
        let actions = m.handle(.upstreamEnd(UpstreamFailure("Connection refused"), at: 2_000))
        #expect(actions == [.exchange(.respond(status: 502, json: #"{"error":{"type":"streamtape_upstream_error","message":"Connection refused"}}"#)),
                            .exchange(.recordEnd(ExchangeEnd(offsetNs: 1_000, state: .upstreamError, error: "Connection refused"))),
                            .finished(ReplayMissReport(id: nil, method: "POST", target: "/v1/chat/completions?key=" + Redaction.fingerprint("abc"),
                                                       status: nil, state: .upstreamError, error: "Connection refused", replayable: false))])
    }

    @Test func anUpstreamResetMidStreamCutsTheClientAndIsNotLearned() {
        var m = machine()
        _ = m.begin()
        _ = m.handle(.upstreamHead(status: 200, headers: [], at: 1_000))
        let actions = m.handle(.upstreamEnd(UpstreamFailure("reset"), at: 3_000))
        #expect(actions.first == .exchange(.abortClient))
        #expect(actions.dropFirst().first == .exchange(.recordEnd(ExchangeEnd(offsetNs: 2_000, state: .upstreamReset, error: "reset"))))
        #expect(!actions.contains { if case .learn = $0 { return true } else { return false } })
    }

    @Test func aClientThatLeavesCancelsTheTransfer() {
        var m = machine()
        _ = m.begin()
        _ = m.handle(.upstreamHead(status: 200, headers: [], at: 1_000))
        let actions = m.handle(.clientClosed(at: 1_200))
        #expect(Array(actions.prefix(2)) == [.exchange(.cancelUpstream), .exchange(.recordEnd(ExchangeEnd(offsetNs: 200, state: .clientDisconnected, error: "the client closed the connection")))])
        #expect(m.isFinished)
    }

    /// Pausing is the forwarding session's gate's decision alone (`BackpressureGate`), not the machine's.
    @Test func aFullClientLeavesPausingToTheGate() {
        var m = machine()
        _ = m.begin()
        #expect(m.handle(.clientWritable(false)) == [])
        #expect(m.handle(.clientWritable(true)) == [])
        var late = machine()
        _ = late.handle(.clientWritable(false))
        guard case .exchange(.startUpstream)? = late.begin().last else { Issue.record("no start"); return }
    }

    @Test func aSinkThatRefusesTheExchangeStopsItWith503AndForwardsNothing() {
        var m = machine()
        _ = m.begin()
        let actions = m.handle(.recordingFailed("disk full", at: 1_100))
        #expect(Array(actions.prefix(2)) == [.exchange(.cancelUpstream),
                                              .exchange(.respond(status: 503, json: #"{"error":{"type":"streamtape_archive_error","message":"streamtape cannot record the miss: disk full"}}"#))])
        #expect(!actions.contains { if case .exchange(.recordEnd) = $0 { return true } else { return false } })
        #expect(m.isFinished)
    }

    @Test func aClientThatLeavesAfterTheWholeContentLengthBodyIsStillADisconnectNotLearned() {
        var m = machine()
        _ = m.begin()
        _ = m.handle(.upstreamHead(status: 200, headers: [Header("Content-Length", "2")], at: 1_000))
        _ = m.handle(.upstreamChunk(Array("{}".utf8), at: 1_100))
        let actions = m.handle(.clientClosed(at: 1_200))
        #expect(Array(actions.prefix(2)) == [.exchange(.cancelUpstream),
                                              .exchange(.recordEnd(ExchangeEnd(offsetNs: 200, state: .clientDisconnected, error: "the client closed the connection")))])
        #expect(!actions.contains { if case .learn = $0 { return true } else { return false } })
        guard case .finished(let report) = actions.last else { Issue.record("\(actions)"); return }
        #expect(report.state == .clientDisconnected && !report.replayable)
    }

    @Test func beginTwiceStartsTheUpstreamOnce() {
        var m = machine()
        #expect(m.begin().count == 2)
        #expect(m.begin() == [])
    }
}
