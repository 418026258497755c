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
        let catalog = try ReplayCatalog(exchanges: [], configuration: .init(pacing: .init(instant: true), recordMisses: recording))
        channel = EmbeddedChannel(handler: ReplayHTTPHandler(catalog: catalog))
    }

    /// The recorder's own backlog rule (`ExchangeHandlerEmbeddedTests`), now shared: a miss's upstream waits for the archive.
    @Test func aBackloggedArchivePausesTheMissUpstreamUntilItCatchesUpAndNothingIsLost() throws {
        try channel.writeInbound(HTTPServerRequestPart.head(HTTPRequestHead(version: .http1_1, method: .POST, uri: "/v1/chat/completions")))
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        let t = try #require(upstream.transfers.value.first)
        #expect(BackloggedSinkScenario.play(t, sink: sink, channel: channel, poll: UpstreamBridge.sinkPoll) == BackloggedSinkScenario.expected)
        #expect(try channel.readOutboundBody() == BackloggedSinkScenario.bodies.flatMap { $0 })
        #expect(sink.exchanges.map { $0.chunks.map(\.bytes) } == [BackloggedSinkScenario.bodies])
        #expect(sink.exchanges.first?.end?.state == .complete)
    }
}
