import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import StreamtapeCore

/// What the fake upstream does for one request.
public struct Script: Sendable {
    /// One step of the body.
    public enum Step: Sendable {
        /// Writes and flushes these bytes.
        case chunk([UInt8])
        /// Waits.
        case pause(milliseconds: Int64)
        /// Writes `total` bytes of SSE in `block`-sized chunks, only while the socket takes them.
        case flood(total: Int, block: Int)
    }
    /// How the body ends.
    public enum Ending: Sendable {
        /// The last chunk: a complete body.
        case complete
        /// Closes the socket mid-body (no last chunk).
        case cut
        /// Stays silent until the peer goes away.
        case hang
    }
    /// The response status.
    public var status = 200
    /// The response headers.
    public var headers: [(String, String)] = [("content-type", "text/event-stream")]
    /// The body, step by step.
    public var steps: [Step] = []
    /// How the body ends.
    public var ending = Ending.complete
    /// When the body is sent in one piece with a content-length (non-streaming JSON).
    public var fixedBody: [UInt8]?

    /// A script of these parts.
    public init(status: Int = 200, headers: [(String, String)] = [("content-type", "text/event-stream")], steps: [Step] = [],
                ending: Ending = .complete, fixedBody: [UInt8]? = nil) {
        self.status = status; self.headers = headers; self.steps = steps; self.ending = ending; self.fixedBody = fixedBody
    }

    /// A streaming SSE body cut into `size`-byte chunks, `gapMs` apart.
    public static func sse(_ bytes: [UInt8], chunk size: Int, gapMs: Int64 = 1, ending: Ending = .complete) -> Script {
        var steps: [Step] = []
        for start in stride(from: 0, to: bytes.count, by: size) {
            if start > 0 && gapMs > 0 { steps.append(.pause(milliseconds: gapMs)) }
            steps.append(.chunk(Array(bytes[start..<min(bytes.count, start + size)])))
        }
        return Script(steps: steps, ending: ending)
    }

    /// A JSON answer with a content-length.
    public static func json(_ status: Int, _ text: String) -> Script {
        Script(status: status, headers: [("content-type", "application/json")], fixedBody: Array(text.utf8))
    }
}

/// A request the fake upstream received.
public struct ReceivedRequest: Sendable {
    /// The method.
    public var method: String
    /// The request target.
    public var uri: String
    /// The headers, in order.
    public var headers: [Header]
    /// The body.
    public var body: [UInt8]
}

/// An HTTP/1.1 server on 127.0.0.1:0 that answers each request with a `Script`, and notes what it got.
public final class FakeUpstream: Sendable {
    /// The bound port.
    public let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    /// What it received and did.
    public let log = Box(Log())

    /// What the fake upstream received and did.
    public struct Log: Sendable {
        /// Every request, in order.
        public var requests: [ReceivedRequest] = []
        /// When each connection closed (monotonic ns).
        public var closedAt: [UInt64] = []
        /// Flood bytes the socket took.
        public var floodWritten = 0
    }

    /// Starts on 127.0.0.1:0, answering each request with `script(request)`.
    public init(_ script: @escaping @Sendable (ReceivedRequest) -> Script) async throws {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let log = self.log
        channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(ScriptHandler(script: script, log: log))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress!.port!
    }

    /// `http://127.0.0.1:PORT`.
    public var url: String { "http://127.0.0.1:\(port)" }
    /// Every request so far.
    public var requests: [ReceivedRequest] { log.value.requests }

    /// Closes the listener and its thread.
    public func stop() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }
}

private final class ScriptHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let script: @Sendable (ReceivedRequest) -> Script
    let log: Box<FakeUpstream.Log>
    var request: ReceivedRequest?
    var pendingFlood: (left: Int, block: Int, rest: ArraySlice<Script.Step>, ending: Script.Ending)?
    var context: ChannelHandlerContext?

    init(script: @escaping @Sendable (ReceivedRequest) -> Script, log: Box<FakeUpstream.Log>) { self.script = script; self.log = log }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            request = ReceivedRequest(method: head.method.rawValue, uri: head.uri, headers: head.headers.map { Header($0.name, $0.value) }, body: [])
        case .body(let buffer):
            request?.body.append(contentsOf: buffer.readableBytesView)
        case .end:
            guard let request else { return }
            log.update { $0.requests.append(request) }
            let s = script(request)
            var headers = HTTPHeaders(s.headers)
            if let body = s.fixedBody { headers.add(name: "content-length", value: String(body.count)) }
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .init(statusCode: s.status), headers: headers))), promise: nil)
            if let body = s.fixedBody {
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                return
            }
            run(s.steps[...], s.ending)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        let now = NIODeadline.now().uptimeNanoseconds
        log.update { $0.closedAt.append(now) }
        self.context = nil
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, let pending = pendingFlood {
            pendingFlood = nil
            flood(left: pending.left, block: pending.block, rest: pending.rest, ending: pending.ending)
        }
    }

    private func run(_ steps: ArraySlice<Script.Step>, _ ending: Script.Ending) {
        guard let context else { return }
        guard let step = steps.first else { return finish(ending) }
        let rest = steps.dropFirst()
        switch step {
        case .chunk(let bytes):
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: bytes)))), promise: nil)
            run(rest, ending)
        case .pause(let ms):
            let loop = context.eventLoop
            let me = NIOLoopBound(self, eventLoop: loop)
            loop.scheduleTask(in: .milliseconds(ms)) { me.value.run(rest, ending) }
        case .flood(let total, let block):
            flood(left: total, block: block, rest: rest, ending: ending)
        }
    }

    private func flood(left: Int, block: Int, rest: ArraySlice<Script.Step>, ending: Script.Ending) {
        guard let context else { return }
        var left = left
        let line = Array("data: ".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: max(0, block - 8)) + [10, 10]
        while left > 0 {
            guard context.channel.isWritable else { pendingFlood = (left, block, rest, ending); return }
            let n = line.count
            let log = self.log
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: line))))).whenSuccess {
                log.update { $0.floodWritten += n }
            }
            left -= n
        }
        run(rest, ending)
    }

    private func finish(_ ending: Script.Ending) {
        guard let context else { return }
        switch ending {
        case .complete: context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        case .cut: context.close(promise: nil)
        case .hang: break
        }
    }
}
