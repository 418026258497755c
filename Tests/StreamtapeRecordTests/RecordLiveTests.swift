import Foundation
import NIOCore
import NIOHTTP1
import StreamtapeCore
import StreamtapeForwarding
import StreamtapeRecord
import StreamtapeTestSupport
import Testing

/// The recorder live on 127.0.0.1:0 with the real libcurl upstream client against a NIO fake upstream.
@Suite(.serialized) struct RecordLiveTests {
    @Test func everyCorpusStreamReachesTheClientAndTheSinkByteExact() async throws {
        let names = Corpus.names
        #expect(names.count >= 10)
        let h = try await Harness.start { req in
            let name = String(req.uri.dropFirst())
            return .sse(Corpus.bytes(name), chunk: 97, gapMs: 1)
        }
        let client = try await TestClient(port: h.port)
        for name in names {
            let r = try await client.send(.POST, "/\(name)", headers: [("content-type", "application/json")], body: Array("{\"stream\":true}".utf8))
            #expect(r.status == 200)
            #expect(r.ended, "\(name) ended cleanly")
            #expect(r.body == Corpus.bytes(name), "\(name) reached the client byte-exact")
        }
        await client.close()
        let exchanges = await h.waitForEnds(names.count)
        #expect(exchanges.count == names.count)
        for (exchange, name) in zip(exchanges, names) {
            #expect(exchange.request.target == "/\(name)")
            #expect(exchange.end?.state == .complete)
            #expect(exchange.body == Corpus.bytes(name), "\(name) recorded byte-exact")
            #expect(exchange.chunks.map(\.seq) == Array(0..<exchange.chunks.count))
            #expect(zip(exchange.chunks, exchange.chunks.dropFirst()).allSatisfy { $0.offsetNs <= $1.offsetNs })
            #expect(exchange.response?.offsetNs ?? .max <= exchange.chunks.first?.offsetNs ?? 0)
            #expect(exchange.tags == ["test"])
        }
        await h.stop()
    }

    @Test func eachUpstreamWriteIsForwardedAtOnceAndRecordedWithItsTime() async throws {
        let parts = (0..<5).map { Array("data: \($0)\n\n".utf8) }
        let h = try await Harness.start { _ in
            Script(steps: parts.flatMap { [Script.Step.chunk($0), .pause(milliseconds: 80)] })
        }
        let client = try await TestClient(port: h.port)
        let r = try await client.send(.GET, "/paced")
        #expect(r.body == parts.flatMap { $0 })
        // Each part arrived by itself, ~80 ms apart: nothing was held back or batched.
        #expect(r.partTimes.count == 5)
        let gaps = zip(r.partTimes, r.partTimes.dropFirst()).map { Double($1 - $0) / 1e6 }
        #expect(gaps.allSatisfy { $0 > 60 }, "client gaps \(gaps)")
        let exchange = await h.waitForEnds(1)[0]
        #expect(exchange.chunks.map(\.bytes) == parts)
        let offsets = exchange.chunks.map { Double($0.offsetNs) / 1e6 }
        #expect(zip(offsets, offsets.dropFirst()).allSatisfy { $1 - $0 > 60 && $1 - $0 < 200 }, "recorded offsets \(offsets)")
        #expect(h.reports.value.first?.events == 5)
        await client.close()
        await h.stop()
    }

