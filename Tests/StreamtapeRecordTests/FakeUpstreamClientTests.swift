import Foundation
import NIOCore
import StreamtapeCore
import StreamtapeForwarding
import StreamtapeRecord
import StreamtapeTestSupport
import Testing

/// The recorder over the `UpstreamClient` seam, with no libcurl, on a real socket: what a client that stops
/// reading makes it ask of the transfer (the rest runs without a socket, in `ExchangeHandlerEmbeddedTests`).
@Suite(.serialized) struct FakeUpstreamClientTests {
    func start() async throws -> (RecordServer, ScriptedUpstreamClient, MemoryCaptureSink, Int) {
        var routes = UpstreamRoutes()
        try routes.add("http://upstream.invalid")
        let client = ScriptedUpstreamClient()
        let sink = MemoryCaptureSink()
        let server = RecordServer(configuration: RecordConfiguration(host: "127.0.0.1", port: 0, routes: routes, redaction: try Redaction()),
                                  upstream: client, sink: sink)
        return (server, client, sink, try await server.start())
    }

    func waitFor(_ what: String, _ condition: () -> Bool) async throws {
        if await !waitUntil(condition) { Issue.record("timed out waiting for \(what)") }
    }

    @Test func aClientThatStopsReadingPausesTheTransferOnceAndResumesItWhenItReadsAgain() async throws {
        let (server, upstream, sink, port) = try await start()
        let client = try await TestClient(port: port, autoRead: false)
        let response = Task { try await client.send(.GET, "/big") }
        try await waitFor("the transfer") { !upstream.transfers.value.isEmpty }
        let t = upstream.transfers.value[0]
        #expect(t.request.url == "http://upstream.invalid/big")
        t.delegate.upstreamHead(status: 200, headers: [Header("content-type", "text/event-stream")])
        let block = [UInt8](repeating: UInt8(ascii: "x"), count: 16 * 1024)
        var sent = 0
        // Feed until the recorder asks for a pause: the client reads nothing, so its socket fills.
        while !t.calls.value.contains("pause") && sent < 64 << 20 {
            t.delegate.upstreamChunk(block)
            sent += block.count
            if sent % (1 << 20) == 0 { try await Task.sleep(nanoseconds: 1_000_000) }
        }
        #expect(t.calls.value == ["pause"])
        #expect(sent < 32 << 20, "paused after \(sent) bytes")
        try await client.channel.setOption(ChannelOptions.autoRead, value: true).get()
        client.read()
        try await waitFor("resume") { t.calls.value.contains("resume") }
        t.delegate.upstreamEnd(nil)
        let r = try await response.value
        #expect(r.ended && r.body.count == sent)
        #expect(t.calls.value.first == "pause" && t.calls.value.contains("resume") && !t.calls.value.contains("cancel"))
        try await waitFor("the end") { sink.exchanges.first?.end != nil }
        #expect(sink.exchanges[0].body.count == sent)
        await client.close()
        await server.drain(seconds: 0)
        await server.shutdown()
    }
}
