import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import StreamtapeCore
import StreamtapeForwarding
import Synchronization

/// The recording proxy: a SwiftNIO HTTP/1.1 server that forwards each request through an
/// `UpstreamClient`, streams the response back chunk by chunk and tees it into a `CaptureSink`.
public final class RecordServer: Sendable {
    /// State shared by every connection handler.
    final class Shared: Sendable {
        let configuration: RecordConfiguration
        /// The upstream client, the sink and the tags every exchange goes through.
        let wiring: ForwardingSession.Wiring
        let onFinish: @Sendable (ExchangeReport) -> Void
        let onFatal: @Sendable (String) -> Void
        /// Open client connections, against `configuration.limits.maxConnections`.
        let connections: ConnectionCount
        private struct Active { let loop: any EventLoop; let handler: NIOLoopBound<ExchangeHandler> }
        private struct State {
            var active: [ObjectIdentifier: Active] = [:]
            var stats = RecordStats()
            var stopping = false
            var failure: String?
        }
        private let state = NIOLockedValueBox(State())
        private let bytes = Atomic<Int>(0)
        private let events = Atomic<Int>(0)

        init(_ configuration: RecordConfiguration, _ upstream: any UpstreamClient, _ sink: any CaptureSink,
             _ onFinish: @escaping @Sendable (ExchangeReport) -> Void, _ onFatal: @escaping @Sendable (String) -> Void) {
            self.configuration = configuration
            wiring = ForwardingSession.Wiring(client: upstream, sink: sink, tags: configuration.tags)
            self.onFinish = onFinish; self.onFatal = onFatal
            connections = ConnectionCount(limit: configuration.limits.maxConnections)
        }

        var isStopping: Bool { state.withLockedValue { $0.stopping || $0.failure != nil } }
        var failure: String? { state.withLockedValue { $0.failure } }
        var stats: RecordStats {
            var s = state.withLockedValue { $0.stats }
            s.bytes = bytes.load(ordering: .relaxed)
            s.events = events.load(ordering: .relaxed)
            return s
        }

        func register(_ handler: ExchangeHandler, on loop: any EventLoop) {
            state.withLockedValue {
                $0.active[ObjectIdentifier(handler)] = Active(loop: loop, handler: NIOLoopBound(handler, eventLoop: loop))
                $0.stats.active = $0.active.count
            }
        }

        func finished(_ report: ExchangeReport, handler: ExchangeHandler) {
            state.withLockedValue {
                $0.active[ObjectIdentifier(handler)] = nil
                $0.stats.active = $0.active.count
                $0.stats.finished += 1
                if report.state != .complete { $0.stats.failed += 1 }
            }
            onFinish(report)
        }

        /// Counts forwarded body bytes (per chunk, from every event loop: an atomic, not the lock).
        func countBytes(_ n: Int) { bytes.add(n, ordering: .relaxed) }

        /// Counts forwarded events.
        func countEvents(_ n: Int) { events.add(n, ordering: .relaxed) }

        func stopAccepting() { state.withLockedValue { $0.stopping = true } }

        /// Records the first archive failure and tells the owner, once; every exchange in flight ends.
        func fail(_ message: String) {
            let first = state.withLockedValue { s -> Bool in
                guard s.failure == nil else { return false }
                s.failure = message
                return true
            }
            guard first else { return }
            onFatal(message)
            forEachActive { $0.recordingFailed(message) }
        }

        func forEachActive(_ body: @escaping @Sendable (ExchangeHandler) -> Void) {
            for entry in state.withLockedValue({ Array($0.active.values) }) {
                let handler = entry.handler
                entry.loop.execute { body(handler.value) }
            }
        }
    }

    private let shared: Shared
    private let group: MultiThreadedEventLoopGroup
    private let channel = NIOLockedValueBox<(any Channel)?>(nil)

    /// Creates a server; `onFinish` gets one report per exchange, `onFatal` the archive failure.
    public init(configuration: RecordConfiguration, upstream: any UpstreamClient, sink: any CaptureSink,
                onFinish: @escaping @Sendable (ExchangeReport) -> Void = { _ in },
                onFatal: @escaping @Sendable (String) -> Void = { _ in }) {
        shared = Shared(configuration, upstream, sink, onFinish, onFatal)
        group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.threads))
    }

    /// Binds and starts accepting; returns the port actually bound. Throws a `ListenFailure`.
    @discardableResult
    public func start() async throws -> Int {
        let shared = self.shared
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: .init(low: 32 * 1024, high: 64 * 1024))
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(limits: shared.configuration.limits, connections: shared.connections)
                    try channel.pipeline.syncOperations.addHandler(ExchangeHandler(server: shared))
                }
            }
        let (host, port) = (shared.configuration.host, shared.configuration.port)
        let bound: any Channel
        do { bound = try await bootstrap.bind(host: host, port: port).get() } catch { throw ListenFailure(error, host: host, port: port) }
        channel.withLockedValue { $0 = bound }
        return bound.localAddress?.port ?? shared.configuration.port
    }

    /// Counters for the status line.
    public var stats: RecordStats { shared.stats }

    /// The archive failure, once one happened.
    public var failure: String? { shared.failure }

    /// Reports an archive failure found outside `begin` (e.g. by the writer thread): stop proxying.
    public func fail(_ message: String) { shared.fail(message) }

    /// Stops accepting, lets exchanges in flight finish for `seconds`, then ends the rest as interrupted.
    public func drain(seconds: Double) async {
        shared.stopAccepting()
        let listener = channel.withLockedValue { c -> (any Channel)? in defer { c = nil }; return c }
        try? await listener?.close()
        let deadline = Date().addingTimeInterval(seconds)
        while shared.stats.active > 0, Date() < deadline { try? await Task.sleep(nanoseconds: 10_000_000) }
        if shared.stats.active > 0 { shared.forEachActive { $0.interrupt(.drainTimeRanOut) } }
        let hard = Date().addingTimeInterval(2)
        while shared.stats.active > 0, Date() < hard { try? await Task.sleep(nanoseconds: 5_000_000) }
    }

    /// Closes every connection and stops the event loops (after `drain`).
    public func shutdown() async {
        try? await group.shutdownGracefully()
    }
}

extension RecordServer {
    /// Ends every exchange in flight as interrupted now (a second Ctrl-C during the drain).
    public func interruptAll() { shared.forEachActive { $0.interrupt(.stoppedAtOnce) } }
}
