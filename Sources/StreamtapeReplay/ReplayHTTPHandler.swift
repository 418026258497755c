import Foundation
import NIOCore
import NIOHTTP1
import StreamtapeCore
import StreamtapeForwarding

/// One connection of the replay server: gathers a request, matches it, then plays the plan.
///
/// The playback (Core) says what is due; this handler only executes it: each body segment is its own
/// write and flush, waits are NIO scheduled callbacks at absolute deadlines (request time + offset),
/// and a full socket (not writable) pauses the playback until the client reads, so `--instant` runs
/// exactly as fast as the client reads.
///
/// Body segments go out as the plan's `PlanWire` slices, already framed, written just below the HTTP
/// encoder (head and end still pass through it), so a write costs no allocation, no copy and one
/// buffer; see `BodyFraming`.
final class ReplayHTTPHandler: ChannelInboundHandler, RemovableChannelHandler, NIOScheduledCallbackHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let catalog: ReplayCatalog
    private var request: HTTPRequestHead?
    /// When the request head arrived (monotonic ns and wall-clock ms): a recorded miss starts there.
    private var requestAt: (ns: UInt64, wallMs: Int64) = (0, 0)
    private var body: [UInt8] = []
    private var tooLarge = false
    private var playback: ReplayPlayback?
    private var wire: PlanWire?
    private var framing: BodyFraming = .throughEncoder
    private var method: HTTPMethod = .GET
    /// The segment after which the plan cuts the connection (its write gets a promise), if it does.
    private var cutAfter: Int?
    /// This handler's context while it is in the pipeline (the scheduled callback needs it).
    private var context: ChannelHandlerContext?
    /// The HTTP response encoder's context: body writes made on it skip the encoder.
    private var encoderContext: ChannelHandlerContext?
    var keepAlive = true
    private var version: HTTPVersion = .http1_1
    private var timer: NIOScheduledCallback?
    private var waitingForWritable = false
    private var lastWrite: EventLoopFuture<Void>?
    /// Writes streamtape's own JSON answers and forwarded misses (shared with the recorder).
    var writer: ResponseWriter?
    /// The miss being forwarded upstream and recorded, with its transfer (record-on-miss only).
    var miss: MissSession?
    /// Counts forwarded misses, so late upstream events of an ended one are dropped.
    var missSerial = 0

    init(catalog: ReplayCatalog) { self.catalog = catalog }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        writer = ResponseWriter(context: context)
        encoderContext = try? context.pipeline.syncOperations.context(handlerType: HTTPResponseEncoder.self)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimer(context: context)
        self.context = nil
        writer = nil
        encoderContext = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            request = head
            requestAt = (NIODeadline.now().uptimeNanoseconds, Int64(Date().timeIntervalSince1970 * 1000))
            body = []
            tooLarge = false
        case .body(var buffer):
            if body.count + buffer.readableBytes > catalog.configuration.maxRequestBody { tooLarge = true; return }
            body.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
        case .end:
            guard let head = request else { return }
            request = nil
            respond(to: head, context: context)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        keepAlive = head.isKeepAlive
        version = head.version
        if tooLarge {
            keepAlive = false
            return sendJSON(.payloadTooLarge, #"{"error":{"type":"streamtape_request_too_large","message":"request body over the replay limit"}}"#, context: context)
        }
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        switch (head.method, path) {
        case (.GET, "/__streamtape/health"):
            return sendJSON(.ok, #"{"status":"ok","exchanges":\#(catalog.count),"served":\#(catalog.served),"match":"\#(catalog.configuration.match.rawValue)"}"#, context: context)
        case (.GET, "/__streamtape/misses"):
            return sendJSON(.ok, catalog.missesJSON, context: context)
        case (.POST, "/__streamtape/reset"):
            catalog.reset()
            return sendJSON(.ok, #"{"status":"ok","served":0}"#, context: context)
        case (_, "/__streamtape/health"), (_, "/__streamtape/reset"):
            let allowed = path.hasSuffix("health") ? "GET" : "POST"
            let json = #"{"error":{"type":"streamtape_method_not_allowed","message":"\#(path) answers \#(allowed) only"}}"#
            return sendJSON(.methodNotAllowed, json, extraHeaders: [("allow", allowed)], context: context)
        default:
            break
        }
        let log = catalog.configuration.onRequest
        switch catalog.answer(method: head.method.rawValue, target: head.uri, body: body) {
        case .success(let (plan, wire, recording)):
            log?(ReplayRequestLog(method: head.method.rawValue, target: head.uri, outcome: .served(recording, status: plan.head.status)))
            self.wire = wire
            method = head.method
            cutAfter = plan.ending == .abort ? plan.segments.count - 1 : nil
            playback = ReplayPlayback(plan: plan, start: NIODeadline.now().uptimeNanoseconds)
            drive(context: context)
        case .failure(let miss):
            if let recording = catalog.configuration.recordMisses, let route = recording.resolve(head.uri) {
                forwardMiss(head, body: body, at: requestAt, route: route, recording: recording, context: context)
            } else {
                log?(ReplayRequestLog(method: head.method.rawValue, target: head.uri, outcome: .missed(miss)))
                catalog.noteMiss(miss.json)
                sendJSON(.notFound, miss.json, context: context)
            }
        }
    }

    /// Executes every action that is due, then sleeps until the next deadline or until writable.
    private func drive(context: ChannelHandlerContext) {
        while playback != nil {
            guard context.channel.isWritable else { waitingForWritable = true; return }
            // Advanced in place: copying the playback out and back would retain its plan on every action.
            let action = playback!.next(now: NIODeadline.now().uptimeNanoseconds)
            switch action {
            case .head(let head):
                var headers = wire?.headers ?? HTTPHeaders(head.headers.map { ($0.name, $0.value) })
                var responseVersion = HTTPVersion.http1_1
                if version.major == 1, version.minor == 0, head.chunked {
                    // HTTP/1.0 has no chunked coding: the body ends when the connection closes.
                    headers.remove(name: "transfer-encoding")
                    responseVersion = .http1_0
                    keepAlive = false
                }
                if !keepAlive { headers.replaceOrAdd(name: "connection", value: "close") }
                let status = HTTPResponseStatus(statusCode: head.status)
                framing = BodyFraming(method: method, status: status, version: responseVersion, headers: headers, hasEncoder: encoderContext != nil)
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: responseVersion, status: status, headers: headers))), promise: nil)
                context.flush()
            case .bytes:
                let index = playback!.lastSegmentIndex
                // Only the last write before a cut gets a promise: the close waits for it.
                let promise = cutAfter == index ? context.eventLoop.makePromise(of: Void.self) : nil
                writeSegment(index, context: context, promise: promise)
                if let promise { lastWrite = promise.futureResult }
            case .wait(let deadline):
                // A scheduled callback (this handler) instead of a task: no closure, promise or future per wait.
                timer = try? context.eventLoop.assumeIsolated().scheduleCallback(at: .uptimeNanoseconds(deadline), handler: self)
                if timer == nil { context.close(promise: nil) }  // the event loop is shutting down
                return
            case .end(.complete):
                playback = nil
                wire = nil
                if keepAlive {
                    // Writing the end can hand over a pipelined request at once, whose playback drives itself
                    // from inside this write: this loop must not drive it a second time (a second timer chain).
                    context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                    return
                } else {
                    context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                        context.close(promise: nil)
                    }
                }
            case .end(.abort):
                // Close only after the bytes before the cut are out, so the client sees exactly them.
                playback = nil
                wire = nil
                let pending = lastWrite ?? context.eventLoop.makeSucceededVoidFuture()
                lastWrite = nil
                pending.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            case .done:
                playback = nil
                wire = nil
            }
        }
    }

    /// Writes and flushes body segment `index` as `framing` says.
    private func writeSegment(_ index: Int, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        guard let wire else { promise?.succeed(); return }
        switch framing {
        case .chunked: encoderContext!.writeAndFlush(NIOAny(IOData.byteBuffer(wire.framed[index])), promise: promise)
        case .bare: encoderContext!.writeAndFlush(NIOAny(IOData.byteBuffer(wire.bare[index])), promise: promise)
        case .throughEncoder: context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(wire.bare[index]))), promise: promise)
        }
    }

    /// The playback's next deadline came: carry on.
    func handleScheduledCallback(eventLoop: some EventLoop) {
        timer = nil
        guard let context else { return }
        drive(context: context)
    }

    private func cancelTimer(context: ChannelHandlerContext) {
        guard let timer else { return }
        self.timer = nil
        context.eventLoop.assumeIsolated().cancelScheduledCallback(timer)
    }

    /// Answers with streamtape's own JSON (always as HTTP/1.1, as replay always has).
    private func sendJSON(_ status: HTTPResponseStatus, _ json: String, extraHeaders: [(String, String)] = [], context: ChannelHandlerContext) {
        writer?.keepAlive = keepAlive
        writer?.respond(status: Int(status.code), json: json, extraHeaders: extraHeaders, version: .http1_1)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if let miss {
            miss.forwarding.client(writable: context.channel.isWritable)
            feedMiss(.clientWritable(context.channel.isWritable), context: context)
        }
        if waitingForWritable, context.channel.isWritable {
            waitingForWritable = false
            drive(context: context)
        }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let refused = event as? ClientRequestRefused, miss != nil { feedMiss(.requestRefused(refused.reason), context: context) }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer(context: context)
        playback = nil
        wire = nil
        if miss != nil { feedMiss(.clientClosed(at: MonotonicClock.now()), context: context) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
