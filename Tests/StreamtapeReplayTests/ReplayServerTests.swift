import Foundation
import StreamtapeCore
import StreamtapeTestSupport
import StreamtapeReplay
import Testing

/// Live tests: real sockets on 127.0.0.1, port 0; every server is stopped by the test that started it.
@Suite struct ReplayServerTests {
    private func withServer(_ exchanges: [Exchange], _ config: ReplayConfiguration = .init(pacing: .init(instant: true)),
                            _ body: (ReplayServer) async throws -> Void) async throws {
        let server = try await ReplayServer.start(exchanges: exchanges, configuration: config)
        do { try await body(server) } catch { try await server.stop(); throw error }
        try await server.stop()
    }

    @Test func everyCorpusStreamComesBackByteExactWithItsChunkBoundaries() async throws {
        for name in Corpus.names {
            let exchange = ReplayTestFixtures.exchange(name)
            try await withServer([exchange]) { server in
                let result = await RawClient.exchange(port: server.port, request: rawRequest())
                let response = try #require(RawResponse(result), "\(name)")
                #expect(response.status == 200)
                #expect(response.header("content-type") == "text/event-stream; charset=utf-8")
                #expect(response.header("transfer-encoding") == "chunked")
                #expect(response.complete, "\(name)")
                #expect(response.body == Corpus.bytes(name), "\(name)")
                #expect(response.chunks == exchange.chunks.map(\.bytes), "\(name): one HTTP chunk per recorded chunk")
                #expect(result.closedByServer)
            }
        }
    }

