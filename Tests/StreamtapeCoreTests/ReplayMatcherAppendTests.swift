import StreamtapeCore
import Testing

/// `ReplayMatcher.append`: exchanges recorded while serving (record-on-miss) join the matching.
@Suite struct ReplayMatcherAppendTests {
    private func ex(_ target: String, _ body: String, id: Int64? = nil) -> Exchange {
        Exchange(id: id, startedMs: 0, request: CapturedRequest(method: "POST", target: target, body: Array(body.utf8)))
    }

    @Test func anAppendedExchangeAnswersTheNextIdenticalRequestOnceAndResetRewindsIt() throws {
        var m = ReplayMatcher(exchanges: [ex("/v1/a", #"{"x":1}"#)])
        #expect(throws: ReplayMiss.self) { try m.match(method: "POST", target: "/v1/b", body: Array(#"{"y":2}"#.utf8)).get() }
        #expect(m.append(ex("/v1/b", #"{ "y": 2 }"#, id: 9)) == 1)
        #expect(m.entries.map(\.id) == [nil, 9])
        #expect(try m.match(method: "POST", target: "/v1/b", body: Array(#"{"y":2}"#.utf8)).get() == 1)
        #expect(m.servedCount == 1)
        let again = m.match(method: "POST", target: "/v1/b", body: Array(#"{"y":2}"#.utf8))
        guard case .failure(let miss) = again else { Issue.record("served twice"); return }
        #expect(miss.alreadyServed == 1 && miss.recorded == 2)
        m.reset()
        #expect(try m.match(method: "POST", target: "/v1/b", body: Array(#"{"y":2}"#.utf8)).get() == 1)
        #expect(try m.match(method: "POST", target: "/v1/a", body: Array(#"{"x":1}"#.utf8)).get() == 0)
    }
}
