import NIOCore
import NIOEmbedded
import NIOHTTP1
import StreamtapeForwarding

/// One fuzz input for a front end: byte 0 is the target's own control byte; byte 1 says in how many
/// writes the rest arrives (1–4, cut evenly) and how long the clock then advances; the rest are the
/// raw bytes a client sends on one connection.
public struct ClientBytes {
    /// The target's control byte.
    public let control: UInt8
    /// The writes, in order.
    public let writes: [[UInt8]]
    /// How long the event loop's clock advances after the last write: none, 3 s, 6 s or 31 s (past the
    /// harness's 5 s header timeout and 30 s idle timeout).
    public let wait: TimeAmount

    /// Reads an input; nil when it has fewer than two bytes.
    public init?(_ input: [UInt8]) {
        guard input.count >= 2 else { return nil }
        control = input[0]
        let count = 1 + Int(input[1] & 3)
        let rest = Array(input.dropFirst(2))
        writes = (0..<count).map { k in Array(rest[rest.count * k / count ..< rest.count * (k + 1) / count]) }
        wait = [.zero, .seconds(3), .seconds(6), .seconds(31)][Int(input[1] >> 2 & 3)]
    }

    /// Limits small enough that inputs reach each of them.
    public static let limits = ClientLimits(maxTarget: 256, maxHeadBytes: 2048, maxHeaderCount: 16, maxBody: 4096,
                                            headerTimeout: .seconds(5), idleTimeout: .seconds(30), maxConnections: 4)
}

/// Notes the method of each request the server's own handler gets (a HEAD's answer has no body).
public final class MethodLog: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = HTTPServerRequestPart
    public typealias InboundOut = HTTPServerRequestPart
    /// Methods, in order.
    public private(set) var methods: [HTTPMethod] = []

    /// An empty log.
    public init() {}

    /// Notes a head; passes everything on.
    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data) { methods.append(head.method) }
        context.fireChannelRead(data)
    }
}

extension EmbeddedChannel {
    /// Everything written to the client so far.
    public func clientOutput() -> [UInt8] {
        var out: [UInt8] = []
        while let buffer = try? readOutbound(as: ByteBuffer.self) { out += buffer.readableBytesView }
        return out
    }

    /// The client hangs up; then every timer that could still be pending fires.
    public func hangUp() {
        _ = try? close().wait()
        embeddedEventLoop.run()
        embeddedEventLoop.advanceTime(by: .hours(1))
        require(!isActive, "the channel is still active after the client closed it")
    }
}
