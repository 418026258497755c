import Foundation
import NIOCore
import NIOHTTP1
import StreamtapeCore

/// One connection of the replay server: gathers a request, matches it, then plays the plan.
///
/// The playback (Core) says what is due; this handler only executes it: each body segment is its own
/// write and flush, waits are NIO scheduled tasks at absolute deadlines (request time + offset), and
/// a full socket (not writable) pauses the playback until the client reads, so `--instant` runs
/// exactly as fast as the client reads.
final class ReplayHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let book: ReplayBook
    private var request: HTTPRequestHead?
    /// When the request head arrived (monotonic ns and wall-clock ms): a recorded miss starts there.
    private var requestAt: (ns: UInt64, wallMs: Int64) = (0, 0)
    private var body: [UInt8] = []
    private var tooLarge = false
    private var playback: ReplayPlayback?
    private var segmentBuffers: [ByteBuffer] = []
    var keepAlive = true
    var version: HTTPVersion = .http1_1
    private var timer: Scheduled<Void>?
    private var waitingForWritable = false
    var lastWrite: EventLoopFuture<Void>?
    /// The miss being forwarded upstream and recorded, with its transfer (record-on-miss only).
    var miss: MissSession?
    /// Counts forwarded misses, so late upstream events of an ended one are dropped.
    var missSerial = 0

    init(book: ReplayBook) { self.book = book }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            request = head
            requestAt = (NIODeadline.now().uptimeNanoseconds, Int64(Date().timeIntervalSince1970 * 1000))
            body = []
            tooLarge = false
        case .body(var buffer):
            if body.count + buffer.readableBytes > book.configuration.maxRequestBody { tooLarge = true; return }
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
            return sendJSON(.ok, #"{"status":"ok","exchanges":\#(book.count),"served":\#(book.served),"match":"\#(book.configuration.match.rawValue)"}"#, context: context)
        case (.POST, "/__streamtape/reset"):
            book.reset()
            return sendJSON(.ok, #"{"status":"ok","served":0}"#, context: context)
        default:
            break
        }
        switch book.answer(method: head.method.rawValue, target: head.uri, body: body) {
        case .success(let (plan, buffers)):
            segmentBuffers = buffers
            playback = ReplayPlayback(plan: plan, start: NIODeadline.now().uptimeNanoseconds)
            drive(context: context)
        case .failure(let miss):
            if let recording = book.configuration.recordMisses, let route = recording.resolve(head.uri) {
                forwardMiss(head, body: body, at: requestAt, route: route, recording: recording, context: context)
            } else {
                sendJSON(.notFound, miss.json, context: context)
            }
        }
    }

    /// Executes every action that is due, then sleeps until the next deadline or until writable.
    private func drive(context: ChannelHandlerContext) {
        while var current = playback {
            guard context.channel.isWritable else { waitingForWritable = true; return }
            let action = current.next(now: NIODeadline.now().uptimeNanoseconds)
            playback = current
            switch action {
            case .head(let head):
                var headers = HTTPHeaders(head.headers.map { ($0.name, $0.value) })
                var responseVersion = HTTPVersion.http1_1
                if version.major == 1, version.minor == 0, head.chunked {
                    // HTTP/1.0 has no chunked coding: the body ends when the connection closes.
                    headers.remove(name: "transfer-encoding")
                    responseVersion = .http1_0
                    keepAlive = false
                }
                if !keepAlive { headers.replaceOrAdd(name: "connection", value: "close") }
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: responseVersion, status: .init(statusCode: head.status), headers: headers))), promise: nil)
                context.flush()
            case .bytes:
                let index = current.lastSegmentIndex
                let part = wrapOutboundOut(.body(.byteBuffer(segmentBuffers[index])))
                if current.plan.ending == .abort, index == segmentBuffers.count - 1 {
                    lastWrite = context.writeAndFlush(part)  // the close waits for it
                } else {
                    context.writeAndFlush(part, promise: nil)  // no future per write on the hot path
                }
            case .wait(let deadline):
                timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: .uptimeNanoseconds(deadline)) { [self] in
                    timer = nil
                    drive(context: context)
                }
                return
            case .end(.complete):
                playback = nil
                let keep = keepAlive
                context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                    if !keep { context.close(promise: nil) }
                }
            case .end(.abort):
                // Close only after the bytes before the cut are out, so the client sees exactly them.
                playback = nil
                let pending = lastWrite ?? context.eventLoop.makeSucceededVoidFuture()
                lastWrite = nil
                pending.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            case .done:
                playback = nil
            }
        }
    }

    func sendJSON(_ status: HTTPResponseStatus, _ json: String, context: ChannelHandlerContext) {
        var headers = HTTPHeaders([("content-type", "application/json"), ("content-length", String(json.utf8.count))])
        if !keepAlive { headers.add(name: "connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: json)))), promise: nil)
        let keep = keepAlive
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            if !keep { context.close(promise: nil) }
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if miss != nil { feedMiss(.clientWritable(context.channel.isWritable), context: context) }
        if waitingForWritable, context.channel.isWritable {
            waitingForWritable = false
            drive(context: context)
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        playback = nil
        if miss != nil { feedMiss(.clientClosed(at: NIODeadline.now().uptimeNanoseconds), context: context) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
