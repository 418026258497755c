import NIOCore
import NIOEmbedded
import NIOHTTP1
import StreamtapeCore
@testable import StreamtapeForwarding
@testable import StreamtapeReplay
import StreamtapeTestSupport
import Testing

/// Record-on-miss on the replay handler over an `EmbeddedChannel`: no socket, no sleeping; upstream
/// events reach the handler when the test runs the loop.
@Suite struct ReplayMissEmbeddedTests {
    let upstream = ScriptedUpstreamClient()
    let sink = MemoryCaptureSink()
    let channel: EmbeddedChannel

    init() throws {
        let recording = ReplayMissRecording(resolve: ReplayMissRecording.base("http://upstream.test"), client: upstream, sink: sink,
                                            redaction: try Redaction())
        let book = try ReplayBook(exchanges: [], configuration: .init(pacing: .init(instant: true), recordMisses: recording))
        channel = EmbeddedChannel(handler: ReplayHTTPHandler(book: book))
    }

    /// The body bytes written to the client so far.
    func clientBody() throws -> [UInt8] {
        var bytes: [UInt8] = []
        while let part = try channel.readOutbound(as: HTTPServerResponsePart.self) {
            if case .body(.byteBuffer(let b)) = part { bytes += b.readableBytesView }
        }
        return bytes
    }

    /// The recorder's own backlog rule (`ExchangeHandlerEmbeddedTests`), now shared: a miss's upstream waits for the archive.
    @Test func aBackloggedArchivePausesTheMissUpstreamUntilItCatchesUpAndNothingIsLost() throws {
        try channel.writeInbound(HTTPServerRequestPart.head(HTTPRequestHead(version: .http1_1, method: .POST, uri: "/v1/chat/completions")))
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        let t = try #require(upstream.transfers.value.first)
        t.delegate.upstreamHead(status: 200, headers: [Header("content-type", "text/event-stream")])
        t.delegate.upstreamChunk(Array("data: 1\n\n".utf8))
        #expect(t.calls.value == [])
        sink.setBacklogged(true)
        t.delegate.upstreamChunk(Array("data: 2\n\n".utf8))   // the chunk read before the pause still goes through
        #expect(t.calls.value == ["pause"])
        t.delegate.upstreamChunk(Array("data: 3\n\n".utf8))   // what libcurl already had: one pause only
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(50))
        #expect(t.calls.value == ["pause"], "still paused while the archive is backlogged")
        sink.setBacklogged(false)
        channel.embeddedEventLoop.advanceTime(by: UpstreamBridge.sinkPoll)
        #expect(t.calls.value == ["pause", "resume"])
        t.delegate.upstreamChunk(Array("data: 4\n\n".utf8))
        t.delegate.upstreamEnd(nil)
        channel.embeddedEventLoop.run()
        let bodies = ["data: 1\n\n", "data: 2\n\n", "data: 3\n\n", "data: 4\n\n"].map { Array($0.utf8) }
        #expect(try clientBody() == bodies.flatMap { $0 })
        #expect(sink.exchanges.map { $0.chunks.map(\.bytes) } == [bodies])
        #expect(sink.exchanges.first?.end?.state == .complete)
    }
}
