import Foundation
import StreamtapeCore
import StreamtapeTestSupport
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
        let body = Corpus.bytes("01-openai-chat-text")
        let events = SSEParser.parse(chunks: [body]).events
        let (result, response) = try await fetch(ReplayTestFixtures.exchange("01-openai-chat-text"), faults: ["cut@3"])
        #expect(result.closedByServer)
        #expect(!response.complete)
        #expect(response.body == Array(body[..<events[2].end]))
    }

    @Test func rechunkOneSendsEveryByteAsItsOwnHTTPChunk() async throws {
        let (_, response) = try await fetch(ReplayTestFixtures.exchange("14-gemini-text-crlf"), faults: ["rechunk=1"])
        #expect(response.complete)
        #expect(response.chunks.count == Corpus.bytes("14-gemini-text-crlf").count)
        #expect(response.body == Corpus.bytes("14-gemini-text-crlf"))
    }

    @Test func statusAnswersTheProviderErrorInsteadOfTheStream() async throws {
        let (_, response) = try await fetch(ReplayTestFixtures.exchange("10-anthropic-tool-use-parallel", target: "/v1/messages"), faults: ["status=529"], target: "/v1/messages")
        #expect(response.status == 529)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#)
    }

    @Test func stallHoldsTheStreamForTheGivenWallClockTime() async throws {
        // Instant pacing: events 1-2 at request time, the rest 1 s after it (deadlines count from the
        // request, so the gap between two arrivals may be a hair shorter than the stall). The stall is
        // long enough that a loaded machine's scheduling delays cannot blur "before" and "after".
        let (result, response) = try await fetch(ReplayTestFixtures.exchange("01-openai-chat-text"), faults: ["stall@2=1"])
        #expect(response.complete)
        let beforeStall = Double(response.chunkArrivals[1] - result.sentAt) / 1e9
        let afterStall = Double(response.chunkArrivals[2] - result.sentAt) / 1e9
        #expect(beforeStall < 0.5, "event 2 at \(beforeStall) s")
        #expect(afterStall >= 1.0 && afterStall < 2.0, "event 3 at \(afterStall) s")
    }
}
