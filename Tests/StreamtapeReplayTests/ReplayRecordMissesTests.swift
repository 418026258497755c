import Foundation
import StreamtapeCore
import StreamtapeReplay
import StreamtapeTestSupport
import Testing

/// Live: a replay server with record-on-miss forwards a miss through the injected client, records it
/// through the injected sink, and serves the next identical request from that recording.
@Suite struct ReplayRecordMissesTests {
    private let sse = [Header("Content-Type", "text/event-stream")]

    private func start(_ upstream: ScriptedUpstreamClient, _ sink: MemoryCaptureSink,
                       onRecorded: @escaping @Sendable (ReplayMissReport) -> Void = { _ in }) async throws -> ReplayServer {
        let recording = ReplayMissRecording(resolve: ReplayMissRecording.base("http://upstream.test/"), client: upstream, sink: sink,
                                            redaction: try Redaction(), tags: ["misses"], onRecorded: onRecorded)
        let recorded = ReplayTestFixtures.timed([(0, "data: recorded\n\n")], body: #"{"model":"old"}"#)
        return try await ReplayServer.start(exchanges: [recorded], configuration: .init(pacing: .init(instant: true), recordMisses: recording))
    }

    /// The `index`th transfer, once the server started it. The wait is long because the client task that
    /// sends the request needs a thread of the test process's cooperative pool (two on this machine), which
    /// tests that block it (the CLI suites wait for child processes) can hold for seconds under load.
    private func transfer(_ upstream: ScriptedUpstreamClient, _ index: Int = 0) async throws -> ScriptedUpstreamClient.Transfer {
        #expect(await waitUntil(seconds: 60) { upstream.transfers.value.count > index })
        return try #require(upstream.transfers.value.dropFirst(index).first)
    }

    @Test func aMissIsForwardedRecordedAndThenReplayedFromTheRecording() async throws {
        let chunks = ["data: {\"n\":1}\n\n", "data: {\"n\":2}\n\n", "data: [DONE]\n\n"].map { Array($0.utf8) }
        let upstream = ScriptedUpstreamClient()
        let sink = MemoryCaptureSink()
        let reports = Box<[ReplayMissReport]>([])
        let server = try await start(upstream, sink) { r in reports.update { $0.append(r) } }
        defer { Task { try await server.stop() } }
        let request = rawRequest(body: #"{"model":"new"}"#, extra: "Authorization: Bearer sk-SECRET\r\n")

        let pending = Task { await RawClient.exchange(port: server.port, request: request) }
        let t = try await transfer(upstream)
        t.delegate.upstreamHead(status: 200, headers: sse)
        for chunk in chunks { t.delegate.upstreamChunk(chunk) }
        t.delegate.upstreamEnd(nil)
        let first = try #require(RawResponse(await pending.value))
        #expect(first.status == 200 && first.complete)
        #expect(first.chunks == chunks)
        #expect(t.request.url == "http://upstream.test/v1/chat/completions")
        #expect(t.request.headers.value(for: "authorization") == "Bearer sk-SECRET")
        let recorded = try #require(sink.exchanges.first)
        #expect(sink.exchanges.count == 1)
        #expect(recorded.upstream == "http://upstream.test" && recorded.tags == ["misses"])
        #expect(recorded.request.headers.value(for: "authorization") == "Bearer " + Redaction.fingerprint("sk-SECRET"))
        #expect(recorded.response?.status == 200)
        #expect(recorded.chunks.map(\.bytes) == chunks)
        #expect(recorded.end?.state == .complete)
        // The report follows the end of the body on the event loop: give it a moment (bounded).
        #expect(await waitUntil { !reports.value.isEmpty })
        #expect(reports.value == [ReplayMissReport(id: 1, method: "POST", target: "/v1/chat/completions", status: 200, state: .complete,
                                                   error: nil, replayable: true)])

        let second = try #require(RawResponse(await RawClient.exchange(port: server.port, request: request)))
        #expect(second.status == 200 && second.complete)
        #expect(second.chunks == chunks, "the recording replays with the upstream's read boundaries")
        #expect(upstream.transfers.value.count == 1, "served from the recording, not forwarded")
        #expect(server.served == 1)

        let recordedAgain = try #require(RawResponse(await RawClient.exchange(port: server.port, request: rawRequest(body: #"{"model":"old"}"#))))
        #expect(recordedAgain.body == Array("data: recorded\n\n".utf8))
        #expect(server.served == 2)
    }
}
