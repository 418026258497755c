import Foundation
import NIOCore
import NIOHTTP1
import StreamtapeCore

/// One forwarded miss in flight on a connection: its machine, transfer and archive id.
struct MissSession {
    /// The exchange's state machine.
    var machine: MissMachine
    /// The handler's miss serial when it started (late events of older misses are dropped).
    var serial: Int
    /// The upstream transfer and its bridge, once started.
    var bridge: MissBridge?
    var transfer: (any UpstreamTransfer)?
    /// The sink's id for the exchange, once begun.
    var sinkID: Int64?
    /// Why the finished recording could not be added to what replay serves, if it could not.
    var notLearned: String?
}

/// Record-on-miss: the handler forwards a request no recording matches to the upstream, streams each
/// read to the client as it arrives, records it through the sink, and learns the finished recording.
extension ReplayHTTPHandler {
    /// Starts forwarding a whole request (head and body as the client sent them) to `route`.
    func forwardMiss(_ head: HTTPRequestHead, body: [UInt8], at: (ns: UInt64, wallMs: Int64),
                     route: (baseURL: String, url: String), recording: ReplayMissRecording, context: ChannelHandlerContext) {
        missSerial += 1
        var machine = MissMachine(method: head.method.rawValue, target: head.uri, headers: head.headers.map { Header($0.name, $0.value) },
                                  body: body, at: at.ns, wallMs: at.wallMs, upstream: route, redaction: recording.redaction,
                                  tags: recording.tags)
        if !context.channel.isWritable { _ = machine.handle(.clientWritable(false)) }
        let actions = machine.begin()
        miss = MissSession(machine: machine, serial: missSerial)
        executeMiss(actions, recording: recording, context: context)
    }

    /// Feeds an event to the miss in flight and executes what it says.
    func feedMiss(_ event: MissMachine.Event, context: ChannelHandlerContext) {
        guard var session = miss, let recording = book.configuration.recordMisses else { return }
        let actions = session.machine.handle(event)
        miss = session
        executeMiss(actions, recording: recording, context: context)
    }

    private func executeMiss(_ actions: [MissMachine.Action], recording: ReplayMissRecording, context: ChannelHandlerContext) {
        for action in actions {
            let step: ExchangeMachine.Action
            switch action {
            case .exchange(let shared):
                step = shared
            case .learn(var exchange):
                guard recording.learns else { continue }
                exchange.id = miss?.sinkID
                do { try book.learn(exchange) } catch { miss?.notLearned = "\(error)" }
                continue
            case .finished(var report):
                report.id = miss?.sinkID
                report.replayable = report.replayable && recording.learns
                if let reason = miss?.notLearned {
                    report.replayable = false
                    report.error = "recorded but not replayable: \(reason)"
                }
                miss = nil
                recording.onRecorded(report)
                continue
            }
            switch step {
            case .recordBegin(let startedMs, let upstream, let request):
                do {
                    miss?.sinkID = try recording.sink.begin(startedMs: startedMs, upstream: upstream, request: request, tags: recording.tags)
                } catch {
                    // Fail loudly rather than proxy traffic that cannot be recorded.
                    feedMiss(.recordingFailed("\(error)", at: NIODeadline.now().uptimeNanoseconds), context: context)
                    return
                }
            case .startUpstream(let request):
                guard let serial = miss?.serial else { return }
                let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
                let bridge = MissBridge(loop: context.eventLoop) { event in
                    let (handler, context) = bound.value
                    guard let session = handler.miss, session.serial == serial else { return }
                    handler.feedMiss(event, context: context)
                    if case .upstreamChunk(let bytes, _) = event { session.bridge?.consumed(bytes.count) }
                }
                miss?.bridge = bridge
                let transfer = recording.client.start(request, delegate: bridge)
                bridge.attach(transfer)
                miss?.transfer = transfer
            case .forwardHead(let status, let headers):
                var h = HTTPHeaders(headers.map { ($0.name, $0.value) })
                if !keepAlive { h.replaceOrAdd(name: "connection", value: "close") }
                lastWrite = context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: .init(statusCode: status), headers: h))))
            case .forwardChunk(let bytes):
                lastWrite = context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))))
            case .forwardEnd:
                lastWrite = context.writeAndFlush(wrapOutboundOut(.end(nil)))
                if !keepAlive { closeAfterWrites(context: context) }
            case .respond(let status, let json):
                sendJSON(HTTPResponseStatus(statusCode: status), json, context: context)
            case .abortClient:
                closeAfterWrites(context: context)
            case .recordResponse(let response):
                if let id = miss?.sinkID { recording.sink.response(id, response) }
            case .recordChunk(let chunk):
                if let id = miss?.sinkID { recording.sink.chunk(id, chunk) }
            case .recordEnd(let end):
                if let id = miss?.sinkID { recording.sink.end(id, end) }
            case .pauseUpstream:
                miss?.bridge?.client(full: true)
            case .resumeUpstream:
                miss?.bridge?.client(full: false)
            case .cancelUpstream:
                miss?.transfer?.cancel()
                miss?.transfer = nil
            case .closeClient:
                context.close(promise: nil)
            case .finished:
                break   // MissMachine hands the end back as its own `finished`
            }
        }
    }

    /// Closes once what was written reached the socket (the client gets every byte before a cut),
    /// or after 5 s if the client never reads it.
    private func closeAfterWrites(context: ChannelHandlerContext) {
        let channel = context.channel
        guard let last = lastWrite else { channel.close(promise: nil); return }
        lastWrite = nil
        last.whenComplete { _ in channel.close(promise: nil) }
        channel.eventLoop.scheduleTask(in: .seconds(5)) { channel.close(promise: nil) }
    }
}
