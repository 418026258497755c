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
    let shared: RecordServer.Shared
    let channel: EmbeddedChannel

    init() throws {
        var routes = UpstreamRoutes()
        try routes.add("http://upstream.invalid")
        let reports = self.reports
        shared = RecordServer.Shared(RecordConfiguration(port: 0, routes: routes, redaction: try Redaction()), upstream, sink,
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

    /// NIO's pipelining handler gives the handler a request that came in behind another inside the
    /// write of that one's response end, so inside its exchange's actions: it used to take over the
    /// connection's session, which the first exchange's end then dropped (no answer, no end recorded).
    /// Found by the record-http fuzz target.
    @Test func aPipelinedRequestStartsAfterThePreviousExchangeFinishedAndIsAnsweredAndRecorded() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.configureHTTPServerPipeline(limits: ClientLimits(), connections: ConnectionCount(limit: 1))
        try channel.pipeline.syncOperations.addHandler(ExchangeHandler(server: shared))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()
        try channel.writeInbound(ByteBuffer(string: "GET /a HTTP/1.1\r\nhost: x\r\n\r\nGET /b HTTP/1.1\r\nhost: x\r\n\r\n"))
        for body in ["a", "b"] {
            let t = try #require(upstream.transfers.value.last)
            #expect(t.request.url == "http://upstream.invalid/" + body)
            t.delegate.upstreamHead(status: 200, headers: [Header("content-length", "1")])
            t.delegate.upstreamChunk(Array(body.utf8))
            t.delegate.upstreamEnd(nil)
            channel.embeddedEventLoop.run()
        }
        var output = ""
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { output += String(buffer: buffer) }
        #expect(output == "HTTP/1.1 200 OK\r\ncontent-length: 1\r\n\r\naHTTP/1.1 200 OK\r\ncontent-length: 1\r\n\r\nb")
        #expect(sink.exchanges.map { "\($0.request.target) \($0.body) \($0.end?.state.rawValue ?? "open")" } == ["/a [97] complete", "/b [98] complete"])
        #expect(reports.value.map(\.target) == ["/a", "/b"])
        #expect(shared.stats.active == 0)
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
