import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// What a test client saw of one response.
struct ClientResult: Sendable {
    var status: Int?
    var headers: [(String, String)] = []
    var body: [UInt8] = []
    /// The body's terminating part arrived (a clean end).
    var ended = false
    /// When each body part arrived (monotonic ns).
    var partTimes: [UInt64] = []
    var text: String { String(decoding: body, as: UTF8.self) }
    func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
}

/// A minimal HTTP/1.1 client for live tests: sends requests on one connection and reports each
/// response, whether it ended cleanly or the connection was cut.
final class TestClient: @unchecked Sendable {
    let channel: any Channel
    private let group: MultiThreadedEventLoopGroup
    private let collector: Collector

    init(port: Int, autoRead: Bool = true, closeAfterBodyParts: Int? = nil) async throws {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let collector = Collector(closeAfter: closeAfterBodyParts)
        self.collector = collector
        channel = try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelOption(.autoRead, value: autoRead)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(collector)
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
    }

    /// Sends a request; the returned task finishes at the response end or when the connection closes.
    func send(_ method: HTTPMethod = .GET, _ uri: String, headers: [(String, String)] = [], body: [UInt8] = []) async throws -> ClientResult {
        let promise = channel.eventLoop.makePromise(of: ClientResult.self)
        var h = HTTPHeaders(headers)
        h.add(name: "host", value: "127.0.0.1")
        if !body.isEmpty || method == .POST { h.add(name: "content-length", value: String(body.count)) }
        let collector = self.collector
        try await channel.eventLoop.submit {
            collector.expect(promise)
        }.get()
        channel.write(HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: h)), promise: nil)
        if !body.isEmpty { channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil) }
        try await channel.writeAndFlush(HTTPClientRequestPart.end(nil)).get()
        return try await promise.futureResult.get()
    }

    /// Asks the socket for more data (when autoRead is off).
    func read() { channel.read() }

    /// Closes the connection and the client's thread.
    func close() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }

    private final class Collector: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPClientResponsePart
        var result = ClientResult()
        var promise: EventLoopPromise<ClientResult>?
        let closeAfter: Int?
        init(closeAfter: Int?) { self.closeAfter = closeAfter }

        func expect(_ p: EventLoopPromise<ClientResult>) { promise = p; result = ClientResult() }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                result.status = Int(head.status.code)
                result.headers = head.headers.map { ($0.name, $0.value) }
            case .body(let buffer):
                result.body.append(contentsOf: buffer.readableBytesView)
                result.partTimes.append(NIODeadline.now().uptimeNanoseconds)
                if let n = closeAfter, result.partTimes.count >= n {
                    promise?.succeed(result); promise = nil
                    context.close(promise: nil)
                }
            case .end:
                result.ended = true
                promise?.succeed(result); promise = nil
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            promise?.succeed(result); promise = nil
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            // A cut chunked body surfaces as a decoder error or a close: the result says `ended == false`.
            promise?.succeed(result); promise = nil
            context.close(promise: nil)
        }
    }
}
