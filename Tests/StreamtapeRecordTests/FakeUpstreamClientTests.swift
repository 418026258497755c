import Foundation
import NIOCore
import StreamtapeCore
import StreamtapeForwarding
import StreamtapeRecord
import StreamtapeTestSupport
import Testing

/// The recorder over the `UpstreamClient` seam, with no libcurl: what it asks of the transfer.
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

    @Test func aBackloggedSinkPausesTheTransferUntilItCatchesUpAndNothingIsLost() async throws {
        let (server, upstream, sink, port) = try await start()
        let client = try await TestClient(port: port)
        let response = Task { try await client.send(.GET, "/slow-disk") }
        try await waitFor("the transfer") { !upstream.transfers.value.isEmpty }
        let t = upstream.transfers.value[0]
        t.delegate.upstreamHead(status: 200, headers: [Header("content-type", "text/event-stream")])
        t.delegate.upstreamChunk(Array("data: 1\n\n".utf8))
        #expect(t.calls.value == [])
        sink.setBacklogged(true)
        t.delegate.upstreamChunk(Array("data: 2\n\n".utf8))   // the chunk read before the pause still goes through
        #expect(t.calls.value == ["pause"])
        t.delegate.upstreamChunk(Array("data: 3\n\n".utf8))   // libcurl may hand over what it already had: one pause only
        try await Task.sleep(nanoseconds: 50_000_000)
        #expect(t.calls.value == ["pause"], "still paused while the sink is backlogged")
        sink.setBacklogged(false)
        try await waitFor("resume") { t.calls.value == ["pause", "resume"] }
        t.delegate.upstreamChunk(Array("data: 4\n\n".utf8))
        t.delegate.upstreamEnd(nil)
        let r = try await response.value
        #expect(r.ended && r.body == Array("data: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4\n\n".utf8))
        try await waitFor("the end") { sink.exchanges.first?.end != nil }
        #expect(sink.exchanges[0].chunks.map(\.bytes) == ["data: 1\n\n", "data: 2\n\n", "data: 3\n\n", "data: 4\n\n"].map { Array($0.utf8) })
        #expect(t.calls.value == ["pause", "resume"])
        await client.close()
        await server.drain(seconds: 0)
        await server.shutdown()
    }

    @Test func aClientThatHangsUpCancelsTheTransferExactlyOnce() async throws {
        let (server, upstream, sink, port) = try await start()
        let client = try await TestClient(port: port, closeAfterBodyParts: 1)
        let response = Task { try await client.send(.GET, "/s") }
        try await waitFor("the transfer") { !upstream.transfers.value.isEmpty }
        let t = upstream.transfers.value[0]
        t.delegate.upstreamHead(status: 200, headers: [])
        t.delegate.upstreamChunk(Array("data: 1\n\n".utf8))
        _ = try await response.value
        try await waitFor("cancel") { t.calls.value.contains("cancel") }
        t.delegate.upstreamChunk(Array("data: late\n\n".utf8))   // a callback already under way: ignored
        t.delegate.upstreamEnd(UpstreamFailure("aborted"))
        try await waitFor("the end") { sink.exchanges.first?.end != nil }
        try await Task.sleep(nanoseconds: 50_000_000)
        #expect(t.calls.value == ["cancel"])
        #expect(sink.exchanges[0].end?.state == .clientDisconnected)
        #expect(sink.exchanges[0].body == Array("data: 1\n\n".utf8))
        await client.close()
        await server.drain(seconds: 0)
        await server.shutdown()
    }
}
