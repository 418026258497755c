import Foundation
import StreamtapeCore
import StreamtapeReplay
import Testing

/// An upstream client that answers every request with the same scripted stream, from its own thread.
private final class ScriptedUpstream: UpstreamClient, @unchecked Sendable { // requests guarded by lock
    let chunks: [[UInt8]]
    private let lock = NSLock()
    private var seen: [UpstreamRequest] = []
    var requests: [UpstreamRequest] { lock.withLock { seen } }

    init(_ chunks: [String]) { self.chunks = chunks.map { Array($0.utf8) } }

    private struct Transfer: UpstreamTransfer {
        func pause() {}
        func resume() {}
        func cancel() {}
    }

    func start(_ request: UpstreamRequest, delegate: any UpstreamDelegate) -> any UpstreamTransfer {
        lock.withLock { seen.append(request) }
        let chunks = self.chunks
        Thread.detachNewThread {
            delegate.upstreamHead(status: 200, headers: [Header("Content-Type", "text/event-stream")])
            for chunk in chunks {
                delegate.upstreamChunk(chunk)
                usleep(2_000)  // separate reads, so each is its own HTTP chunk downstream
            }
            delegate.upstreamEnd(nil)
        }
        return Transfer()
    }
}

/// A sink that keeps what it is given, in order.
private final class MemorySink: CaptureSink, @unchecked Sendable { // calls guarded by lock
    private let lock = NSLock()
    private var log: [String] = []
    private var requests: [CapturedRequest] = []
    var calls: [String] { lock.withLock { log } }
    var begun: [CapturedRequest] { lock.withLock { requests } }

    func begin(startedMs: Int64, upstream: String, request: CapturedRequest, tags: [String]) throws -> Int64 {
        lock.withLock { requests.append(request); log.append("begin \(upstream) \(tags)"); return Int64(100 + requests.count) }
    }
    func response(_ id: Int64, _ response: CapturedResponse) { lock.withLock { log.append("response \(id) \(response.status)") } }
    func chunk(_ id: Int64, _ chunk: Chunk) { lock.withLock { log.append("chunk \(id) \(chunk.seq) \(String(decoding: chunk.bytes, as: UTF8.self))") } }
    func end(_ id: Int64, _ end: ExchangeEnd) { lock.withLock { log.append("end \(id) \(end.state.rawValue)") } }
}

/// Live: a replay server with record-on-miss forwards a miss through the injected client, records it
/// through the injected sink, and serves the next identical request from that recording.
@Suite struct ReplayRecordMissesTests {
    @Test func aMissIsForwardedRecordedAndThenReplayedFromTheRecording() async throws {
        let upstream = ScriptedUpstream(["data: {\"n\":1}\n\n", "data: {\"n\":2}\n\n", "data: [DONE]\n\n"])
        let sink = MemorySink()
        let reports = LockedReports()
        let recording = ReplayMissRecording(resolve: ReplayMissRecording.base("http://upstream.test/"), client: upstream, sink: sink,
                                            redaction: try Redaction(), tags: ["misses"], onRecorded: { reports.add($0) })
        let recorded = ReplayTestFixtures.timed([(0, "data: recorded\n\n")], body: #"{"model":"old"}"#)
        let server = try await ReplayServer.start(exchanges: [recorded],
                                                  configuration: .init(pacing: .init(instant: true), recordMisses: recording))
        defer { Task { try await server.stop() } }
        let request = rawRequest(body: #"{"model":"new"}"#, extra: "Authorization: Bearer sk-SECRET\r\n")

        let first = try #require(RawResponse(await RawClient.exchange(port: server.port, request: request)))
        #expect(first.status == 200 && first.complete)
        #expect(first.chunks.map { String(decoding: $0, as: UTF8.self) } == upstream.chunks.map { String(decoding: $0, as: UTF8.self) })
        #expect(upstream.requests.count == 1)
        #expect(upstream.requests.first?.url == "http://upstream.test/v1/chat/completions")
        #expect(upstream.requests.first?.headers.value(for: "authorization") == "Bearer sk-SECRET")
        #expect(sink.begun.first?.headers.value(for: "authorization") == "Bearer " + Redaction.fingerprint("sk-SECRET"))
        #expect(sink.calls == ["begin http://upstream.test [\"misses\"]", "response 101 200",
                               "chunk 101 0 data: {\"n\":1}\n\n", "chunk 101 1 data: {\"n\":2}\n\n", "chunk 101 2 data: [DONE]\n\n", "end 101 complete"])
        // The report follows the end of the body on the event loop: give it a moment (bounded).
        for _ in 0..<200 where reports.all.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        #expect(reports.all == [ReplayMissReport(id: 101, method: "POST", target: "/v1/chat/completions", status: 200, state: .complete,
                                                 error: nil, replayable: true)])

        let second = try #require(RawResponse(await RawClient.exchange(port: server.port, request: request)))
        #expect(second.status == 200 && second.complete)
        #expect(second.chunks == upstream.chunks, "the recording replays with the upstream's read boundaries")
        #expect(upstream.requests.count == 1, "served from the recording, not forwarded")
        #expect(server.served == 1)

        let recordedAgain = try #require(RawResponse(await RawClient.exchange(port: server.port, request: rawRequest(body: #"{"model":"old"}"#))))
        #expect(recordedAgain.body == Array("data: recorded\n\n".utf8))
        #expect(server.served == 2)
    }
}

private final class LockedReports: @unchecked Sendable { // guarded by lock
    private let lock = NSLock()
    private var reports: [ReplayMissReport] = []
    var all: [ReplayMissReport] { lock.withLock { reports } }
    func add(_ r: ReplayMissReport) { lock.withLock { reports.append(r) } }
}
