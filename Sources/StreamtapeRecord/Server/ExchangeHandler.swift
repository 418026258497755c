import Foundation
import NIOCore
import NIOHTTP1
import StreamtapeCore
import StreamtapeForwarding

/// One client connection: turns NIO callbacks into `ExchangeMachine` events; a `ForwardingSession`
/// executes its actions. Keep-alive connections run their exchanges one after another (NIO's
/// pipelining assistance).
final class ExchangeHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let server: RecordServer.Shared
    private var writer: ResponseWriter?
    private var machine: ExchangeMachine?
    private var session: ForwardingSession?
    private var serial = 0
    /// This handler's context while it is in the pipeline (deferred request parts need it).
    private var context: ChannelHandlerContext?
    /// An exchange's actions are running: request parts that arrive meanwhile wait in `deferred`.
    private var executing = false
    /// A pipelined request NIO releases inside the previous response's end write (so inside that
    /// exchange's actions): it starts once the previous exchange has finished.
    private var deferred: [HTTPServerRequestPart] = []

    init(server: RecordServer.Shared) { self.server = server }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context; writer = ResponseWriter(context: context) }
    /// The session stays: after a client that left with the end marker, it still records the upstream's end.
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil; writer = nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if executing { return deferred.append(part) }
        read(part, context: context)
    }

    private func read(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        switch part {
        case .head(let head):
            guard machine.map({ $0.isFinished }) ?? true, let writer else { return }
            writer.version = head.version
            writer.keepAlive = head.isKeepAlive
            if server.isStopping {
                writer.keepAlive = false
                writer.respond(status: 503, json: ExchangeMachine.errorJSON("streamtape_shutting_down", "streamtape is shutting down"))
                return
            }
            serial += 1
            machine = ExchangeMachine(routes: server.configuration.routes, redaction: server.configuration.redaction,
                                      maxRequestBody: server.configuration.limits.maxBody)
            let (bound, serial) = (NIOLoopBound(self, eventLoop: context.eventLoop), serial)
            session = ForwardingSession(wiring: server.wiring, writer: writer, loop: context.eventLoop,
                                       clientWritable: context.channel.isWritable) { bound.value.upstream($0, serial: serial) }
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

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let refused = event as? ClientRequestRefused { feed(.requestRefused(refused.reason)) }
        context.fireUserInboundEventTriggered(event)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        let writable = context.channel.isWritable
        session?.client(writable: writable)
        feed(.clientWritable(writable))
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// An upstream event, back on this loop; dropped when it belongs to an exchange already over.
    private func upstream(_ event: ExchangeMachine.Event, serial: Int) {
        guard serial == self.serial else { return }
        feed(event)
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
        executing = true
        perform(actions)
        executing = false
        while !deferred.isEmpty, let context, context.channel.isActive { read(deferred.removeFirst(), context: context) }
    }

    private func perform(_ actions: [ExchangeMachine.Action]) {
        guard let session else { return }
        for action in actions {
            switch action {
            case .recordBegin where server.failure != nil:
                return recordingFailed(server.failure!)
            case .forwardChunk(let bytes):
                server.countBytes(bytes.count)
            default:
                break
            }
            switch session.execute(action) {
            case .done:
                continue
            case .refused(let error):
                let message = "the archive refused the exchange: \(error)"
                server.fail(message)
                return recordingFailed(message)
            case .finished(let report):
                self.session = nil
                server.finished(report, handler: self)
            }
        }
    }
}
