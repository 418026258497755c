import Foundation
import NIOCore
@testable import StreamtapeReplay
import StreamtapeCore
import Testing

/// The exact bytes on the wire now that body segments are framed once per plan and written below the
/// HTTP encoder: the same framing the encoder made, and none where the encoder would send no body.
@Suite struct ReplayWireTests {
    private let long = "data: " + String(repeating: "x", count: 300) + "\n\n"

    private func withServer(_ exchanges: [Exchange], _ body: (ReplayServer) async throws -> Void) async throws {
        let server = try await ReplayServer.start(exchanges: exchanges, configuration: .init(pacing: .init(instant: true), match: .sequence))
        do { try await body(server) } catch { try await server.stop(); throw error }
        try await server.stop()
    }

    @Test func planWireHoldsEachSegmentFramedAsOneHTTPChunkAndBare() throws {
        let plan = ReplayPlan(head: ReplayHead(status: 200, headers: [Header("transfer-encoding", "chunked")], chunked: true), headAt: 0,
                              segments: [ReplaySegment(at: 1, bytes: Array("data: a\n\n".utf8)), ReplaySegment(at: 2, bytes: Array(long.utf8))],
                              ending: .complete, endAt: 3)
        let wire = PlanWire(plan: plan, allocator: ByteBufferAllocator())
        #expect(wire.framed.map { String(buffer: $0) } == ["9\r\ndata: a\n\n\r\n", "134\r\n" + long + "\r\n"])
        #expect(wire.bare.map { String(buffer: $0) } == ["data: a\n\n", long])
        #expect(wire.headers.first(name: "transfer-encoding") == "chunked")
    }

    @Test func aChunkedReplayPutsExactlyTheEncodersFramingOnTheWire() async throws {
        let exchange = ReplayTestFixtures.timed([(1_000_000, "data: a\n\n"), (2_000_000, long)])
        try await withServer([exchange]) { server in
            let request = "POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
            let result = await RawClient.exchange(port: server.port, request: Array(request.utf8))
            let bytes = result.bytes
            let headEnd = try #require(RawResponse.find([13, 10, 13, 10], in: bytes, from: 0))
            #expect(String(decoding: bytes[(headEnd + 4)...], as: UTF8.self) == "9\r\ndata: a\n\n\r\n134\r\n" + long + "\r\n0\r\n\r\n")
            #expect(result.closedByServer)
        }
    }

    @Test func aHEADRequestGetsTheHeadAndNoBodyBytes() async throws {
        let exchange = ReplayTestFixtures.timed([(1_000_000, "data: a\n\n"), (2_000_000, long)])
        try await withServer([exchange]) { server in
            // A second request pipelined behind the HEAD: its response must follow the HEAD's head directly.
            let request = "HEAD /v1/chat/completions HTTP/1.1\r\n\r\nGET /__streamtape/health HTTP/1.1\r\nConnection: close\r\n\r\n"
            let result = await RawClient.exchange(port: server.port, request: Array(request.utf8))
            let bytes = result.bytes
            let headEnd = try #require(RawResponse.find([13, 10, 13, 10], in: bytes, from: 0))
            #expect(String(decoding: bytes[..<headEnd], as: UTF8.self).hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(String(decoding: bytes[(headEnd + 4)...], as: UTF8.self).hasPrefix("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"))
            #expect(result.closedByServer)
        }
    }
}
