import Foundation
import Testing
@testable import StreamtapeCore

@Suite struct TapeTests {
    static let sample = Exchange(
        id: 7, startedMs: 1_795_676_400_123, upstream: "https://api.openai.com",
        request: CapturedRequest(method: "POST", target: "/v1/chat/completions",
                                 headers: [Header("Content-Type", "application/json"), Header("authorization", "redacted:1a2b3c4d")],
                                 body: Array("{\"stream\":true}".utf8)),
        response: CapturedResponse(status: 200, headers: [Header("content-type", "text/event-stream")], offsetNs: 182_000_000),
        chunks: [
            Chunk(seq: 0, offsetNs: 231_045_001, bytes: Array("data: {\"a\":\"é\"}\n\n".utf8)),
            Chunk(seq: 1, offsetNs: 262_990_000, bytes: [0x64, 0x61, 0xE2, 0x80]),
            Chunk(seq: 2, offsetNs: 262_990_000, bytes: [0xA6, 0x0A, 0x0A, 0x00, 0x0D]),
        ],
        end: ExchangeEnd(offsetNs: 1_503_000_000, state: .upstreamReset, error: "transfer closed with \"outstanding\" data"),
        tags: ["demo", "x"], note: "a note")

    @Test func encodesTheDocumentedLayout() {
        let lines = Tape.encode(Self.sample).split(separator: "\n").map(String.init)
        #expect(lines.count == 5)
        #expect(lines[0] == #"{"streamtape":1,"id":7,"started":"2026-11-26T07:00:00.123Z","upstream":"https://api.openai.com","request":{"method":"POST","target":"/v1/chat/completions","headers":[["Content-Type","application/json"],["authorization","redacted:1a2b3c4d"]],"body":"{\"stream\":true}"},"response":{"status":200,"t":0.182,"headers":[["content-type","text/event-stream"]]},"tags":["demo","x"],"note":"a note"}"#)
        #expect(lines[1] == #"{"t":0.231045001,"text":"data: {\"a\":\"é\"}\n\n"}"#)
        #expect(lines[2] == #"{"t":0.26299,"b64":"ZGHigA=="}"#)
        #expect(lines[3] == #"{"t":0.26299,"b64":"pgoKAA0="}"#)
        #expect(lines[4] == #"{"t":1.503,"end":"upstream_reset","error":"transfer closed with \"outstanding\" data"}"#)
    }

    @Test func roundTripIsLossless() throws {
        let text = Tape.encode(Self.sample)
        let back = try Tape.decode(Array(text.utf8))
        #expect(back == Self.sample)
        #expect(Tape.encode(back) == text)
    }

