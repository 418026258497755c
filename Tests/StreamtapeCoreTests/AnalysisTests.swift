import Foundation
import Testing
@testable import StreamtapeCore

@Suite struct AnalysisTests {
    @Test func rawBodyWithoutRequestOrResponseIsAnalysed() {
        let analysis = Analysis.analyze(DiagExchange.raw(DiagExchange.chat("Hi") + DiagExchange.done))
        #expect(analysis.dialect == .openaiChat)
        #expect(analysis.framing == .sse)
        #expect(analysis.events.count == 2)
        #expect(analysis.eventTimesNs == [0, 0])
        #expect(analysis.assembly.text == "Hi")
        #expect(analysis.findings == [])
    }

    @Test func emptyExchangeWithNoChunksIsAnalysed() {
        let analysis = Analysis.analyze(Exchange(startedMs: 0, request: CapturedRequest(method: "", target: "")))
        #expect(analysis.dialect == .generic)
        #expect(analysis.events == [])
        #expect(analysis.findings == [])
    }

    @Test func upstreamErrorBeforeAnyResponseIsOnlyTruncated() {
        var exchange = DiagExchange.exchange("", status: nil)
        exchange.chunks = []
        exchange.end = ExchangeEnd(offsetNs: 30_000_000, state: .upstreamError, error: "Could not resolve host")
        let findings = Analysis.analyze(exchange).findings
        #expect(findings == [Finding(code: "truncated", severity: .error, offset: 0, event: nil,
                                     message: "the upstream failed before it sent a response (Could not resolve host) after 0 bytes; the client got a cut-off answer")])
    }

    @Test func findingsAreSortedByOffset() {
        let body = "dta: x\n" + DiagExchange.chat("Hi") + "data: {\"choices\":[}\n\n" + DiagExchange.chat("late")
        let offsets = Analysis.analyze(DiagExchange.exchange(body, end: .upstreamReset)).findings.map(\.offset)
        #expect(offsets == offsets.sorted())
        #expect(offsets.count == 4)   // unknown-field, invalid-json, truncated, missing-terminator
    }

    @Test func bigStreamAnalysisGrowsLinearly() {
        func exchange(_ n: Int) -> Exchange {
            var chunks: [Chunk] = []
            chunks.reserveCapacity(n + 1)
            for i in 0..<n { chunks.append(Chunk(seq: i, offsetNs: UInt64(i) * 1_000_000, bytes: Array(DiagExchange.chat("token \(i) ").utf8))) }
            chunks.append(Chunk(seq: n, offsetNs: UInt64(n) * 1_000_000, bytes: Array(DiagExchange.done.utf8)))
            return DiagExchange.exchange("").replacingChunks(chunks)
        }
        func seconds(_ n: Int) -> (Double, Analysis) {
            let e = exchange(n)
            let start = DispatchTime.now().uptimeNanoseconds
            let a = Analysis.analyze(e)
            return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, a)
        }
        let (small, a1) = seconds(5_000)
        let (big, a2) = seconds(40_000)
        #expect(a1.events.count == 5_001 && a2.events.count == 40_001)
        #expect(a2.assembly.text.hasSuffix("token 39999 "))
        #expect(a2.findings == [])
        print("analysis: 5k events \(small) s, 40k events \(big) s")
        // 8x the events must cost well under 8x squared; allow noise from a shared machine.
        #expect(big < small * 8 * 4)
    }
}

extension Exchange {
    /// The same exchange with other chunks.
    func replacingChunks(_ chunks: [Chunk]) -> Exchange {
        var copy = self
        copy.chunks = chunks
        return copy
    }
}