    @Test func aRecordedContentLengthResponseIsReplayedWithItsLength() async throws {
        let e = ReplayTestFixtures.timed([(0, #"{"id":"x","#), (1_000, #""ok":true}"#)],
                                         headers: [Header("Content-Type", "application/json"), Header("Content-Length", "999"), Header("Connection", "keep-alive")])
        try await withServer([e]) { server in
            let response = try #require(RawResponse(await RawClient.exchange(port: server.port, request: rawRequest())))
            #expect(response.header("content-length") == "20")
            #expect(response.header("transfer-encoding") == nil)
            #expect(response.header("connection") == "close")
            #expect(String(decoding: response.body, as: UTF8.self) == #"{"id":"x","ok":true}"#)
        }
    }

    @Test func anHTTP10ClientGetsTheBodyUnchunkedEndedByClose() async throws {
        try await withServer([ReplayTestFixtures.exchange("14-gemini-text-crlf")]) { server in
            let result = await RawClient.exchange(port: server.port, request: Array("POST /v1/chat/completions HTTP/1.0\r\nContent-Length: 2\r\n\r\n{}".utf8))
            let bytes = result.bytes
            let headEnd = try #require(RawResponse.find([13, 10, 13, 10], in: bytes, from: 0))
            let head = String(decoding: bytes[..<headEnd], as: UTF8.self).lowercased()
            #expect(head.hasPrefix("http/1.0 200 ok\r\n"))
            #expect(!head.contains("transfer-encoding"))
            #expect(Array(bytes[(headEnd + 4)...]) == Corpus.bytes("14-gemini-text-crlf"))
            #expect(result.closedByServer)
        }
    }

    @Test func healthAnswers200JSON() async throws {
        try await withServer([ReplayTestFixtures.exchange("01-openai-chat-text")]) { server in
            let response = try #require(RawResponse(await RawClient.exchange(port: server.port, request: rawRequest("GET", "/__streamtape/health", body: ""))))
            #expect(response.status == 200)
            #expect(response.header("content-type") == "application/json")
            #expect(String(decoding: response.body, as: UTF8.self) == #"{"status":"ok","exchanges":1,"served":0,"match":"request"}"#)
        }
    }

    @Test func aMissIs404NamingTheClosestRecordedRequest() async throws {
        let e = ReplayTestFixtures.exchange("01-openai-chat-text", body: #"{"model":"gpt-4o-mini","stream":true}"#)
        try await withServer([e]) { server in
            let response = try #require(RawResponse(await RawClient.exchange(port: server.port, request: rawRequest(body: #"{"model":"gpt-4o","stream":true}"#))))
            #expect(response.status == 404)
            let json = try #require(JSONValue.parse(response.body))
            #expect(json["error"]?["type"]?.stringValue == "streamtape_no_match")
            #expect(json["error"]?["closest"] == JSONValue.parse(Array(#"[{"exchange":0,"method":"POST","target":"/v1/chat/completions","differences":["body $.model: got \"gpt-4o\", recorded \"gpt-4o-mini\""]}]"#.utf8)))
            // Key order and whitespace do not matter.
            let hit = try #require(RawResponse(await RawClient.exchange(port: server.port, request: rawRequest(body: #"{ "stream": true, "model": "gpt-4o-mini" }"#))))
            #expect(hit.status == 200)
        }
    }

    @Test func malformedHTTPGets400() async throws {
        try await withServer([ReplayTestFixtures.exchange("01-openai-chat-text")]) { server in
            let result = await RawClient.exchange(port: server.port, request: Array("GARBAGE\r\n\r\n".utf8))
            #expect(String(decoding: result.bytes, as: UTF8.self).hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        }
    }

    @Test func keepAliveServesSeveralRequestsOnOneConnectionInSequence() async throws {
        let a = ReplayTestFixtures.timed([(0, "data: one\n\n")]), b = ReplayTestFixtures.timed([(0, "data: two\n\n")])
        try await withServer([a, b], .init(pacing: .init(instant: true), match: .sequence)) { server in
            let twoRequests = rawRequest(close: false) + rawRequest("GET", "/anything", body: "", close: true)
            let result = await RawClient.exchange(port: server.port, request: twoRequests)
            let text = String(decoding: result.bytes, as: UTF8.self)
            #expect(text.components(separatedBy: "HTTP/1.1 200 OK").count == 3)
            #expect(text.contains("data: one\n\n") && text.contains("data: two\n\n"))
            #expect(text.range(of: "data: one")!.lowerBound < text.range(of: "data: two")!.lowerBound)
            #expect(server.served == 2)
        }
    }

    @Test func resetRewindsMatching() async throws {
        try await withServer([ReplayTestFixtures.timed([(0, "data: x\n\n")])]) { server in
            #expect(RawResponse(await RawClient.exchange(port: server.port, request: rawRequest()))?.status == 200)
            #expect(RawResponse(await RawClient.exchange(port: server.port, request: rawRequest()))?.status == 404)
            #expect(RawResponse(await RawClient.exchange(port: server.port, request: rawRequest("POST", "/__streamtape/reset", body: "")))?.status == 200)
            #expect(RawResponse(await RawClient.exchange(port: server.port, request: rawRequest()))?.status == 200)
        }
    }

    @Test func manyConcurrentReplaysAreAllByteExact() async throws {
        let e = ReplayTestFixtures.exchange("08-anthropic-thinking-text", target: "/v1/messages")
        try await withServer(Array(repeating: e, count: 50), .init(pacing: .init(instant: true), match: .path)) { server in
            let bodies = await withTaskGroup(of: [UInt8].self) { group in
                for _ in 0..<50 { group.addTask { RawResponse(await RawClient.exchange(port: server.port, request: rawRequest("POST", "/v1/messages")))?.body ?? [] } }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(bodies.count == 50)
            #expect(bodies.allSatisfy { $0 == Corpus.bytes("08-anthropic-thinking-text") })
        }
    }

    @Test func aFaultThatDoesNotFitAStreamIsRefusedAtStart() async throws {
        await #expect(throws: FaultSpecError(spec: "cut@99", reason: "the stream has 12 event(s), #0 to #11; @N is before event #N, so N goes from 0 to 12 (exchange #1)")) {
            _ = try await ReplayServer.start(exchanges: [ReplayTestFixtures.exchange("01-openai-chat-text")],
                                             configuration: .init(faults: [.cut(before: 99)]))
        }
    }
}