    @Test func unknownTimingIsAHeaderKeyThatRoundTrips() throws {
        var e = try Tape.decode(Array(#"{"streamtape":1,"started":"2026-11-26T07:00:00.123Z","upstream":"","request":{"method":"GET","target":"/"}}"#.utf8))
        #expect(!e.timingUnknown)
        e.timingUnknown = true
        let text = Tape.encode(e)
        #expect(text.hasSuffix(#""headers":[]},"timing":"unknown"}"# + "\n"))
        #expect(try Tape.decode(Array(text.utf8)) == e)
        #expect(throws: Tape.FormatError(line: 1, reason: "\"timing\" can only be \"unknown\"")) {
            try Tape.decode(Array(text.replacingOccurrences(of: #""unknown""#, with: "true").utf8))
        }
    }

    @Test func controlCharactersAndNULSurviveAsText() throws {
        var e = Self.sample
        e.chunks = [Chunk(seq: 0, offsetNs: 5, bytes: [0x00, 0x01, 0x1F, 0x7F, 0x0D, 0x0A, 0x5C, 0x22])]
        let text = Tape.encode(e)
        #expect(text.contains(#"{"t":0.000000005,"text":"\u0000\u0001\u001f\u007f\r\n\\\""}"#))
        #expect(try Tape.decode(Array(text.utf8)).chunks == e.chunks)
    }

    @Test func corpusBodiesRoundTripByteExact() throws {
        for name in Corpus.names {
            let bytes = Corpus.bytes(name, "sse")
            var e = RawBody.exchange(bytes, ndjson: false)
            // Split at every 7th byte so chunks cut inside CRLF and UTF-8 sequences.
            e.chunks = stride(from: 0, to: bytes.count, by: 7).enumerated().map { i, s in
                Chunk(seq: i, offsetNs: UInt64(i) * 1_000_003, bytes: Array(bytes[s..<min(s + 7, bytes.count)]))
            }
            let back = try Tape.decode(Array(Tape.encode(e).utf8))
            #expect(back.chunks == e.chunks, "\(name)")
        }
    }

    @Test(arguments: [
        ("", "empty file: not a tape"),
        ("{\"streamtape\":2,\"started\":\"2026-11-26T07:00:00Z\",\"request\":{\"method\":\"GET\",\"target\":\"/\"}}\n",
         "line 1: tape version 2 is not supported (this streamtape reads version 1)"),
        ("{\"hello\":1}\n", "line 1: not a streamtape tape (the first line has no \"streamtape\" version)"),
        ("{\"streamtape\":1,\"started\":\"2026-11-26T07:00:00Z\",\"request\":{\"method\":\"GET\",\"target\":\"/\"}}\n{\"t\":0.1,\"text\":\"a\"}\nnot json\n",
         "line 3: not valid JSON"),
        ("{\"streamtape\":1,\"started\":\"2026-11-26T07:00:00Z\",\"request\":{\"method\":\"GET\",\"target\":\"/\"}}\n{\"t\":-1,\"text\":\"a\"}\n",
         "line 2: \"t\" must be a number of seconds from 0 to less than 1000000000"),
        ("{\"streamtape\":1,\"started\":\"2026-11-26T07:00:00Z\",\"request\":{\"method\":\"GET\",\"target\":\"/\"}}\n{\"t\":1e300,\"text\":\"a\"}\n",
         "line 2: \"t\" must be a number of seconds from 0 to less than 1000000000"),
        ("{\"streamtape\":1,\"started\":\"2026-11-26T07:00:00Z\",\"request\":{\"method\":\"GET\",\"target\":\"/\"},\"response\":{\"status\":200,\"t\":-0.5}}\n",
         "line 1: \"t\" must be a number of seconds from 0 to less than 1000000000"),
        ("{\"streamtape\":1,\"started\":\"2026-11-26T07:00:00Z\",\"request\":{\"method\":\"GET\",\"target\":\"/\"}}\n{\"t\":1e400,\"text\":\"a\"}\n",
         "line 2: not valid JSON"),
        ("{\"streamtape\":1,\"started\":\"0000-01-01T00:00:00Z\",\"request\":{\"method\":\"GET\",\"target\":\"/\"}}\n",
         "line 1: \"started\" must be an ISO 8601 timestamp with a year from 0001 to 9999"),
        ("{\"streamtape\":1,\"started\":\"10000-01-01T00:00:00Z\",\"request\":{\"method\":\"GET\",\"target\":\"/\"}}\n",
         "line 1: \"started\" must be an ISO 8601 timestamp with a year from 0001 to 9999"),
        ("{\"streamtape\":1,\"id\":1e300,\"started\":\"2026-11-26T07:00:00Z\",\"request\":{\"method\":\"GET\",\"target\":\"/\"}}\n",
         "line 1: \"id\" must be an integer"),
        ("{\"streamtape\":1,\"started\":\"2026-11-26T07:00:00Z\",\"request\":{\"method\":\"GET\",\"target\":\"/\"},\"response\":{\"status\":-200}}\n",
         "line 1: response needs an integer \"status\" from 100 to 999"),
        ("{\"streamtape\":1,\"started\":\"2026-11-26T07:00:00Z\",\"request\":{\"method\":\"GET\",\"target\":\"/\"}}\n{\"t\":0.2,\"b64\":\"@@\"}\n",
         "line 2: \"b64\" is not valid base64"),
        ("{\"streamtape\":1,\"started\":\"2026-11-26T07:00:00Z\",\"request\":{\"method\":\"GET\",\"target\":\"/\"}}\n{\"t\":0.2,\"end\":\"complete\"}\n{\"t\":0.3,\"text\":\"a\"}\n",
         "line 3: line after the end line"),
        ("{\"streamtape\":1,\"started\":\"2026-11-26T07:00:00Z\",\"request\":{\"method\":\"GET\",\"target\":\"/\"}}\n{\"t\":0.2,\"end\":\"fine\"}\n",
         "line 2: unknown end state \"fine\""),
    ])
    func badTapesNameTheLine(text: String, message: String) {
        #expect(throws: Tape.FormatError.self) { try Tape.decode(Array(text.utf8)) }
        do { _ = try Tape.decode(Array(text.utf8)) } catch { #expect("\(error)" == message) }
    }

    @Test func jsonQuotingEscapesOnlyWhatItMust() {
        #expect(JSONText.quote("a\"b\\c/é日\u{1}\u{7F}\t\u{2028}\u{2029}\u{2027}") == #""a\"b\\c/é日\u0001\u007f\t\u2028\u2029\#u{2027}""#)
    }

    @Test func secondsFormatIsExact() {
        #expect(Seconds.format(ns: 0) == "0.0")
        #expect(Seconds.format(ns: 1_500_000_000) == "1.5")
        #expect(Seconds.format(ns: 123_456_789_012) == "123.456789012")
        for ns: UInt64 in [1, 999_999_999, 86_399_999_999_999, 231_045_001] {
            #expect(Seconds.ns(Double(Seconds.format(ns: ns))!) == ns)
        }
    }

    @Test func wallClockFormatsAndParsesMilliseconds() {
        #expect(WallClock.iso(ms: 1_795_676_400_123) == "2026-11-26T07:00:00.123Z")
        #expect(WallClock.parse("2026-11-26T07:00:00.123Z") == 1_795_676_400_123)
        #expect(WallClock.parse("2026-11-26T07:00:00Z") == 1_795_676_400_000)
        #expect(WallClock.parse("yesterday") == nil)
        // Proleptic Gregorian like iso(ms:), offsets applied, the fraction rounded to the millisecond.
        #expect(WallClock.parse("0001-01-01T00:00:00Z") == WallClock.writableMs.lowerBound)
        #expect(WallClock.parse("1582-10-04T00:00:00Z") == -12_220_243_200_000)
        #expect(WallClock.parse("2026-11-26T08:30:00.1234+01:30") == 1_795_676_400_123)
        #expect(WallClock.parse("2026-11-26T07:00:00.12351Z") == 1_795_676_400_124)
        for bad in ["2026-02-29T00:00:00Z", "2026-11-26T24:00:00Z", "2026-11-26T07:00:00", "2026-11-26T07:00:00.Z",
                    "0001-01-01T00:00:00+00:01", "9999-12-31T23:59:59-00:01", "26-11-26T07:00:00Z", "2026-11-26 07:00:00Z"] {
            #expect(WallClock.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func startedYearsAtTheEdgesRoundTrip() throws {
        for started in ["0001-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z"] {
            let text = "{\"streamtape\":1,\"started\":\"\(started)\",\"upstream\":\"\",\"request\":{\"method\":\"GET\",\"target\":\"/\",\"headers\":[]}}\n"
            let tape = try Tape.decode(Array(text.utf8))
            #expect(WallClock.iso(ms: tape.startedMs) == started)
            #expect(Tape.encode(tape) == text)
        }
    }

    @Test func eventLinesCarryTimeOffsetAndLastEventID() {
        let chunks = [Chunk(seq: 0, offsetNs: 1_000, bytes: Array("id: 4\ndata: a\n".utf8)), Chunk(seq: 1, offsetNs: 2_000_000, bytes: Array("\n".utf8))]
        let events = SSEParser.parse(chunks: chunks.map(\.bytes)).events
        #expect(EventLines.encode(events, chunks: chunks) == #"{"index":0,"t":0.002,"offset":0,"length":15,"event":"message","data":"a","id":"4"}"# + "\n")
    }
}
