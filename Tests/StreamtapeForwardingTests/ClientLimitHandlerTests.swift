import NIOCore
import NIOEmbedded
import NIOHTTP1
@testable import StreamtapeForwarding
import Testing

/// The client limits on an `EmbeddedChannel` with NIO's real HTTP handlers in front of a server that
/// answers `200 ok` to every request (or starts a response and never ends it): no socket, no sleeping;
/// timers fire when the test advances the loop's clock.
@Suite struct ClientLimitHandlerTests {
    static let limits = ClientLimits(maxTarget: 64, maxHeadBytes: 1024, maxHeaderCount: 8, maxBody: 100,
                                     headerTimeout: .seconds(5), bodyTimeout: .seconds(8), idleTimeout: .seconds(30), maxConnections: 2)

    /// Answers each complete request `200 ok`: only its head when the target is `/stream` (`endStream`
    /// ends it), and right at its head, before its body, when the target is `/early`.
    final class OKServer: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        var requests: [String] = []
        /// Targets of the requests whose end arrived.
        var completed: [String] = []
        private var target = ""
        private var streaming: ChannelHandlerContext?

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                target = head.uri; requests.append(head.uri)
                if target == "/early" { answer(context) }
            case .body: break
            case .end:
                completed.append(target)
                guard target != "/early" else { return }
                if target == "/stream" {
                    context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: ["content-length": "2"]))), promise: nil)
                    streaming = context
                    return context.flush()
                }
                answer(context)
            }
        }

        /// Ends the `/stream` response started earlier.
        func endStream() {
            guard let context = streaming else { return }
            streaming = nil
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "ok")))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }

        private func answer(_ context: ChannelHandlerContext) {
            let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["content-length": "2"])
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "ok")))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }

    /// A connected channel with the limited pipeline, counted in `connections`.
    static func connect(_ connections: ConnectionCount) throws -> (EmbeddedChannel, OKServer) {
        let channel = EmbeddedChannel()
        let server = OKServer()
        try channel.pipeline.syncOperations.configureHTTPServerPipeline(limits: limits, connections: connections)
        try channel.pipeline.syncOperations.addHandler(server)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()
        return (channel, server)
    }

    /// Everything the channel wrote so far, as text.
    static func output(_ channel: EmbeddedChannel) throws -> String {
        var text = ""
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
        return text
    }

    /// The status line of `response` (its first line; `\r\n` is one Character in Swift).
    static func statusLine(_ response: String) -> String { String(response.prefix { $0 != "\r\n" }) }

    static func send(_ channel: EmbeddedChannel, _ text: String) {
        _ = try? channel.writeInbound(ByteBuffer(string: text))
    }

    @Test(arguments: [
        ("GET /\(String(repeating: "a", count: 64)) HTTP/1.1\r\nhost: x\r\n\r\n", "HTTP/1.1 414 URI Too Long"),
        ("GET / HTTP/1.1\r\nhost: x\r\nx-big: \(String(repeating: "b", count: 1100))\r\n\r\n", "HTTP/1.1 431 Request Header Fields Too Large"),
        ("GET / HTTP/1.1\r\n" + (0..<9).map { "x-\($0): 1\r\n" }.joined() + "\r\n", "HTTP/1.1 431 Request Header Fields Too Large"),
        ("POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 101\r\n\r\n", "HTTP/1.1 413 Payload Too Large"),
        ("GET / HTTP/1.1 junk\r\n\r\n", "HTTP/1.1 400 Bad Request"),
    ])
    func aRequestOverALimitIsAnsweredWithItsStatusAndNeverReachesTheServer(request: String, status: String) throws {
        let (channel, server) = try Self.connect(ConnectionCount(limit: 2))
        Self.send(channel, request)
        let response = try Self.output(channel)
        #expect(Self.statusLine(response) == status)
        #expect(response.contains("connection: close\r\n"))
        #expect(server.requests.isEmpty)
    }

    @Test func requestsJustUnderEveryLimitAreServed() throws {
        let (channel, server) = try Self.connect(ConnectionCount(limit: 2))
        let target = "/" + String(repeating: "a", count: 63)
        Self.send(channel, "POST \(target) HTTP/1.1\r\n" + (0..<7).map { "x-\($0): 1\r\n" }.joined() + "content-length: 100\r\n\r\n" + String(repeating: "z", count: 100))
        #expect(Self.statusLine(try Self.output(channel)) == "HTTP/1.1 200 OK")
        #expect(server.requests == [target])
    }

    @Test func aHeadStillIncompleteAfterTheHeaderTimeoutGets408AndTheConnectionCloses() throws {
        let (channel, server) = try Self.connect(ConnectionCount(limit: 2))
        Self.send(channel, "GET / HTTP/1.1\r\nhost:")
        channel.embeddedEventLoop.advanceTime(by: .seconds(4))
        Self.send(channel, " x\r\n")   // dribbling does not restart the clock
        #expect(try Self.output(channel) == "")
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(Self.statusLine(try Self.output(channel)) == "HTTP/1.1 408 Request Timeout")
        channel.embeddedEventLoop.advanceTime(by: ClientLimitHandler.linger)
        #expect(!channel.isActive)
        #expect(server.requests.isEmpty)
    }

    /// The exact 408 a body still incomplete after the body timeout (8 s here) gets.
    static let bodyTimeout408 = {
        let json = #"{"error":{"type":"streamtape_request_timeout","message":"the request body did not arrive within 8000 ms"}}"#
        return "HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\ncontent-length: \(json.utf8.count)\r\nconnection: close\r\n\r\n" + json
    }()

    @Test func aBodyDribbledPastTheBodyTimeoutGets408AndTheServerNeverSeesTheRequestEnd() throws {
        let (channel, server) = try Self.connect(ConnectionCount(limit: 2))
        Self.send(channel, "POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 10\r\n\r\nab")
        channel.embeddedEventLoop.advanceTime(by: .seconds(7))
        Self.send(channel, "cd")   // dribbling does not restart the clock
        #expect(try Self.output(channel) == "")
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(try Self.output(channel) == Self.bodyTimeout408)
        Self.send(channel, "efghij")   // the rest, too late: dropped
        #expect(try Self.output(channel) == "")
        channel.embeddedEventLoop.advanceTime(by: ClientLimitHandler.linger)
        #expect(!channel.isActive)
        #expect(server.requests == ["/"])
        #expect(server.completed.isEmpty)
    }

    @Test func aKeepAliveConnectionsNextRequestGetsItsOwnBodyClock() throws {
        let (channel, server) = try Self.connect(ConnectionCount(limit: 2))
        Self.send(channel, "POST /one HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\n\r\na")
        channel.embeddedEventLoop.advanceTime(by: .seconds(7))
        Self.send(channel, "b")
        #expect(Self.statusLine(try Self.output(channel)) == "HTTP/1.1 200 OK")
        Self.send(channel, "POST /two HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\n\r\na")
        channel.embeddedEventLoop.advanceTime(by: .seconds(7))   // 14 s after the first head
        #expect(try Self.output(channel) == "")
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(try Self.output(channel) == Self.bodyTimeout408)
        #expect(server.completed == ["/one"])
    }

    @Test func aPipelinedRequestsBodyClockStartsWhenTheResponseBeforeItEnds() throws {
        let (channel, server) = try Self.connect(ConnectionCount(limit: 2))
        Self.send(channel, "GET /stream HTTP/1.1\r\nhost: x\r\n\r\nPOST /two HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\n\r\na")
        channel.embeddedEventLoop.advanceTime(by: .seconds(600))   // the first response is still streaming
        #expect(Self.statusLine(try Self.output(channel)) == "HTTP/1.1 200 OK")
        server.endStream()
        #expect(try Self.output(channel) == "ok")
        channel.embeddedEventLoop.advanceTime(by: .seconds(7))
        #expect(try Self.output(channel) == "")
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(try Self.output(channel) == Self.bodyTimeout408)
        #expect(server.completed == ["/stream"])
    }

    @Test func aRequestAnsweredBeforeItsBodyEndedIsOnlyClosedAtTheBodyTimeout() throws {
        let (channel, server) = try Self.connect(ConnectionCount(limit: 2))
        Self.send(channel, "POST /early HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\n\r\na")
        #expect(Self.statusLine(try Self.output(channel)) == "HTTP/1.1 200 OK")
        channel.embeddedEventLoop.advanceTime(by: .seconds(8))
        #expect(try Self.output(channel) == "")   // no second answer to a request already answered
        #expect(!channel.isActive)
        #expect(server.completed.isEmpty)
    }

    @Test func aRequestAnsweredBeforeItsBodyEndedIdlesOnceTheBodyEnds() throws {
        let (channel, server) = try Self.connect(ConnectionCount(limit: 2))
        Self.send(channel, "POST /early HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\n\r\na")
        #expect(Self.statusLine(try Self.output(channel)) == "HTTP/1.1 200 OK")
        Self.send(channel, "b")
        channel.embeddedEventLoop.advanceTime(by: .seconds(29))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
        #expect(server.completed == ["/early"])
    }

    @Test func anIdleConnectionIsClosedQuietlyAfterTheIdleTimeoutAndNotBefore() throws {
        let (channel, _) = try Self.connect(ConnectionCount(limit: 2))
        channel.embeddedEventLoop.advanceTime(by: .seconds(29))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
        #expect(try Self.output(channel) == "")
    }

    @Test func theIdleTimeoutCountsFromTheEndOfTheLastResponse() throws {
        let (channel, _) = try Self.connect(ConnectionCount(limit: 2))
        channel.embeddedEventLoop.advanceTime(by: .seconds(20))
        Self.send(channel, "GET / HTTP/1.1\r\nhost: x\r\n\r\n")
        #expect(Self.statusLine(try Self.output(channel)) == "HTTP/1.1 200 OK")
        channel.embeddedEventLoop.advanceTime(by: .seconds(29))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
    }

    @Test func aLongResponseIsNeverCutByTheIdleOrHeaderTimeout() throws {
        let (channel, _) = try Self.connect(ConnectionCount(limit: 2))
        Self.send(channel, "GET /stream HTTP/1.1\r\nhost: x\r\n\r\n")
        channel.embeddedEventLoop.advanceTime(by: .seconds(600))
        #expect(channel.isActive)
        #expect(Self.statusLine(try Self.output(channel)) == "HTTP/1.1 200 OK")
    }

    @Test func aConnectionOverTheCapGets503WithRetryAfterAndAFreedPlaceIsReused() throws {
        let connections = ConnectionCount(limit: 2)
        let (first, _) = try Self.connect(connections)
        let (second, _) = try Self.connect(connections)
        let (third, server) = try Self.connect(connections)
        let refused = try Self.output(third)
        #expect(Self.statusLine(refused) == "HTTP/1.1 503 Service Unavailable")
        #expect(refused.contains("retry-after: 1\r\n"))
        Self.send(third, "GET / HTTP/1.1\r\nhost: x\r\n\r\n")
        #expect(server.requests.isEmpty)
        #expect(connections.current == 2)
        try first.close().wait()
        #expect(connections.current == 1)
        let (fourth, _) = try Self.connect(connections)
        Self.send(fourth, "GET / HTTP/1.1\r\nhost: x\r\n\r\n")
        #expect(Self.statusLine(try Self.output(fourth)) == "HTTP/1.1 200 OK")
        _ = second
    }
}
