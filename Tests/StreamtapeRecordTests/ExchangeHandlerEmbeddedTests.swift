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

    @Test func aBackloggedSinkPausesTheTransferUntilItCatchesUpAndNothingIsLost() throws {
        let t = try request("/slow-disk")
        #expect(BackloggedSinkScenario.play(t, sink: sink, channel: channel, poll: UpstreamBridge.sinkPoll) == BackloggedSinkScenario.expected)
        #expect(try channel.readOutboundBody() == BackloggedSinkScenario.bodies.flatMap { $0 })
        #expect(sink.exchanges.map { $0.chunks.map(\.bytes) } == [BackloggedSinkScenario.bodies])
        #expect(sink.exchanges.first?.end?.state == .complete)
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
