import Foundation
import NIOCore
import NIOHTTP1
import StreamtapeCore

/// One client connection: turns NIO callbacks into `ExchangeMachine` events and executes its actions.
/// Keep-alive connections run their exchanges one after another (NIO's pipelining assistance).
final class ExchangeHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let server: RecordServer.Shared
    private var context: ChannelHandlerContext?
    private var machine: ExchangeMachine?
    private var serial = 0
    private var transfer: (any UpstreamTransfer)?
    private var bridge: UpstreamBridge?
    private var sinkID: Int64?
    private var keepAlive = true
    private var version = HTTPVersion.http1_1
    private var lastWrite: EventLoopFuture<Void>?
    /// Body chunks went out after `lastWrite` (they are written without a promise: a promise on a
    /// chunked body part costs NIO's encoder three more promises per chunk).
    private var untrackedChunks = false

    init(server: RecordServer.Shared) { self.server = server }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            guard machine.map({ $0.isFinished }) ?? true else { return }
            version = head.version
            keepAlive = head.isKeepAlive
            if server.isStopping {
                keepAlive = false
                respond(status: 503, json: ExchangeMachine.errorJSON("streamtape_shutting_down", "streamtape is shutting down"))
                return
            }
            serial += 1
            machine = ExchangeMachine(routes: server.configuration.routes, redaction: server.configuration.redaction)
            server.register(self, on: context.eventLoop)
            let headers = head.headers.map { Header($0.name, $0.value) }
            feed(.requestHead(method: head.method.rawValue, target: head.uri, headers: headers,
                              at: MonotonicClock.now(), wallMs: Int64(Date().timeIntervalSince1970 * 1000)))
            if !context.channel.isWritable { feed(.clientWritable(false)) }
        case .body(let buffer):
            feed(.requestBody(Array(buffer.readableBytesView)))
        case .end:
            feed(.requestEnd)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        feed(.clientClosed(at: MonotonicClock.now()))
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        feed(.clientWritable(context.channel.isWritable))
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// An upstream event, back on this loop; dropped when it belongs to an exchange already over.
    func upstream(_ event: ExchangeMachine.Event, serial: Int) {
        guard serial == self.serial else { return }
        feed(event)
        if case .upstreamChunk(let bytes, _) = event { bridge?.consumed(bytes.count) }
    }

    /// The recorder stops now: end the exchange in flight as interrupted, for this reason.
    func interrupt(_ reason: StopReason) { feed(.interrupt(at: MonotonicClock.now(), reason)) }

    /// The archive failed: end the exchange in flight as a proxy error.
    func recordingFailed(_ message: String) { feed(.recordingFailed(message, at: MonotonicClock.now())) }

    private func feed(_ event: ExchangeMachine.Event) {
        // Mutated in place: copying the machine out and back costs a retain and release per field.
        guard let before = machine?.eventsSoFar, let actions = machine?.handle(event) else { return }
        let after = machine?.eventsSoFar ?? before
        if after > before { server.countEvents(after - before) }
        execute(actions)
    }

    private func execute(_ actions: [ExchangeMachine.Action]) {
        for action in actions {
            switch action {
            case .recordBegin(let startedMs, let upstream, let request):
                if let failure = server.failure {
                    recordingFailed(failure)
                    return
                }
                do {
                    sinkID = try server.sink.begin(startedMs: startedMs, upstream: upstream, request: request, tags: server.configuration.tags)
                } catch {
                    let message = "the archive refused the exchange: \(error)"
                    server.fail(message)
                    recordingFailed(message)
                    return
                }
            case .startUpstream(let request):
                guard let context else { continue }
                let sink = server.sink
                let bridge = UpstreamBridge(loop: context.eventLoop, handler: NIOLoopBound(self, eventLoop: context.eventLoop),
                                            serial: serial, sinkBacklogged: { sink.isBacklogged })
                let started = server.upstream.start(request, delegate: bridge)
                bridge.attach(started)
                self.bridge = bridge
                transfer = started
            case .forwardHead(let status, let headers):
                var h = HTTPHeaders(headers.map { ($0.name, $0.value) })
                if !keepAlive { h.replaceOrAdd(name: "connection", value: "close") }
                write(.head(HTTPResponseHead(version: version, status: .init(statusCode: status), headers: h)))
            case .forwardChunk(let bytes):
                guard let context else { continue }
                context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
                untrackedChunks = true
                server.countBytes(bytes.count)
            case .forwardEnd:
                write(.end(nil))
                if !keepAlive { closeAfterWrites() }
            case .respond(let status, let json):
                respond(status: status, json: json)
            case .abortClient:
                closeAfterWrites()
            case .closeClient:
                context?.close(promise: nil)
            case .recordResponse(let response):
                if let id = sinkID { server.sink.response(id, response) }
            case .recordChunk(let chunk):
                if let id = sinkID { server.sink.chunk(id, chunk) }
            case .recordEnd(let end):
                if let id = sinkID { server.sink.end(id, end) }
            case .pauseUpstream:
                bridge?.clientFull(true)
            case .resumeUpstream:
                bridge?.clientFull(false)
            case .cancelUpstream:
                transfer?.cancel()
                transfer = nil
                bridge = nil
            case .finished(var report):
                report.id = sinkID
                transfer = nil
                bridge = nil
                sinkID = nil
                server.finished(report, handler: self)
            }
        }
    }

    private func respond(status: Int, json: String) {
        guard let context else { return }
        var headers = HTTPHeaders([("content-type", "application/json"), ("content-length", String(json.utf8.count))])
        if !keepAlive { headers.add(name: "connection", value: "close") }
        write(.head(HTTPResponseHead(version: version, status: .init(statusCode: status), headers: headers)))
        write(.body(.byteBuffer(context.channel.allocator.buffer(string: json))))
        write(.end(nil))
        if !keepAlive { closeAfterWrites() }
    }

    private func write(_ part: HTTPServerResponsePart) {
        guard let context else { return }
        lastWrite = context.writeAndFlush(wrapOutboundOut(part))
        untrackedChunks = false
    }

    /// Closes once what was written has reached the socket (so the client gets every byte that came
    /// before a cut), or after 5 s if the client never reads it.
    private func closeAfterWrites() {
        guard let context else { return }
        let channel = context.channel
        // Chunks went out untracked, so the body is still open: an empty body part is a no-op on
        // the wire whose promise completes after every earlier write.
        if untrackedChunks { write(.body(.byteBuffer(ByteBuffer()))) }
        guard let last = lastWrite else { channel.close(promise: nil); return }
        last.whenComplete { _ in channel.close(promise: nil) }
        channel.eventLoop.scheduleTask(in: .seconds(5)) { channel.close(promise: nil) }
    }
}
