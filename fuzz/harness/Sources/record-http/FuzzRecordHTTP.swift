// libFuzzer target: raw HTTP request bytes through the record front end, in-process, no socket.
//
// The recorder's real pipeline (NIO's HTTP server handlers, `ClientLimitHandler`, `ExchangeHandler`)
// on an `EmbeddedChannel`, over a memory sink and a scripted upstream. Input: see `ClientBytes`;
// control bits 0–1 pick how the upstream answers each request (an SSE stream; a stream that fails
// midway; a 500 JSON error; no answer at all), bit 2 whether the sink is backlogged.
// Checked: no trap; what the client got is well-formed HTTP; after the client hangs up nothing is
// left open (no exchange in flight or without an end, no transfer neither finished nor cancelled, no
// connection counted).
import FuzzSupport
import NIOCore
import NIOEmbedded
import NIOHTTP1
import StreamtapeCore
@testable import StreamtapeForwarding
@testable import StreamtapeRecord
import StreamtapeTestSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecordHTTP(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let input = ClientBytes(Array(UnsafeBufferPointer(start: data, count: data == nil ? 0 : size))) else { return 0 }
    let upstream = ScriptedUpstreamClient()
    let sink = MemoryCaptureSink()
    sink.setBacklogged(input.control & 4 != 0)
    let limits = ClientBytes.limits
    var routes = UpstreamRoutes()
    try! routes.add("http://upstream.invalid")
    try! routes.add("/v1/messages=http://anthropic.invalid")
    let shared = RecordServer.Shared(RecordConfiguration(port: 0, routes: routes, redaction: try! Redaction(), limits: limits),
                                     upstream, sink, { _ in }, { _ in })
    let channel = EmbeddedChannel()
    let log = MethodLog()
    try! channel.pipeline.syncOperations.configureHTTPServerPipeline(limits: limits, connections: shared.connections)
    try! channel.pipeline.syncOperations.addHandlers([log, ExchangeHandler(server: shared)])
    try! channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()

    var answered = 0
    var ended = Set<Int>()
    /// The upstream answers each transfer started since the last call.
    func answerNew() {
        channel.embeddedEventLoop.run()
        while answered < upstream.transfers.value.count {
            if answer(upstream.transfers.value[answered], mode: input.control & 3) { ended.insert(answered) }
            answered += 1
            channel.embeddedEventLoop.run()
        }
    }
    for write in input.writes {
        _ = try? channel.writeInbound(ByteBuffer(bytes: write))
        answerNew()
    }
    channel.embeddedEventLoop.advanceTime(by: input.wait)
    answerNew()
    sink.setBacklogged(false)
    channel.embeddedEventLoop.advanceTime(by: .seconds(1))
    answerNew()
    var output = channel.clientOutput()
    channel.hangUp()
    output += channel.clientOutput()
    let state = { () -> String in
        let exchanges = sink.exchanges.map { e in "\(e.request.method) \(e.request.target) \(e.response?.status ?? 0) \(e.chunks.count) chunks \(e.end.map { "\($0.state)" } ?? "open")" }
        let transfers = upstream.transfers.value.enumerated().map { i, t in "\(t.request.method) \(t.request.url) \(ended.contains(i) ? "ended" : "") \(t.calls.value)" }
        return "exchanges: \(exchanges)\ntransfers: \(transfers)\nclient got: \(String(decoding: output, as: UTF8.self).debugDescription)"
    }

    do {
        _ = try HTTPResponses.statuses(output, methods: log.methods.map(\.rawValue))
    } catch {
        fatalError("malformed response: \(error)\n\(state())")
    }
    require(shared.connections.current == 0, "a connection is still counted\n\(state())")
    require(shared.stats.active == 0, "\(shared.stats.active) exchanges still in flight\n\(state())")
    require(sink.exchanges.allSatisfy { $0.end != nil }, "an exchange has no end\n\(state())")
    for (i, t) in upstream.transfers.value.enumerated() {
        require(ended.contains(i) || t.calls.value.contains("cancel"), "transfer \(i) neither finished nor cancelled\n\(state())")
    }
    return 0
}

/// Plays one upstream answer; true when it ended the transfer.
private func answer(_ t: ScriptedUpstreamClient.Transfer, mode: UInt8) -> Bool {
    let head = t.request.method == "HEAD"
    switch mode {
    case 0:
        t.delegate.upstreamHead(status: 200, headers: [Header("content-type", "text/event-stream")])
        if !head {
            t.delegate.upstreamChunk(Array("data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\n".utf8))
            t.delegate.upstreamChunk(Array("data: [DONE]\n\n".utf8))
        }
        t.delegate.upstreamEnd(nil)
    case 1:
        t.delegate.upstreamHead(status: 200, headers: [Header("content-type", "text/event-stream")])
        if !head { t.delegate.upstreamChunk(Array("data: 1\n\n".utf8)) }
        t.delegate.upstreamEnd(UpstreamFailure("connection reset"))
    case 2:
        t.delegate.upstreamHead(status: 500, headers: [Header("content-type", "application/json"), Header("content-length", "11")])
        if !head { t.delegate.upstreamChunk(Array("{\"error\":1}".utf8)) }
        t.delegate.upstreamEnd(nil)
    default:
        return false
    }
    return true
}
