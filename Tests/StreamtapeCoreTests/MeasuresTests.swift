import Foundation
import Testing
@testable import StreamtapeCore

/// Measures on the shipped captures, each value worked out by hand from the tape's lines.
@Suite struct MeasuresTests {
    /// A tape from the repository's `captures/` folder.
    private func capture(_ name: String) throws -> Exchange {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../captures/\(name).tape.jsonl")
        return try Tape.decode([UInt8](Data(contentsOf: url)))
    }

    /// openai-chat-text: the role-only first chunk (`"content":""`) carries nothing; the 8 text
    /// deltas arrive at .491472, .559096 (two), .591367, .592222 (" UK", completed by the next
    /// chunk), .603287, .671896 (two); usage says 9 completion tokens.
    @Test func openAIChatTextMeasuresByHand() throws {
        let m = Measures.of(try capture("openai-chat-text"))
        // Gaps between content events: 67.624, 0, 32.271, 0.855, 11.065, 68.609, 0 ms.
        let expected = Measures(model: "gpt-4o-mini", ttfbNs: 480_307_000, ttfcNs: 491_472_000, durationNs: 766_184_000,
                                contentEvents: 8, tokensOut: 9, tokensPerSecond: 9 / 0.180424,
                                gapP50Ns: 11_065_000, gapP99Ns: 68_609_000, gapMaxNs: 68_609_000,
                                stallMaxNs: 68_609_000, stop: "stop", errorType: nil)
        #expect(m.tokensPerSecond.map { abs($0 - 9 / 0.180424) < 1e-9 } == true)
        var rounded = m
        rounded.tokensPerSecond = expected.tokensPerSecond
        #expect(rounded == expected)
    }

    /// openai-stall: 28 s pass between " in" (0.772278) and " 1648" (28.772278), between chunks too.
    @Test func theStallIsTheLongestGapAndTheLongestStall() throws {
        let m = Measures.of(try capture("openai-stall"))
        #expect(m.gapMaxNs == 28_000_000_000 && m.stallMaxNs == 28_000_000_000)
        #expect(m.ttfcNs == 550_794_000 && m.gapP99Ns == 28_000_000_000)
    }

    /// anthropic-error-event: three text deltas, then `overloaded_error`; `message_start` reports 1 output token.
    @Test func anthropicErrorTypeAndUsageFromMessageStart() throws {
        let m = Measures.of(try capture("anthropic-error-event"))
        #expect(m.model == "claude-sonnet-4-5" && m.errorType == "overloaded_error" && m.stop == nil)
        #expect(m.contentEvents == 3 && m.ttfcNs == 460_796_000 && m.tokensOut == 1)
        #expect(m.gapP50Ns == 35_756_000 && m.gapP99Ns == 60_814_000 && m.gapMaxNs == 60_814_000)
    }

    /// anthropic-thinking-text: thinking deltas are content (the first at 0.37073); the empty
    /// thinking delta and the signature delta are not; `message_delta` reports 282 tokens.
    @Test func thinkingIsContentAndTheLastUsageWins() throws {
        let m = Measures.of(try capture("anthropic-thinking-text"))
        #expect(m.ttfcNs == 370_730_000 && m.tokensOut == 282 && m.stop == "end_turn" && m.model == "claude-sonnet-4-0")
    }

    /// gemini-text-crlf: the model comes from the path; usage from the last `usageMetadata`.
    @Test func geminiModelFromThePathAndTokensFromUsageMetadata() throws {
        let m = Measures.of(try capture("gemini-text-crlf"))
        #expect(m.model == "gemini-2.0-flash-exp" && m.tokensOut == 8 && m.stop == "STOP" && m.contentEvents == 3)
    }

    /// An imported exchange without recorded timing has no times, but keeps its counts.
    @Test func unknownTimingGivesNoTimes() throws {
        var e = try capture("openai-chat-text")
        e.timingUnknown = true
        let m = Measures.of(e)
        #expect(m.ttfbNs == nil && m.ttfcNs == nil && m.durationNs == nil && m.gapMaxNs == nil && m.stallMaxNs == nil)
        #expect(m.tokensPerSecond == nil && m.contentEvents == 8 && m.tokensOut == 9)
    }

    /// Nearest rank: the value at rank ⌈p/100 · n⌉.
    @Test func percentilesAreNearestRank() {
        let v = Array(1...10)
        #expect(Percentile.of(v, 50) == 5 && Percentile.of(v, 90) == 9 && Percentile.of(v, 99) == 10 && Percentile.of(v, 1) == 1)
        #expect(Percentile.of([Int](), 50) == nil && Percentile.of([7], 99) == 7)
    }
}

/// The sparkline `stats` draws per measure.
@Suite struct SparklineTests {
    @Test func binsAreScaledToTheFullestBin() {
        #expect(Sparkline.render([0, 0, 0, 0, 1, 9.99], range: 0...10, bins: 5) == "█   ▂")
        #expect(Sparkline.render([5], range: 5...5, bins: 3) == "█  ")
        #expect(Sparkline.render([], range: 0...1, bins: 2) == "  ")
    }
}
