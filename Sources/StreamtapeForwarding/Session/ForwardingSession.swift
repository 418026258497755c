import NIOCore
import StreamtapeCore

/// One forwarded exchange's I/O, shared by the recorder and replay's record-on-miss: executes the
/// `ExchangeMachine`'s actions on a connection (writes through its `ResponseWriter`, records through
/// the sink, runs the upstream transfer through an `UpstreamBridge`) and hands back what only the
/// owner can decide (a sink that refused, the end).
///
/// Loop-bound: created and used on the connection's event loop. Pausing the upstream is the bridge's
/// gate's decision alone; the session only tells it when the client's socket fills or drains.
public final class ForwardingSession {
    /// What a forwarded exchange goes through.
    public struct Wiring: Sendable {
        /// The HTTP client that talks to the upstream.
        public var client: any UpstreamClient
        /// Where the exchange is recorded (its backlog pauses the upstream too).
        public var sink: any CaptureSink
        /// Tags put on every recorded exchange.
        public var tags: [String]
        /// Creates a wiring.
        public init(client: any UpstreamClient, sink: any CaptureSink, tags: [String]) {
            self.client = client; self.sink = sink; self.tags = tags
        }
    }

    /// What `execute` leaves to the owner.
    public enum Outcome {
        /// Nothing: go on with the next action.
        case done
        /// The sink refused the exchange: the owner ends it (`recordingFailed`) and skips the rest.
        case refused(any Error)
        /// The exchange is over; the report carries the sink's id and the pause count.
        case finished(ExchangeReport)
    }

    private let wiring: Wiring
    private let writer: ResponseWriter
    private let loop: any EventLoop
    private let deliver: @Sendable (ExchangeMachine.Event) -> Void
    private var clientWritable: Bool
    private var bridge: UpstreamBridge?
    private var transfer: (any UpstreamTransfer)?
    private var pauses = 0
    /// The sink's id for the exchange, once begun.
    public private(set) var sinkID: Int64?

    /// A session writing through `writer` on `loop`; `deliver` gets the upstream's events back on that loop.
    public init(wiring: Wiring, writer: ResponseWriter, loop: any EventLoop, clientWritable: Bool,
                deliver: @escaping @Sendable (ExchangeMachine.Event) -> Void) {
        self.wiring = wiring; self.writer = writer; self.loop = loop
        self.clientWritable = clientWritable; self.deliver = deliver
    }

    /// The client's socket filled up (false) or drained (true): the gate decides what the upstream does.
    public func client(writable: Bool) {
        clientWritable = writable
        bridge?.client(full: !writable)
    }

    /// Executes one action of the exchange's machine.
    public func execute(_ action: ExchangeMachine.Action) -> Outcome {
        switch action {
        case .recordBegin(let startedMs, let upstream, let request):
            do { sinkID = try wiring.sink.begin(startedMs: startedMs, upstream: upstream, request: request, tags: wiring.tags) } catch { return .refused(error) }
        case .startUpstream(let request):
            let sink = wiring.sink
            let bridge = UpstreamBridge(loop: loop, sinkBacklogged: { sink.isBacklogged }, deliver: deliver)
            if !clientWritable { bridge.client(full: true) }
            let started = wiring.client.start(request, delegate: bridge)
            bridge.attach(started)
            self.bridge = bridge
            transfer = started
        case .forwardHead(let status, let headers):
            writer.head(status: status, headers: headers)
        case .forwardChunk(let bytes):
            writer.chunk(bytes)
        case .forwardEnd:
            writer.end()
        case .respond(let status, let json):
            writer.respond(status: status, json: json)
        case .abortClient:
            writer.closeAfterWrites()
        case .closeClient:
            writer.close()
        case .recordResponse(let response):
            if let id = sinkID { wiring.sink.response(id, response) }
        case .recordChunk(let chunk):
            if let id = sinkID { wiring.sink.chunk(id, chunk) }
        case .recordEnd(let end):
            if let id = sinkID { wiring.sink.end(id, end) }
        case .cancelUpstream:
            transfer?.cancel()
            release()
        case .finished(var report):
            release()
            report.id = sinkID
            report.pauses = pauses
            return .finished(report)
        }
        return .done
    }

    /// Lets go of the transfer and its bridge, keeping the pause count.
    private func release() {
        pauses = bridge?.pauses ?? pauses
        transfer = nil
        bridge = nil
    }
}
