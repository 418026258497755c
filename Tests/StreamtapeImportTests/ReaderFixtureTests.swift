import Foundation
import StreamtapeCore
import Testing
@testable import StreamtapeImport

@Suite struct ReaderFixtureTests {
    @Test(arguments: ImportFixtures.importable)
    func everyBodyIsDecodedAsPythonDecodesItAndEveryStreamAssemblesLikeItsSSE(name: String) throws {
        let exchanges = try ImportFixtures.read(name)
        let expected = try ImportFixtures.expectedBodies(name)
        #expect(!expected.isEmpty)
        #expect(exchanges.count == expected.count)
        for (e, body) in zip(exchanges, expected) {
            #expect(e.body == body)
            #expect(e.timingUnknown)
            #expect(e.end?.state == .complete)
            #expect(e.response?.headers.value(for: "content-encoding") == nil)
            guard (e.response?.headers.value(for: "content-type") ?? "").contains("event-stream"), !body.isEmpty else { continue }
            let imported = Analysis.analyze(e)
            let sse = Analysis.analyze(RawBody.exchange(body, ndjson: false))
            #expect(imported.assembly.text == sse.assembly.text)
            #expect(imported.assembly.toolCalls == sse.assembly.toolCalls)
            #expect(imported.assembly.errors == sse.assembly.errors)
            #expect(imported.events.count == sse.events.count)
            #expect(imported.events.count > 0)
        }
    }

    @Test func streamsAssembleToWhatTheUserSaw() throws {
        let chat = try ImportFixtures.read("openai-chat-stream.yaml").map { Analysis.analyze($0).assembly }
        #expect(chat.map(\.toolCalls.first?.name) == ["multiply", nil])
        #expect(chat[0].toolCalls.first?.arguments == #"{"a":1231,"b":2331}"#)
        #expect(chat[1].text == #"The result of \( 1231 \times 2331 \) is \( 2,869,461 \)."#)
        #expect(Analysis.analyze(try ImportFixtures.read("anthropic-messages-stream.yaml")[0]).assembly.text == "Hello")
        #expect(Analysis.analyze(try ImportFixtures.read("openai-responses-stream.yaml")[0]).assembly.text == "pong")
        let gzipped = Analysis.analyze(try ImportFixtures.read("anthropic-messages-stream-gzip-binary.yaml")[0])
        #expect(gzipped.dialect == .anthropic)
        #expect(gzipped.assembly.stop == "stop_sequence")
        #expect(gzipped.events.count == 10)
        let gemini = try ImportFixtures.read("gemini-stream-sse-crlf-multi-pydanticai.yaml")
        #expect(Analysis.analyze(gemini[0]).assembly.toolCalls.map(\.name) == ["get_capital"])
        #expect(gemini[0].body.suffix(4) == Array("\r\n\r\n".utf8))
    }

    @Test func requestsKeepMethodURLHeadersAndBodyWithTheEncodingHeaderAdjusted() throws {
        let e = try ImportFixtures.read("anthropic-messages-stream-gzip-binary.yaml")[0]
        #expect(e.request.method == "POST")
        #expect(e.upstream == "https://api.anthropic.com")
        #expect(e.request.target == "/v1/messages")
        #expect(e.request.headers.value(for: "anthropic-version") == "2023-06-01")
        #expect(String(decoding: e.request.body, as: UTF8.self).hasPrefix(#"{"max_tokens":8192,"#))
        #expect(e.response?.status == 200)
        #expect(e.startedMs == WallClock.parse("2026-04-05T10:23:55Z"))
        let mixed = try ImportFixtures.read("anthropic-mixed-image-get-and-stream.yaml")
        #expect(mixed.map(\.request.method) == ["HEAD", "HEAD", "POST"])
        #expect(mixed.map { $0.chunks.count } == [0, 0, 1])
        let old = try ImportFixtures.read("vcrpy-httpx-old-format-gzip.yaml")[0]
        #expect(old.response?.status == 200)
        #expect(old.response?.headers.value(for: "content-length") == String(old.body.count))
        let nonstream = try ImportFixtures.read("openai-responses-nonstream-gzip-binary.yaml")[0]
        #expect(nonstream.response?.headers.value(for: "content-type") == "application/json")
        #expect(nonstream.body.first == UInt8(ascii: "{"))
    }

