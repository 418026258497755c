import Foundation
import NIOCore
import NIOPosix

/// Why the recorder could not listen, in one line: a port in use says so (NIO's bind error reads
/// `bind(descriptor:ptr:bytes:): Address already in use (errno: 98)`), anything else names the address.
public struct ListenFailure: Error, CustomStringConvertible {
    /// The line to print.
    public let description: String

    /// Describes `error`, thrown while binding `host:port`.
    init(_ error: any Error, host: String, port: Int) {
        if let io = error as? IOError, io.errnoCode == EADDRINUSE {
            description = "port \(port) is in use; stop what listens there or pick another with --listen HOST:PORT"
        } else {
            description = "cannot listen on \(host.contains(":") ? "[\(host)]" : host):\(port): \(error)"
        }
    }
}

extension RecordServer {
    /// Binds `host:port` and lets it go at once, so a port in use is found before anything is created
    /// (the archive is opened before the real bind, since a recorder that cannot record must not proxy).
    public static func checkListen(host: String, port: Int) async throws {
        guard port != 0 else { return }
        do {
            let probe = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: host, port: port).get()
            try await probe.close()
        } catch {
            throw ListenFailure(error, host: host, port: port)
        }
    }
}