    @Test func nonStreamingAndErrorResponsesAreForwardedAndRecorded() async throws {
        let h = try await Harness.start { req in
            switch req.uri {
            case "/json": return .json(200, #"{"ok":true}"#)
            case "/429": return .json(429, #"{"error":{"type":"rate_limit"}}"#)
            default: return .json(500, #"{"error":{"type":"server"}}"#)
            }
        }
        let client = try await TestClient(port: h.port)
        let ok = try await client.send(.POST, "/json", body: Array("{}".utf8))
        let limited = try await client.send(.POST, "/429", body: Array("{}".utf8))
        let broken = try await client.send(.GET, "/500")
        #expect((ok.status, ok.text, ok.ended, ok.header("content-length")) == (200, #"{"ok":true}"#, true, "11"))
        #expect((limited.status, limited.text) == (429, #"{"error":{"type":"rate_limit"}}"#))
        #expect((broken.status, broken.text) == (500, #"{"error":{"type":"server"}}"#))
        let exchanges = await h.waitForEnds(3)
        #expect(exchanges.map { $0.response?.status } == [200, 429, 500])
        #expect(exchanges.map { $0.end?.state } == [.complete, .complete, .complete])
        #expect(exchanges.map { String(decoding: $0.body, as: UTF8.self) } == [ok.text, limited.text, broken.text])
        await client.close()
        await h.stop()
    }

    @Test func theUpstreamGetsTheRequestWithHostRewrittenHopHeadersRemovedAndIdentityEncoding() async throws {
        let h = try await Harness.start { _ in .json(200, "{}") }
        let client = try await TestClient(port: h.port)
        _ = try await client.send(.POST, "/v1/x?y=1", headers: [("connection", "keep-alive, x-hop"), ("x-hop", "1"), ("accept-encoding", "gzip, br"),
                                                              ("x-custom", "kept"), ("te", "trailers")], body: Array("{\"a\":1}".utf8))
        let got = h.upstream.requests[0]
        #expect(got.method == "POST" && got.uri == "/v1/x?y=1" && got.body == Array("{\"a\":1}".utf8))
        #expect(got.headers.value(for: "host") == "127.0.0.1:\(h.upstream.port)")
        #expect(got.headers.value(for: "accept-encoding") == "identity")
        #expect(got.headers.value(for: "x-custom") == "kept")
        #expect(got.headers.value(for: "x-hop") == nil && got.headers.value(for: "te") == nil && got.headers.value(for: "expect") == nil)
        #expect(got.headers.value(for: "content-length") == "7")
        await client.close()
        await h.stop()
    }

    @Test func anUpstreamThatDiesMidStreamGivesTheClientACutStreamAndIsRecordedAsReset() async throws {
        let first = Array("data: {\"a\":1}\n\n".utf8)
        let h = try await Harness.start { _ in Script(steps: [.chunk(first), .pause(milliseconds: 20)], ending: .cut) }
        let client = try await TestClient(port: h.port)
        let r = try await client.send(.GET, "/cut")
        #expect(r.status == 200)
        #expect(r.body == first)
        #expect(!r.ended, "the client must not see a clean end")
        let exchange = await h.waitForEnds(1)[0]
        #expect(exchange.end?.state == .upstreamReset)
        #expect(exchange.end?.error?.isEmpty == false)
        #expect(exchange.body == first)
        await client.close()
        await h.stop()
    }

    @Test func anUnreachableUpstreamGets502WithAJSONError() async throws {
        let h = try await Harness.start(upstreamURL: "http://127.0.0.1:1") { _ in .json(200, "{}") }
        let client = try await TestClient(port: h.port)
        let r = try await client.send(.GET, "/v1/models")
        #expect(r.status == 502)
        let json = try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: [String: String]]
        #expect(json?["error"]?["type"] == "streamtape_upstream_error")
        #expect(json?["error"]?["message"]?.contains("127.0.0.1") == true)
        let exchange = await h.waitForEnds(1)[0]
        #expect(exchange.end?.state == .upstreamError)
        #expect(exchange.end?.error == json?["error"]?["message"])
        #expect(exchange.response == nil)
        await client.close()
        await h.stop()
    }

    @Test func aClientThatHangsUpMidStreamAbortsTheUpstreamWithin100ms() async throws {
        let h = try await Harness.start { _ in Script(steps: [.chunk(Array("data: 1\n\n".utf8))], ending: .hang) }
        let client = try await TestClient(port: h.port, closeAfterBodyParts: 1)
        let r = try await client.send(.GET, "/hang")
        let closedByClient = NIODeadline.now().uptimeNanoseconds
        #expect(r.body == Array("data: 1\n\n".utf8))
        let exchange = await h.waitForEnds(1)[0]
        #expect(exchange.end?.state == .clientDisconnected)
        let deadline = Date().addingTimeInterval(2)
        while h.upstream.log.value.closedAt.isEmpty && Date() < deadline { try await Task.sleep(nanoseconds: 2_000_000) }
        let upstreamClosed = try #require(h.upstream.log.value.closedAt.first)
        #expect(Double(upstreamClosed - closedByClient) / 1e6 < 100, "upstream aborted \(Double(upstreamClosed - closedByClient) / 1e6) ms after the client left")
        await client.close()
        await h.stop()
    }

    @Test func aStallIsForwardedAndRecordedAsAGap() async throws {
        let h = try await Harness.start { _ in
            Script(steps: [.chunk(Array("data: a\n\n".utf8)), .pause(milliseconds: 400), .chunk(Array("data: b\n\n".utf8))])
        }
        let client = try await TestClient(port: h.port)
        let r = try await client.send(.GET, "/stall")
        #expect(r.text == "data: a\n\ndata: b\n\n" && r.ended)
        let chunks = await h.waitForEnds(1)[0].chunks
        #expect(chunks.count == 2)
        #expect(chunks.count == 2 && chunks[1].offsetNs - chunks[0].offsetNs > 350_000_000)
        await client.close()
        await h.stop()
    }

    @Test func credentialsReachTheUpstreamButNeverTheSink() async throws {
        let secret = "sk-proj-LIVESECRET-0123456789"
        let h = try await Harness.start { _ in
            var s = Script.json(200, "{}")
            s.headers.append(("set-cookie", "session=\(secret)"))
            return s
        }
        let client = try await TestClient(port: h.port)
        let r = try await client.send(.POST, "/v1beta/x?alt=sse&key=\(secret)",
                                      headers: [("authorization", "Bearer \(secret)"), ("x-api-key", secret), ("x-goog-api-key", secret),
                                                ("api-key", secret), ("cookie", "c=\(secret)")],
                                      body: Array("{}".utf8))
        #expect(r.header("set-cookie") == "session=\(secret)")
        let got = h.upstream.requests[0]
        #expect(got.headers.value(for: "authorization") == "Bearer \(secret)")
        #expect(got.uri.hasSuffix("key=\(secret)"))
        let exchange = await h.waitForEnds(1)[0]
        let stored = [exchange.request.target] + exchange.request.headers.map { "\($0.name): \($0.value)" }
            + (exchange.response?.headers.map { "\($0.name): \($0.value)" } ?? [])
            + [String(decoding: exchange.request.body + exchange.body, as: UTF8.self)]
        #expect(!stored.joined(separator: "\n").contains("LIVESECRET"))
        #expect(exchange.request.headers.value(for: "authorization") == "Bearer " + Redaction.fingerprint(secret))
        #expect(h.reports.value[0].target == "/v1beta/x?alt=sse&key=" + Redaction.fingerprint(secret))
        await client.close()
        await h.stop()
    }

    @Test func keepAliveConnectionsRunExchangesOneAfterAnother() async throws {
        let h = try await Harness.start { req in .sse(Array("data: \(req.uri)\n\n".utf8), chunk: 4) }
        let client = try await TestClient(port: h.port)
        for i in 0..<5 {
            let r = try await client.send(.GET, "/\(i)")
            #expect(r.text == "data: /\(i)\n\n" && r.ended)
        }
        let exchanges = await h.waitForEnds(5)
        #expect(exchanges.map(\.request.target) == (0..<5).map { "/\($0)" })
        #expect(exchanges.allSatisfy { $0.end?.state == .complete })
        await client.close()
        await h.stop()
    }

    @Test func manyConcurrentStreamsAreAllRecordedByteExact() async throws {
        let body = Corpus.bytes("02-openai-chat-toolcall-args")
        let h = try await Harness.start { _ in .sse(body, chunk: 512, gapMs: 2) }
        let results = try await withThrowingTaskGroup(of: ClientResult.self) { group in
            for i in 0..<50 {
                group.addTask {
                    let client = try await TestClient(port: h.port)
                    defer { Task { await client.close() } }
                    return try await client.send(.GET, "/s\(i)")
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 50)
        #expect(results.allSatisfy { $0.body == body && $0.ended })
        let exchanges = await h.waitForEnds(50, seconds: 20)
        #expect(exchanges.count == 50)
        #expect(exchanges.allSatisfy { $0.body == body && $0.end?.state == .complete })
        await h.stop()
    }

    @Test func aClientThatStopsReadingPausesTheUpstreamAndGetsEverythingWhenItReadsAgain() async throws {
        let total = 32 << 20
        let h = try await Harness.start { _ in Script(steps: [.flood(total: total, block: 1024)]) }
        let client = try await TestClient(port: h.port, autoRead: false)
        let response = Task { try await client.send(.GET, "/flood") }
        client.read()   // one read: the head and a little body, then the client stops reading
        // Wait until the upstream's writes stop advancing: backpressure reached it.
        var last = -1
        var stable = 0
        let deadline = Date().addingTimeInterval(15)
        while stable < 5 && Date() < deadline {
            try await Task.sleep(nanoseconds: 100_000_000)
            let now = h.upstream.log.value.floodWritten
            stable = now == last ? stable + 1 : 0
            last = now
        }
        #expect(stable >= 5, "the upstream kept sending: \(last) bytes")
        print("backpressure: upstream blocked after \(last >> 20) MiB of \(total >> 20) MiB")
        #expect(last < total / 2, "the upstream sent \(last) of \(total) bytes to a client that reads nothing")
        // Now read everything.
        try await client.channel.setOption(ChannelOptions.autoRead, value: true).get()
        client.read()
        let r = try await response.value
        #expect(r.ended)
        #expect(r.body.count == total)
        let exchange = await h.waitForEnds(1, seconds: 30)[0]
        #expect(exchange.body.count == total)
        #expect(exchange.end?.state == .complete)
        #expect((h.reports.value.first?.pauses ?? 0) >= 1)
        await client.close()
        await h.stop()
    }

    @Test func drainLetsShortStreamsFinishAndRecordsTheRestAsInterrupted() async throws {
        let h = try await Harness.start { req in
            req.uri == "/short" ? Script(steps: [.chunk(Array("data: s\n\n".utf8)), .pause(milliseconds: 100), .chunk(Array("data: t\n\n".utf8))])
                                : Script(steps: [.chunk(Array("data: l\n\n".utf8))], ending: .hang)
        }
        let shortClient = try await TestClient(port: h.port)
        let longClient = try await TestClient(port: h.port)
        let short = Task { try await shortClient.send(.GET, "/short") }
        let long = Task { try await longClient.send(.GET, "/long") }
        while h.server.stats.active < 2 { try await Task.sleep(nanoseconds: 2_000_000) }
        try await Task.sleep(nanoseconds: 30_000_000)
        await h.server.drain(seconds: 0.5)
        let s = try await short.value, l = try await long.value
        #expect(s.ended && s.text == "data: s\n\ndata: t\n\n")
        #expect(!l.ended && l.text == "data: l\n\n")
        let states = Dictionary(uniqueKeysWithValues: h.sink.exchanges.map { ($0.request.target, $0.end?.state) })
        #expect(states == ["/short": .complete, "/long": .interrupted])
        // No new connections once draining.
        await #expect(throws: (any Error).self) { _ = try await TestClient(port: h.port) }
        await shortClient.close(); await longClient.close()
        await h.stop()
    }

    @Test func anArchiveThatCannotBeWrittenStopsProxyingWith503() async throws {
        let h = try await Harness.start { _ in .json(200, "{}") }
        h.sink.failBegins("disk I/O error")
        let client = try await TestClient(port: h.port)
        let r = try await client.send(.GET, "/x")
        #expect(r.status == 503)
        #expect(r.text == #"{"error":{"type":"streamtape_archive_error","message":"streamtape cannot record: the archive refused the exchange: disk I/O error"}}"#)
        #expect(h.upstream.requests.isEmpty, "nothing was proxied unrecorded")
        #expect(h.fatal.value == ["the archive refused the exchange: disk I/O error"])
        await client.close()
        await h.stop()
    }
}
