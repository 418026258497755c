import StreamtapeCore
import Testing

/// `ReplayMatcher(repeats: true)` (`replay --repeat`): recordings answer as often as they are asked.
@Suite struct ReplayMatcherRepeatTests {
    private func ex(_ target: String, _ body: String) -> Exchange {
        Exchange(startedMs: 0, request: CapturedRequest(method: "POST", target: target, body: Array(body.utf8)))
    }

    @Test func unservedMatchesComeFirstThenTheFirstMatchAnswersAgain() throws {
        var m = ReplayMatcher(exchanges: [ex("/a", "1"), ex("/b", "1"), ex("/a", "1")], repeats: true)
        let a = Array("1".utf8)
        #expect(try (0..<4).map { _ in try m.match(method: "POST", target: "/a", body: a).get() } == [0, 2, 0, 0])
        #expect(m.servedCount == 4)
        #expect(try m.match(method: "POST", target: "/b", body: a).get() == 1)
        #expect(try m.match(method: "POST", target: "/b", body: a).get() == 1)
    }

    @Test func aRequestNothingMatchesIsStillAMiss() {
        var m = ReplayMatcher(exchanges: [ex("/a", "1")], repeats: true)
        guard case .failure(let miss) = m.match(method: "POST", target: "/a", body: Array("2".utf8)) else {
            Issue.record("matched a different body"); return
        }
        #expect(miss.alreadyServed == 0 && miss.closest.map(\.index) == [0])
    }

    @Test func withoutRepeatsASecondIdenticalRequestMisses() {
        var m = ReplayMatcher(exchanges: [ex("/a", "1")])
        #expect((try? m.match(method: "POST", target: "/a", body: Array("1".utf8)).get()) == 0)
        guard case .failure(let miss) = m.match(method: "POST", target: "/a", body: Array("1".utf8)) else {
            Issue.record("served twice"); return
        }
        #expect(miss.alreadyServed == 1)
    }
}
