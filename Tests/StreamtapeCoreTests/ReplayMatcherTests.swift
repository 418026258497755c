import Testing
@testable import StreamtapeCore

@Suite struct ReplayMatcherTests {
    private func ex(_ method: String, _ target: String, _ body: String, id: Int64? = nil) -> Exchange {
        Exchange(id: id, startedMs: 0, request: CapturedRequest(method: method, target: target, body: Array(body.utf8)))
    }

    private func match(_ m: inout ReplayMatcher, _ method: String, _ target: String, _ body: String) -> Int? {
        try? m.match(method: method, target: target, body: Array(body.utf8)).get()
    }

    @Test func defaultModeComparesMethodPathAndCanonicalBody() {
        var m = ReplayMatcher(exchanges: [ex("POST", "/v1/a", #"{"x":1,"y":2}"#), ex("POST", "/v1/b", #"{"x":1}"#)])
        #expect(match(&m, "POST", "/v1/b", #"{ "x" : 1.0 }"#) == 1)
        #expect(match(&m, "POST", "/v1/a", #"{"y":2,"x":1}"#) == 0)
        m.reset()
        #expect(match(&m, "GET", "/v1/a", #"{"x":1,"y":2}"#) == nil)
        #expect(match(&m, "POST", "/v1/a", #"{"x":1,"y":3}"#) == nil)
    }

    @Test func identicalRequestsGetMatchingExchangesInRecordedOrderThenMiss() {
        var m = ReplayMatcher(exchanges: [ex("POST", "/p", "{}"), ex("POST", "/q", "{}"), ex("POST", "/p", "{}")])
        #expect(match(&m, "POST", "/p", "{}") == 0)
        #expect(match(&m, "POST", "/p", "{}") == 2)
        guard case .failure(let miss) = m.match(method: "POST", target: "/p", body: Array("{}".utf8)) else { Issue.record("expected a miss"); return }
        #expect(miss.alreadyServed == 2)
        #expect(miss.message.hasPrefix("all 2 recorded exchange(s) matching POST /p were already served"))
        m.reset()
        #expect(match(&m, "POST", "/p", "{}") == 0)
    }

    @Test func ignoredFieldsAndTheRedactedKeyParameterDoNotCount() {
        var m = ReplayMatcher(exchanges: [ex("POST", "/v1/m:stream?alt=sse&key=REDACTED", #"{"user":"a","metadata":{"session":"1"},"q":1}"#)],
                              ignoreFields: ["user", "metadata.session"])
        #expect(match(&m, "POST", "/v1/m:stream?key=secret&alt=sse", #"{"user":"b","metadata":{"session":"2"},"q":1}"#) == 0)
    }

    @Test func pathModeIgnoresTheBodyButNotTheQuery() {
        var m = ReplayMatcher(exchanges: [ex("POST", "/v1/a?x=1", #"{"x":1}"#)], mode: .path)
        #expect(match(&m, "POST", "/v1/a?x=2", "not json") == nil)
        #expect(match(&m, "POST", "/v1/a?x=1", "not json") == 0)
    }

    @Test func sequenceModeServesInRecordedOrderWhateverComes() {
        var m = ReplayMatcher(exchanges: [ex("POST", "/a", "1"), ex("GET", "/b", "")], mode: .sequence)
        #expect(match(&m, "DELETE", "/zzz", "x") == 0)
        #expect(match(&m, "PUT", "/", "") == 1)
        guard case .failure(let miss) = m.match(method: "GET", target: "/", body: []) else { Issue.record("expected a miss"); return }
        #expect(miss.message == "the 2 recorded exchange(s) were all served in sequence (POST /__streamtape/reset rewinds)")
    }

    @Test func anExchangeRecordedWithoutARequestMatchesAnything() {
        var m = ReplayMatcher(exchanges: [ex("", "", "")])
        #expect(match(&m, "POST", "/v1/chat/completions", #"{"a":1}"#) == 0)
    }

    @Test func aMissNamesTheClosestRecordedRequestsAndHowTheyDiffer() {
        var m = ReplayMatcher(exchanges: [ex("GET", "/v1/models", "", id: 7),
                                          ex("POST", "/v1/chat/completions", #"{"model":"gpt-4o","stream":true}"#, id: 8)])
        guard case .failure(let miss) = m.match(method: "POST", target: "/v1/chat/completions", body: Array(#"{"model":"gpt-5","stream":true}"#.utf8)) else {
            Issue.record("expected a miss"); return
        }
        #expect(miss.closest.map(\.id) == [8, 7])
        #expect(miss.closest[0].differences == [#"body $.model: got "gpt-5", recorded "gpt-4o""#])
        #expect(miss.json == #"{"error":{"type":"streamtape_no_match","message":"no recorded exchange matches POST /v1/chat/completions (match mode request)","request":{"method":"POST","target":"/v1/chat/completions"},"closest":[{"exchange":1,"id":8,"method":"POST","target":"/v1/chat/completions","differences":["body $.model: got \"gpt-5\", recorded \"gpt-4o\""]},{"exchange":0,"id":7,"method":"GET","target":"/v1/models","differences":["method: got POST, recorded GET","path: got /v1/chat/completions, recorded /v1/models","body: got 31 bytes, recorded 0 bytes"]}]}}"#)
        #expect(JSONValue.parse(Array(miss.json.utf8)) != nil)
    }
}
