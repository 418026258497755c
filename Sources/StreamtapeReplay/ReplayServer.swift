import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import StreamtapeCore
import StreamtapeForwarding

/// A replay HTTP server: answers requests with recorded exchanges, byte-exact, on their recorded
/// schedule (or faster, or broken on purpose). Start one on port 0 inside a test and point the client
/// at `url`; `GET /__streamtape/health` answers 200 JSON; `POST /__streamtape/reset` rewinds matching.
///
/// ```swift
/// let server = try await ReplayServer.start(exchanges: [exchange], configuration: .init(pacing: .init(instant: true)))
/// defer { Task { try await server.stop() } }
/// let client = MyClient(baseURL: server.url)
/// ```
public final class ReplayServer: Sendable {
    /// The bound address, e.g. `127.0.0.1`.
    public let host: String
    /// The bound port.
    public let port: Int
    private let channel: any Channel
    private let catalog: ReplayCatalog

    /// The base URL, `http://HOST:PORT`.
    public var url: String { host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)" }

    /// How many exchanges were served so far.
    public var served: Int { catalog.served }

    /// Makes the next requests match from the first recorded exchange again.
    public func reset() { catalog.reset() }

    private init(host: String, port: Int, channel: any Channel, catalog: ReplayCatalog) {
        self.host = host; self.port = port; self.channel = channel; self.catalog = catalog
    }

    /// Binds and starts serving `exchanges` (in recorded order). Throws `FaultSpecError` when a fault
    /// does not fit a stream, `ReplayPortInUse`, or another bind error.
    public static func start(exchanges: [Exchange], configuration: ReplayConfiguration = .init(),
                             group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> ReplayServer {
        let catalog = try ReplayCatalog(exchanges: exchanges, configuration: configuration)
        let connections = ConnectionCount(limit: configuration.limits.maxConnections)
        let channel: any Channel
        do {
            channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 1024)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelOption(.maxMessagesPerRead, value: 16)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(limits: configuration.limits, connections: connections)
                        try channel.pipeline.syncOperations.addHandler(ReplayHTTPHandler(catalog: catalog))
                    }
                }
                .bind(host: configuration.host, port: configuration.port).get()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw ReplayPortInUse(port: configuration.port)
        }
        let port = channel.localAddress?.port ?? configuration.port
        await warmUp(channel: channel, group: group, ignoreFields: configuration.ignoreFields)
        return ReplayServer(host: configuration.host, port: port, channel: channel, catalog: catalog)
    }

    /// Serves one request to itself before anyone else can: the first request a process handles pays
    /// about a millisecond of one-time setup (Swift metadata and NIO's HTTP handlers, first used),
    /// which would otherwise land on the first replayed stream as timing error. A health request has
    /// no side effect (it matches nothing, and with record-on-miss it is never forwarded). Best
    /// effort: a failure or a 2-second timeout only skips it.
    private static func warmUp(channel: any Channel, group: any EventLoopGroup, ignoreFields: [String]) async {
        _ = ReplayRequestKey(method: "POST", target: "/", body: Array(#"{"warm":[1,"up",null]}"#.utf8), ignoreFields: ignoreFields)
        guard let address = channel.localAddress else { return }
        do {
            let client = try await ClientBootstrap(group: group).connect(to: address).get()
            client.eventLoop.scheduleTask(in: .seconds(2)) { client.close(promise: nil) }
            var request = client.allocator.buffer(capacity: 96)
            request.writeString("GET /__streamtape/health HTTP/1.1\r\nHost: streamtape\r\nConnection: close\r\n\r\n")
            try await client.writeAndFlush(request).get()
            try await client.closeFuture.get()
        } catch {
            return
        }
    }

    /// Stops listening. Responses in flight finish on their own connections.
    public func stop() async throws {
        try await channel.close().get()
    }

    /// Waits until the server is closed.
    public func wait() async throws {
        try await channel.closeFuture.get()
    }
}

/// The port asked for is taken by another process.
public struct ReplayPortInUse: Error, Hashable, Sendable, CustomStringConvertible {
    /// The port.
    public var port: Int
    /// `port 8788 is in use`.
    public var description: String { "port \(port) is in use" }
}
