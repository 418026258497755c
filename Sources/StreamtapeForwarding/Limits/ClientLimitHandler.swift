import NIOCore
import NIOHTTP1
import StreamtapeCore

/// Enforces `ClientLimits` on one connection. It sits right after NIO's request decoder, ahead of the
/// pipelining handler, so its answers (400, 408, 413, 414, 431, 503) go straight to the encoder and
/// the server's own handler never sees a request it refused.
///
/// Its timers run only while the client owes something: the idle timeout until bytes of a head
/// arrive (then a quiet close), the header timeout from then until the head is decoded (then 408), the
/// body timeout from the head until the body's end (then 408, or only a close when the response
/// already started). A pipelined request's body clock starts once the responses before it ended, since
/// the pipelining handler stops reading meanwhile. A client that dribbles its head or body holds no
/// thread (the event loop only wakes for its bytes) and one connection place for at most
/// `headerTimeout` plus `bodyTimeout`; the server never sees the end of a request cut this way.
public final class ClientLimitHandler: ChannelDuplexHandler, RemovableChannelHandler {
    public typealias InboundIn = HTTPServerRequestPart
    public typealias InboundOut = HTTPServerRequestPart
    public typealias OutboundIn = HTTPServerResponsePart
    public typealias OutboundOut = HTTPServerResponsePart

    /// How long a refused client may still send (drained and dropped) after the answer, before the close.
    static let linger = TimeAmount.seconds(2)

    private let limits: ClientLimits
    private let connections: ConnectionCount
    private var admitted = false
    /// Requests passed on whose response has not ended.
    private var unanswered = 0
    /// A request passed on whose `.end` has not arrived yet.
    private var receiving = false
    /// The server wrote a response head and not yet its end.
    private var responding = false
    /// Bytes of the next head arrived: the header timeout runs instead of the idle one.
    private var headStarted = false
    /// Request parts were decoded since the last read completed.
    private var decodedThisRead = false
    /// This handler answered; whatever the client still sends is dropped.
    private var refused = false
    private var timer: Scheduled<Void>?

    /// A handler for one connection; `connections` is the server's count, shared by all of them.
    public init(limits: ClientLimits, connections: ConnectionCount) {
        self.limits = limits
        self.connections = connections
    }

    private var waitingForRequest: Bool { unanswered == 0 && !receiving && !refused }

    public func channelActive(context: ChannelHandlerContext) {
        admitted = connections.admit()
        if admitted {
            waitForNextRequest(context: context)
        } else {
            refuse(.serviceUnavailable, "streamtape_too_many_connections",
                   "streamtape has \(limits.maxConnections) connections open; retry later",
                   extraHeaders: [("retry-after", "1")], context: context)
        }
        context.fireChannelActive()
    }

    public func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        if admitted { connections.release() }
        admitted = false
        context.fireChannelInactive()
    }

    public func handlerRemoved(context: ChannelHandlerContext) { cancelTimer() }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        decodedThisRead = true
        switch unwrapInboundIn(data) {
        case .head(let head):
            cancelTimer()
            headStarted = false
            if head.uri.utf8.count > limits.maxTarget {
                return refuse(.uriTooLong, "streamtape_target_too_long", "the request target is over \(limits.maxTarget) bytes", context: context)
            }
            if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > limits.maxBody {
                return refuse(.payloadTooLarge, "streamtape_request_too_large", "the request body is over \(limits.maxBody) bytes", context: context)
            }
            unanswered += 1
            receiving = true
            if unanswered == 1 { timeOut("body", after: limits.bodyTimeout, context: context) }
        case .body:
            break
        case .end:
            receiving = false
            cancelTimer()
            // Answered before its body ended: the connection now idles.
            if waitingForRequest { waitForNextRequest(context: context) }
        }
        context.fireChannelRead(data)
    }

    /// A read that decoded nothing while the connection waits for a request carried the start of a head.
    public func channelReadComplete(context: ChannelHandlerContext) {
        if !decodedThisRead, waitingForRequest, !headStarted {
            headStarted = true
            timeOut("head", after: limits.headerTimeout, context: context)
        }
        decodedThisRead = false
        context.fireChannelReadComplete()
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head) where head.status.code >= 200:
            responding = true
        case .end:
            responding = false
            unanswered = max(0, unanswered - 1)
        case .head, .body:
            break
        }
        context.write(data, promise: promise)
        if waitingForRequest, timer == nil {
            waitForNextRequest(context: context)
        } else if receiving, unanswered == 1, !refused, timer == nil {
            // A pipelined request still arriving: its body clock starts now that the responses before it ended.
            timeOut("body", after: limits.bodyTimeout, context: context)
        }
    }

    /// Malformed or oversized heads: NIO's decoder reports them here, then closes the connection.
    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError else { return context.fireErrorCaught(error) }
        guard !refused else { return }
        if parserError == .headerOverflow {
            refuse(.requestHeaderFieldsTooLarge, "streamtape_headers_too_large",
                   "the request head is over \(limits.maxHeadBytes) bytes or \(limits.maxHeaderCount) header fields", context: context)
        } else {
            refuse(.badRequest, "streamtape_bad_request", "the request is not valid HTTP/1.1 (\(parserError))", context: context)
        }
    }

    /// Answers with streamtape's JSON error and closes: output first, so the client reads the answer
    /// while what it still sends is drained, then the whole connection after `linger`. A response the
    /// server already started or ended for this request (or a pipelined one still owed) cannot be
    /// interleaved: then it only closes.
    private func refuse(_ status: HTTPResponseStatus, _ type: String, _ message: String, extraHeaders: [(String, String)] = [],
                        context: ChannelHandlerContext) {
        refused = true
        cancelTimer()
        if receiving { context.fireUserInboundEventTriggered(ClientRequestRefused(reason: message)) }
        guard !responding, unanswered == (receiving ? 1 : 0) else { return context.close(promise: nil) }
        let json = ExchangeMachine.errorJSON(type, message)
        let headers = HTTPHeaders([("content-type", "application/json"), ("content-length", String(json.utf8.count)),
                                   ("connection", "close")] + extraHeaders)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: json)))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            channel.close(mode: .output).whenFailure { _ in channel.close(promise: nil) }
        }
        wait(Self.linger, context: context) { $1.close(promise: nil) }
    }

    /// Closes the connection quietly unless a request starts within the idle timeout.
    private func waitForNextRequest(context: ChannelHandlerContext) {
        wait(limits.idleTimeout, context: context) { $1.close(promise: nil) }
    }

    /// Answers 408 unless the request's `part` ("head" or "body") is complete within `delay`.
    private func timeOut(_ part: String, after delay: TimeAmount, context: ChannelHandlerContext) {
        let milliseconds = delay.nanoseconds / 1_000_000
        wait(delay, context: context) { handler, context in
            handler.refuse(.requestTimeout, "streamtape_request_timeout",
                           "the request \(part) did not arrive within \(milliseconds) ms", context: context)
        }
    }

    /// Runs `action` after `delay` unless cancelled first (one timer at a time).
    private func wait(_ delay: TimeAmount, context: ChannelHandlerContext,
                      _ action: @escaping (ClientLimitHandler, ChannelHandlerContext) -> Void) {
        cancelTimer()
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: delay) { [self] in
            timer = nil
            action(self, context)
        }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
    }
}

@available(*, unavailable)
extension ClientLimitHandler: Sendable {}

/// Sent inbound when a request whose head was passed on is refused before its end (the body timeout):
/// the close that follows is streamtape's, and the handlers say so.
public struct ClientRequestRefused: Sendable, Equatable {
    /// The refusal as the client was told it.
    public let reason: String
}
