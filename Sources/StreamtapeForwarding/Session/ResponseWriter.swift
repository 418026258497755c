import NIOCore
import NIOHTTP1
import StreamtapeCore

/// Writes one connection's responses: forwarded heads and chunks, streamtape's own JSON answers, and
/// the close that waits for what was written (so a client gets every byte that came before a cut).
///
/// Loop-bound: used only on the connection's event loop, from its handler.
public final class ResponseWriter {
    private let context: ChannelHandlerContext
    /// The HTTP version of the request being answered.
    public var version = HTTPVersion.http1_1
    /// Whether the connection stays open after this response; when false, heads say `connection: close`.
    public var keepAlive = true
    private var lastWrite: EventLoopFuture<Void>?
    /// Body chunks went out after `lastWrite` (they are written without a promise: a promise on a
    /// chunked body part costs NIO's encoder three more promises per chunk).
    private var untrackedChunks = false

    /// A writer for the connection of `context` (the handler's own context).
    public init(context: ChannelHandlerContext) { self.context = context }

    /// Sends a response head with these headers (plus `connection: close` when not keeping alive).
    public func head(status: Int, headers: [Header]) {
        var h = HTTPHeaders(headers.map { ($0.name, $0.value) })
        if !keepAlive { h.replaceOrAdd(name: "connection", value: "close") }
        write(.head(HTTPResponseHead(version: version, status: .init(statusCode: status), headers: h)))
    }

    /// Writes and flushes body bytes, untracked (see `closeAfterWrites`).
    public func chunk(_ bytes: [UInt8]) {
        context.writeAndFlush(NIOAny(HTTPServerResponsePart.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
        untrackedChunks = true
    }

    /// Ends the body; closes afterwards when not keeping alive.
    public func end() {
        write(.end(nil))
        if !keepAlive { closeAfterWrites() }
    }

    /// Answers with a whole JSON response of streamtape's own (`version` defaults to the request's).
    public func respond(status: Int, json: String, extraHeaders: [(String, String)] = [], version: HTTPVersion? = nil) {
        var headers = HTTPHeaders([("content-type", "application/json"), ("content-length", String(json.utf8.count))] + extraHeaders)
        if !keepAlive { headers.add(name: "connection", value: "close") }
        // One flush for the whole answer: head and body go out with the end.
        context.write(NIOAny(HTTPServerResponsePart.head(HTTPResponseHead(version: version ?? self.version, status: .init(statusCode: status), headers: headers))), promise: nil)
        context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(context.channel.allocator.buffer(string: json)))), promise: nil)
        end()
    }

    /// Closes once what was written has reached the socket (so the client gets every byte that came
    /// before a cut), or after 5 s if the client never reads it.
    public func closeAfterWrites() {
        let channel = context.channel
        // Chunks went out untracked, so the body is still open: an empty body part is a no-op on
        // the wire whose promise completes after every earlier write.
        if untrackedChunks { write(.body(.byteBuffer(ByteBuffer()))) }
        guard let last = lastWrite else { channel.close(promise: nil); return }
        last.whenComplete { _ in channel.close(promise: nil) }
        channel.eventLoop.scheduleTask(in: .seconds(5)) { channel.close(promise: nil) }
    }

    /// Closes the connection now.
    public func close() { context.close(promise: nil) }

    private func write(_ part: HTTPServerResponsePart) {
        lastWrite = context.writeAndFlush(NIOAny(part))
        untrackedChunks = false
    }
}