    @Test func aBrotliBodyImportsAsTheSameExchangeAsTheSameStreamGzipped() throws {
        // Fixtures/make-brotli.sh re-encoded the gzip cassette's stream with brotli, as a cassette and a HAR entry.
        let gzip = try ImportFixtures.read("anthropic-messages-stream-gzip-binary.yaml")
        #expect(try ImportFixtures.read("anthropic-messages-stream-br-binary.yaml") == gzip)
        let har = try ImportFixtures.read("anthropic-messages-stream-br-base64.har")[0]
        #expect(har.body == gzip[0].body)
        #expect(har.response?.headers == gzip[0].response?.headers)
        #expect(har.request == gzip[0].request)
        #expect(Analysis.analyze(har).assembly.stop == "stop_sequence")
    }

    @Test func harTimingsPlaceTheHeadAfterWaitAndTheEndAfterReceive() throws {
        let entries = try ImportFixtures.read("generic-sse-firefox-export-rama.har")
        let sse = try #require(entries.last { $0.request.target == "/sse" })
        #expect(sse.response?.headers.value(for: "content-type")?.hasPrefix("text/event-stream") == true)
        #expect(Analysis.analyze(sse).events.count == 4)
        #expect(sse.chunks.first?.offsetNs == sse.response?.offsetNs)
        #expect(sse.timingUnknown)
        let json = #"""
        {"log":{"version":"1.2","entries":[{"startedDateTime":"2026-01-02T03:04:05.250+01:00",
         "request":{"method":"POST","url":"https://api.openai.com/v1/chat/completions?key=sk-query","headers":[{"name":"Authorization","value":"Bearer sk-secret"}],"postData":{"mimeType":"application/json","text":"{}"}},
         "response":{"status":200,"headers":[{"name":"content-type","value":"text/event-stream"}],"content":{"size":6,"mimeType":"text/event-stream","text":"ZGF0YTogMQoK","encoding":"base64"}},
         "timings":{"blocked":-1,"dns":2,"connect":3,"send":1,"wait":120.5,"receive":30}}]}}
        """#
        let e = try HARReader.read(Array(json.utf8))[0]
        #expect(e.startedMs == WallClock.parse("2026-01-02T02:04:05.250Z"))
        #expect(e.response?.offsetNs == 126_500_000)
        #expect(e.end?.offsetNs == 156_500_000)
        #expect(e.body == Array("data: 1\n\n".utf8))
        #expect(e.request.body == Array("{}".utf8))
        // Fingerprints computed independently: Python's hashlib.sha256(b"sk-secret").hexdigest()[:8].
        #expect(e.request.headers.value(for: "authorization") == "Bearer redacted:\(Self.sha8["sk-secret"]!)")
        #expect(e.request.target == "/v1/chat/completions?key=redacted:\(Self.sha8["sk-query"]!)")
    }

    @Test func cassetteCredentialsAreRedactedAsTheRecorderRedactsThem() throws {
        let yaml = """
        interactions:
        - request:
            body: null
            headers:
              Authorization: [Bearer sk-secret]
              x-api-key: [sk-query]
              OpenAI-Organization: [org-1]
            method: GET
            uri: https://generativelanguage.googleapis.com/v1/models?key=sk-query&alt=sse
          response:
            body: {string: ''}
            headers:
              Set-Cookie: [a=1, b=2]
            status: {code: 204, message: No Content}
        version: 1
        """
        let e = try CassetteReader.read(Array(yaml.utf8))[0]
        let policy = try Redaction()
        #expect(e.request == policy.request(CapturedRequest(
            method: "GET", target: "/v1/models?key=sk-query&alt=sse",
            headers: [Header("Authorization", "Bearer sk-secret"), Header("x-api-key", "sk-query"), Header("OpenAI-Organization", "org-1")])))
        #expect(e.request.headers == [Header("Authorization", "Bearer redacted:\(Self.sha8["sk-secret"]!)"),
                                      Header("x-api-key", "redacted:\(Self.sha8["sk-query"]!)")])
        #expect(e.request.target == "/v1/models?key=redacted:\(Self.sha8["sk-query"]!)&alt=sse")
        #expect(e.response?.headers.map(\.value) == ["redacted:\(Self.sha8["a=1"]!)", "redacted:\(Self.sha8["b=2"]!)"])
        #expect(e.response?.status == 204)
    }

    /// `hashlib.sha256(s.encode()).hexdigest()[:8]`, computed in Python.
    static let sha8 = ["sk-secret": "746b4ad1", "sk-query": "9cad2ce8", "a=1": "c22fea5d", "b=2": "efa2eba7"]
}
