import Foundation
import StreamtapeCore
import StreamtapeReplay
import Testing

@Suite struct ReplayLiveFaultTests {
    private func fetch(_ e: Exchange, faults: [String], pacing: ReplayPacing = .init(instant: true),
                       target: String = "/v1/chat/completions") async throws -> (RawClient.Result, RawResponse) {
        let server = try await ReplayServer.start(exchanges: [e], configuration: .init(pacing: pacing, faults: faults.map { try FaultSpec(parsing: $0) }))
        let result = await RawClient.exchange(port: server.port, request: rawRequest("POST", target))
        try await server.stop()
        return (result, try #require(RawResponse(result)))
    }

    @Test func cutClosesTheConnectionAfterEventNWithoutEndingTheBody() async throws {
        let body = ReplayTestFixtures.bytes("01-openai-chat-text")
        let events = SSEParser.parse(chunks: [body]).events
        let (result, response) = try await fetch(ReplayTestFixtures.exchange("01-openai-chat-text"), faults: ["cut@3"])
        #expect(result.closedByServer)
        #expect(!response.complete)
        #expect(response.body == Array(body[..<events[2].end]))
    }

    @Test func rechunkOneSendsEveryByteAsItsOwnHTTPChunk() async throws {
        let (_, response) = try await fetch(ReplayTestFixtures.exchange("14-gemini-text-crlf"), faults: ["rechunk=1"])
        #expect(response.complete)
        #expect(response.chunks.count == ReplayTestFixtures.bytes("14-gemini-text-crlf").count)
        #expect(response.body == ReplayTestFixtures.bytes("14-gemini-text-crlf"))
    }

    @Test func statusAnswersTheProviderErrorInsteadOfTheStream() async throws {
        let (_, response) = try await fetch(ReplayTestFixtures.exchange("10-anthropic-tool-use-parallel", target: "/v1/messages"), faults: ["status=529"], target: "/v1/messages")
        #expect(response.status == 529)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#)
    }

    @Test func stallHoldsTheStreamForTheGivenWallClockTime() async throws {
        let (_, response) = try await fetch(ReplayTestFixtures.exchange("01-openai-chat-text"), faults: ["stall@2=0.3"])
        #expect(response.complete)
        let gap = Double(response.chunkArrivals[2] - response.chunkArrivals[1]) / 1e9
        #expect(gap >= 0.3 && gap < 1.0, "gap \(gap) \(response.chunkArrivals)")
    }
}
