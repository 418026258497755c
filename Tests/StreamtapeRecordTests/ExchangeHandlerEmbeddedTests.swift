import NIOCore
import NIOEmbedded
import NIOHTTP1
import StreamtapeCore
@testable import StreamtapeForwarding
@testable import StreamtapeRecord
import StreamtapeTestSupport
import Testing

/// The recorder's connection handler on an `EmbeddedChannel` over the `UpstreamClient` seam: no socket,
/// no libcurl, no sleeping; upstream events reach the handler when the test runs the loop.
@Suite struct ExchangeHandlerEmbeddedTests {
    let upstream = ScriptedUpstreamClient()
    let sink = MemoryCaptureSink()
    let reports = Box<[ExchangeReport]>([])
    let channel: EmbeddedChannel

    init() throws {
        var routes = UpstreamRoutes()
        try routes.add("http://upstream.invalid")
        let reports = self.reports
        let shared = RecordServer.Shared(RecordConfiguration(port: 0, routes: routes, redaction: try Redaction()), upstream, sink,
                                         { r in reports.update { $0.append(r) } }, { _ in })
        channel = EmbeddedChannel(handler: ExchangeHandler(server: shared))
    }

    /// Sends a GET for `target` and returns its transfer.
    func request(_ target: String) throws -> ScriptedUpstreamClient.Transfer {
        try channel.writeInbound(HTTPServerRequestPart.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: target)))
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        return try #require(upstream.transfers.value.first)
    }

    /// The body bytes written to the client so far.
    func clientBody() throws -> [UInt8] {
        var bytes: [UInt8] = []
        while let part = try channel.readOutbound(as: HTTPServerResponsePart.self) {
            if case .body(.byteBuffer(let b)) = part { bytes += b.readableBytesView }
        }
        return bytes
    }

    @Test func aBackloggedSinkPausesTheTransferUntilItCatchesUpAndNothingIsLost() throws {
        let t = try request("/slow-disk")
        t.delegate.upstreamHead(status: 200, headers: [Header("content-type", "text/event-stream")])
        t.delegate.upstreamChunk(Array("data: 1\n\n".utf8))
        #expect(t.calls.value == [])
        sink.setBacklogged(true)
        t.delegate.upstreamChunk(Array("data: 2\n\n".utf8))   // the chunk read before the pause still goes through
        #expect(t.calls.value == ["pause"])
        t.delegate.upstreamChunk(Array("data: 3\n\n".utf8))   // libcurl may hand over what it already had: one pause only
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(50))
        #expect(t.calls.value == ["pause"], "still paused while the sink is backlogged")
        sink.setBacklogged(false)
        channel.embeddedEventLoop.advanceTime(by: UpstreamBridge.sinkPoll)
        #expect(t.calls.value == ["pause", "resume"])
        t.delegate.upstreamChunk(Array("data: 4\n\n".utf8))
        t.delegate.upstreamEnd(nil)
        channel.embeddedEventLoop.run()
        #expect(try clientBody() == Array("data: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4\n\n".utf8))
        #expect(sink.exchanges[0].chunks.map(\.bytes) == ["data: 1\n\n", "data: 2\n\n", "data: 3\n\n", "data: 4\n\n"].map { Array($0.utf8) })
        #expect(sink.exchanges[0].end?.state == .complete)
        #expect(reports.value.map(\.pauses) == [1])
    }

    @Test func aClientThatHangsUpCancelsTheTransferExactlyOnce() throws {
        let t = try request("/s")
        t.delegate.upstreamHead(status: 200, headers: [])
        t.delegate.upstreamChunk(Array("data: 1\n\n".utf8))
        channel.embeddedEventLoop.run()
        try channel.close().wait()
        #expect(t.calls.value == ["cancel"])
        t.delegate.upstreamChunk(Array("data: late\n\n".utf8))   // a callback already under way: ignored
        t.delegate.upstreamEnd(UpstreamFailure("aborted"))
        channel.embeddedEventLoop.run()
        #expect(t.calls.value == ["cancel"])
        #expect(sink.exchanges[0].end?.state == .clientDisconnected)
        #expect(sink.exchanges[0].body == Array("data: 1\n\n".utf8))
    }

    @Test func aFullClientSocketPausesTheTransferOnceAndADrainedOneResumesIt() throws {
        let t = try request("/big")
        t.delegate.upstreamHead(status: 200, headers: [Header("content-type", "text/event-stream")])
        channel.isWritable = false
        channel.pipeline.fireChannelWritabilityChanged()
        channel.pipeline.fireChannelWritabilityChanged()
        #expect(t.calls.value == ["pause"])
        channel.isWritable = true
        channel.pipeline.fireChannelWritabilityChanged()
        #expect(t.calls.value == ["pause", "resume"])
    }
}
