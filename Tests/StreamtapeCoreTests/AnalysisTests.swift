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
                                     message: "the upstream failed before it sent a response (Could not resolve host); the client got a 502 from streamtape carrying this error")])
    }

    @Test func aGracefulStopSaysWhyTheRecorderStoppedNotThatItCrashed() {
        let body = DiagExchange.chat("Hi")
        let stopped = DiagExchange.exchange(body, end: .interrupted, endError: "streamtape was stopped and its drain time ran out before the stream ended")
        #expect(Analysis.analyze(stopped).findings.filter { $0.code == "truncated" }.map(\.message) == [
            "streamtape was stopped and its drain time ran out before the stream ended, after \(body.utf8.count) bytes; the client got a cut-off answer",
        ])
        let crashed = DiagExchange.exchange(body, end: .interrupted)
        #expect(Analysis.analyze(crashed).findings.filter { $0.code == "truncated" }.map(\.message) == [
            "the recording was found unfinished after a crash, after \(body.utf8.count) bytes; the client got a cut-off answer",
        ])
    }

    @Test func findingsAreSortedByOffset() {
        let body = "dta: x\n" + DiagExchange.chat("Hi") + "data: {\"choices\":[}\n\n" + DiagExchange.chat("late")
        let offsets = Analysis.analyze(DiagExchange.exchange(body, end: .upstreamReset)).findings.map(\.offset)
        #expect(offsets == offsets.sorted())
        #expect(offsets.count == 3)   // unknown-field, invalid-json, truncated
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

@Suite struct AnalysisRobustnessTests {
    @Test("random bytes, splits and timings never crash and always give sorted findings", arguments: Dialect.allCases)
    func randomInputIsSafe(dialect: Dialect) {
        var rng = SplitMix64(state: UInt64(dialect.rawValue.count) * 7919)
        let alphabet = Array("data: {}[]\":,event\r\n\n:id retry \u{FF}\u{C3}0123 \"type\":\"error\" [DONE] \"done\":true".utf8)
        for _ in 0..<200 {
            let n = Int.random(in: 0..<300, using: &rng)
            let bytes = (0..<n).map { _ in alphabet.randomElement(using: &rng)! }
            var chunks: [Chunk] = []
            var i = 0, t: UInt64 = 0
            while i < bytes.count {
                let len = Int.random(in: 1...40, using: &rng)
                t += UInt64.random(in: 0...8_000_000_000, using: &rng)
                chunks.append(Chunk(seq: chunks.count, offsetNs: t, bytes: Array(bytes[i..<min(bytes.count, i + len)])))
                i += len
            }
            var exchange = DiagExchange.exchange("", target: "/x").replacingChunks(chunks)
            exchange.end = ExchangeEnd(offsetNs: t, state: EndState.allCases.randomElement(using: &rng)!)
            let analysis = Analysis.analyze(exchange, dialect: Bool.random(using: &rng) ? dialect : nil,
                                            options: .init(stallSeconds: .nan, slowFirstByteSeconds: .infinity))
            #expect(analysis.findings.map(\.offset) == analysis.findings.map(\.offset).sorted())
            #expect(analysis.findings.allSatisfy { $0.offset >= 0 && $0.offset <= bytes.count })
            #expect(analysis.eventTimesNs.count == analysis.events.count)
        }
    }
}
