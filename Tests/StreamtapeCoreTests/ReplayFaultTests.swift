import Testing
@testable import StreamtapeCore

@Suite struct FaultSpecParsingTests {
    @Test func everySpecParsesAndPrintsBack() throws {
        let specs = ["cut@3", "stall@2=1.5", "rechunk=1", "rechunk=random:42", "error@5=anthropic", "status=429",
                     "status=529:anthropic", "drop-terminator", "cut@0", "error@1=openai-responses"]
        for s in specs { #expect(try FaultSpec(parsing: s).description == s) }
        #expect(try FaultSpec(parsing: "stall@2=1.5") == .stall(before: 2, seconds: 1.5))
        #expect(try FaultSpec(parsing: "status=503:gemini") == .status(code: 503, dialect: .gemini))
    }

    @Test func badSpecsSayWhatIsWrong() {
        let cases: [(String, String)] = [
            ("cut@x", "bad fault 'cut@x': N must be an event number (0 or more; @N is before event #N), got 'x'"),
            ("rechunk=0", "bad fault 'rechunk=0': K must be a byte count of 1 or more"),
            ("error@2=mistral", "bad fault 'error@2=mistral': unknown dialect 'mistral' (one of openai-chat, openai-responses, anthropic, gemini, ollama)"),
            ("status=200", "bad fault 'status=200': CODE must be an HTTP error status from 400 to 599"),
            ("stall@1=-2", "bad fault 'stall@1=-2': SECONDS must be a number from 0 to 3600, got '-2'"),
            ("explode", "bad fault 'explode': expected one of cut@N, stall@N=SECONDS, rechunk=K, rechunk=random:SEED, error@N=DIALECT, status=CODE[:DIALECT], drop-terminator"),
        ]
        for (spec, message) in cases {
            #expect(throws: FaultSpecError.self) { try FaultSpec(parsing: spec) }
            do { _ = try FaultSpec(parsing: spec) } catch { #expect(error.description == message) }
        }
    }
}

@Suite struct ReplayFaultTests {
    private let step = ReplayFixtures.stepNs
    private let chat = ReplayFixtures.exchange(corpus: "01-openai-chat-text")

    private func plan(_ e: Exchange, _ faults: [String]) throws -> ReplayPlan {
        try ReplaySchedule.plan(for: e, faults: faults.map { try FaultSpec(parsing: $0) })
    }

    @Test func cutSendsExactlyTheBytesOfTheFirstNEventsThenCloses() throws {
        let body = Corpus.bytes("01-openai-chat-text", "sse")
        let events = ReplayFixtures.events(body)
        let p = try plan(chat, ["cut@3"])
        #expect(p.body == Array(body[..<events[2].end]))
        #expect(p.ending == .abort)
        #expect(p.segments.map(\.at) == [step, 2 * step, 3 * step])
        #expect(p.endAt == 3 * step)
        #expect(try plan(chat, ["cut@0"]).segments.isEmpty)
    }

    @Test func aFaultBeyondTheStreamIsRefusedNamingTheEventCount() {
        do { _ = try plan(chat, ["cut@13"]); Issue.record("expected an error") } catch {
            #expect(String(describing: error) == "bad fault 'cut@13': the stream has 12 event(s), #0 to #11; @N is before event #N, so N goes from 0 to 12")
        }
    }

    @Test func stallDelaysEverythingAfterEventNByWallClockSeconds() throws {
        let p = try ReplaySchedule.plan(for: chat, pacing: .init(speed: 10), faults: [.stall(before: 2, seconds: 1.5)])
        let base = try ReplaySchedule.plan(for: chat, pacing: .init(speed: 10))
        #expect(p.body == base.body)
        let stall: UInt64 = 1_500_000_000
        #expect(p.segments.map(\.at) == base.segments.enumerated().map { $0.offset < 2 ? $0.element.at : $0.element.at + stall })
        #expect(p.endAt == base.endAt + stall)
    }

    @Test func rechunkKeepsTheBytesAndThePaceAndTheEvents() throws {
        for name in ["01-openai-chat-text", "14-gemini-text-crlf", "11-anthropic-thinking-haiku"] {
            let e = ReplayFixtures.exchange(corpus: name)
            let base = try plan(e, [])
            for spec in ["rechunk=1", "rechunk=7", "rechunk=random:1", "rechunk=random:99"] {
                let p = try plan(e, [spec])
                #expect(p.body == base.body, "\(name) \(spec)")
                let maxSize = spec == "rechunk=7" ? 7 : spec == "rechunk=1" ? 1 : 16
                #expect(p.segments.dropLast().allSatisfy { (spec.contains("random") ? 1...maxSize : maxSize...maxSize).contains($0.bytes.count) })
                // Each piece leaves when its last byte left in the recording.
                var offset = 0
                for s in p.segments {
                    offset += s.bytes.count
                    let original = base.segments.first { seg in
                        base.segments.prefix { $0 != seg }.reduce(0) { $0 + $1.bytes.count } + seg.bytes.count >= offset
                    }!
                    #expect(s.at == original.at)
                }
                let parsed = SSEParser.parse(chunks: p.segments.map(\.bytes)).events.map { [$0.type, $0.data] }
                #expect(parsed == Corpus.expectedEvents(name).map { [$0[0], $0[1]] })
            }
        }
    }

    @Test func randomRechunkIsDeterministicPerSeedAndSplitsCRLFAndUTF8() throws {
        let gemini = ReplayFixtures.exchange(corpus: "14-gemini-text-crlf")
        let a = try plan(gemini, ["rechunk=random:5"]), b = try plan(gemini, ["rechunk=random:5"]), c = try plan(gemini, ["rechunk=random:6"])
        #expect(a == b)
        #expect(a.segments.map(\.bytes.count) != c.segments.map(\.bytes.count))
        #expect(a.segments.contains { $0.bytes.last == 0x0D })  // a CR whose LF is in the next write
        let haiku = try plan(ReplayFixtures.exchange(corpus: "11-anthropic-thinking-haiku"), ["rechunk=1"])
        #expect(haiku.segments.contains { $0.bytes[0] & 0xC0 == 0x80 })  // a UTF-8 continuation byte on its own
    }

    @Test func errorAfterEventNIsTheProvidersOwnFrameAndEndsTheStream() throws {
        let body = Corpus.bytes("01-openai-chat-text", "sse")
        let events = ReplayFixtures.events(body)
        let p = try plan(chat, ["error@4=openai-chat"])
        #expect(p.ending == .complete)
        #expect(p.body == Array(body[..<events[3].end]) + Array(#"data: {"error":{"message":"The server had an error while processing your request. Sorry about that!","type":"server_error","param":null,"code":null}}"#.utf8) + [10, 10])
        #expect(p.segments.last!.at == 4 * step)
        let parsed = ReplayFixtures.events(p.body)
        #expect(parsed.count == 5)
        #expect(!parsed.contains { $0.data == "[DONE]" })
    }

    @Test func anthropicErrorIsAnOverloadedErrorEvent() throws {
        let e = ReplayFixtures.exchange(corpus: "11-anthropic-thinking-haiku", target: "/v1/messages")
        let last = ReplayFixtures.events(try plan(e, ["error@2=anthropic"]).body).last!
        #expect(last.type == "error")
        #expect(last.data == #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#)
    }

    @Test func responsesErrorContinuesTheSequenceAndFailsTheResponse() throws {
        let e = ReplayFixtures.exchange(corpus: "04-openai-responses-text", target: "/v1/responses")
        let events = ReplayFixtures.events(try plan(e, ["error@3=openai-responses"]).body)
        #expect(events.count == 5)
        #expect(events[3].type == "error")
        let err = JSONValue.parse(Array(events[3].data.utf8))!
        let failed = JSONValue.parse(Array(events[4].data.utf8))!
        let third = JSONValue.parse(Array(events[2].data.utf8))!
        #expect(err["sequence_number"]?.intValue == third["sequence_number"]!.intValue! + 1)
        #expect(events[4].type == "response.failed")
        #expect(failed["response"]?["status"]?.stringValue == "failed")
        #expect(failed["response"]?["id"] == JSONValue.parse(Array(events[0].data.utf8))!["response"]!["id"])
    }

    @Test func geminiErrorUsesTheStreamsCRLFAndTheGoogleErrorShape() throws {
        let e = ReplayFixtures.exchange(corpus: "14-gemini-text-crlf", target: "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse")
        let body = try plan(e, ["error@1=gemini"]).body
        #expect(String(decoding: body, as: UTF8.self).hasSuffix("data: {\"error\":{\"code\":503,\"message\":\"The model is overloaded. Please try again later.\",\"status\":\"UNAVAILABLE\"}}\r\n\r\n"))
        #expect(ReplayFixtures.events(body).count == 2)
    }

    @Test func ollamaErrorIsAnNDJSONLine() throws {
        let e = ReplayFixtures.exchange(chunks: [(step, "{\"message\":{\"content\":\"Hi\"},\"done\":false}\n"), (2 * step, "{\"done\":true}\n")],
                                        headers: [Header("content-type", "application/x-ndjson")], target: "/api/chat")
        let p = try plan(e, ["error@1=ollama"])
        #expect(String(decoding: p.body, as: UTF8.self) == "{\"message\":{\"content\":\"Hi\"},\"done\":false}\n{\"error\":\"an error was encountered while running the model: unexpected EOF\"}\n")
    }

    @Test func statusReplacesTheStreamWithTheProvidersErrorBody() throws {
        let p = try plan(chat, ["status=429"])
        #expect(p.head == ReplayHead(status: 429, headers: [Header("content-type", "application/json"), Header("retry-after", "1"), Header("content-length", "127")], chunked: false))
        #expect(p.body.count == 127)
        #expect(String(decoding: p.body, as: UTF8.self) == #"{"error":{"message":"Rate limit reached. Please try again later.","type":"requests","param":null,"code":"rate_limit_exceeded"}}"#)
        let anthropic = ReplayFixtures.exchange(corpus: "11-anthropic-thinking-haiku", target: "/v1/messages")
        #expect(String(decoding: try plan(anthropic, ["status=529"]).body, as: UTF8.self) == #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#)
        #expect(String(decoding: try plan(chat, ["status=500:gemini"]).body, as: UTF8.self) == #"{"error":{"code":500,"message":"The server had an error while processing your request.","status":"INTERNAL"}}"#)
    }

    @Test func dropTerminatorLeavesOutEachDialectsEndMarker() throws {
        let cases: [(String, String)] = [("01-openai-chat-text", "[DONE]"), ("11-anthropic-thinking-haiku", "message_stop"),
                                         ("04-openai-responses-text", "response.completed"), ("14-gemini-text-crlf", "STOP")]
        for (name, marker) in cases {
            let body = Corpus.bytes(name, "sse")
            let original = ReplayFixtures.events(body)
            let p = try plan(ReplayFixtures.exchange(corpus: name), ["drop-terminator"])
            let events = ReplayFixtures.events(p.body)
            #expect(events.count == original.count - 1, "\(name)")
            #expect(original.last!.type == marker || original.last!.data.contains(marker), "\(name)")
            #expect(events.map(\.data) == original.dropLast().map(\.data), "\(name)")
            #expect(p.ending == .complete)
        }
    }

    @Test func dropTerminatorWorksInsideOneBigChunk() throws {
        // A bare body is one chunk: the terminator is cut out of the middle of it.
        for name in ["14-gemini-text-crlf", "11-anthropic-thinking-haiku"] {
            let body = Corpus.bytes(name, "sse")
            let e = ReplayFixtures.exchange(chunks: [(0, String(decoding: body, as: UTF8.self))])
            let p = try plan(e, ["drop-terminator"])
            let original = ReplayFixtures.events(body)
            let last = Dialect.detect(target: e.request.target, contentType: "text/event-stream", firstEvents: original).terminator(in: original)!
            #expect(p.body == Array(body[..<last.start]) + Array(body[last.end...]), "\(name)")
        }
    }

    @Test func faultsCombine() throws {
        // cut after event 5 of a stream whose [DONE] is dropped, re-split in single bytes, with a stall after 2.
        let p = try plan(chat, ["drop-terminator", "rechunk=1", "cut@5", "stall@2=0.25"])
        let body = Corpus.bytes("01-openai-chat-text", "sse")
        let events = ReplayFixtures.events(body)
        #expect(p.body == Array(body[..<events[4].end]))
        #expect(p.segments.allSatisfy { $0.bytes.count == 1 })
        #expect(p.segments.last!.at == 5 * step + 250_000_000)
        #expect(p.ending == .abort)
    }
}
