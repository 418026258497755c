import Foundation
import StreamtapeCore
import StreamtapeForwarding
import StreamtapeRecord
import StreamtapeTestSupport
import StreamtapeUpstream

/// A recorder on 127.0.0.1:0 over the real libcurl client, a fake upstream and an in-memory sink.
struct Harness {
    let upstream: FakeUpstream
    let server: RecordServer
    let sink: MemoryCaptureSink
    let client: CurlUpstreamClient
    let port: Int
    let reports: Box<[ExchangeReport]>
    let fatal: Box<[String]>

    static func start(redaction: Redaction? = nil, upstreamURL: String? = nil,
                      _ script: @escaping @Sendable (ReceivedRequest) -> Script) async throws -> Harness {
        let upstream = try await FakeUpstream(script)
        var routes = UpstreamRoutes()
        try routes.add(prefix: "", baseURL: upstreamURL ?? upstream.url)
        let sink = MemoryCaptureSink()
        let client = CurlUpstreamClient()
        let reports = Box<[ExchangeReport]>([])
        let fatal = Box<[String]>([])
        let server = RecordServer(configuration: RecordConfiguration(host: "127.0.0.1", port: 0, routes: routes,
                                                                     redaction: try redaction ?? Redaction(), tags: ["test"], threads: 2),
                                  upstream: client, sink: sink,
                                  onFinish: { r in reports.update { $0.append(r) } },
                                  onFatal: { m in fatal.update { $0.append(m) } })
        let port = try await server.start()
        return Harness(upstream: upstream, server: server, sink: sink, client: client, port: port, reports: reports, fatal: fatal)
    }

    /// Waits (bounded) until `count` exchanges have ended in the sink.
    func waitForEnds(_ count: Int, seconds: Double = 10) async -> [Exchange] {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let done = sink.exchanges.filter { $0.end != nil }
            if done.count >= count && reports.value.count >= count { return sink.exchanges }
            try? await Task.sleep(nanoseconds: 5_000_000)
        }
        return sink.exchanges
    }

    func stop() async {
        await server.drain(seconds: 0)
        await server.shutdown()
        client.shutdown()
        await upstream.stop()
    }
}
