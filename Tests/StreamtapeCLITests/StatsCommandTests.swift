import Foundation
import Testing

/// `streamtape stats` through the real binary on five shipped captures.
@Suite struct StatsCommandTests {
    static let archive: String = {
        let path = CLI.tempDir().appendingPathComponent("a.sqlite").path
        let names = ["openai-chat-text", "anthropic-error-event", "gemini-text-crlf", "openai-stall", "openai-chat-tool-calls"]
        _ = try! CLI.run(["import", "--archive", path] + names.map { CLI.root.appendingPathComponent("captures/\($0).tape.jsonl").path })
        return path
    }()

    /// The five ttfc values are 0.491472, 0.460796, 0.345614 (gemini), 0.550794, 0.52899: nearest-rank
    /// p50 is the 3rd smallest, p90 and p99 the largest.
    @Test func theTableShowsPercentilesAndADistributionPerMeasure() throws {
        let r = try CLI.run(["stats", "--archive", Self.archive])
        #expect(r.status == 0)
        #expect(r.lines == [
            "all: 5 exchanges, 20% with errors, 1 stalled",
            "  findings: error-event 1, stall 1",
            "                                      n      p50      p90      p99  distribution",
            "  time to first byte                  5   0.476s   0.493s   0.493s  ▄▄      ▄█",
            "  time to first content               5   0.491s   0.551s   0.551s  █    █ ███",
            "  gap between content events          5   0.035s   0.037s   0.037s  ▃  ▃     █",
            "  duration                            5   0.766s  29.227s  29.227s  █        ▂",
            "  output tokens per second            3     49.9    382.6    382.6  ██       █",
        ])
    }

    @Test func groupsByModelInJSONWithOpenTelemetryNames() throws {
        let r = try CLI.run(["stats", "--by", "model", "--json", "--archive", Self.archive])
        let groups = try r.lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(groups.map { $0["group"] as? String } == ["claude-sonnet-4-5", "gemini-2.0-flash-exp", "gpt-4o", "gpt-4o-mini"])
        #expect(groups.map { $0["count"] as? Int } == [1, 1, 2, 1])
        let gpt4o = groups[2]["metrics"] as! [String: [String: Any]]
        #expect(Set(gpt4o.keys) == ["streamtape.time_to_first_byte", "gen_ai.client.operation.time_to_first_chunk",
                                    "gen_ai.client.operation.time_per_output_chunk", "gen_ai.client.operation.duration",
                                    "streamtape.output_tokens_per_second"])
        let ttfc = gpt4o["gen_ai.client.operation.time_to_first_chunk"]!
        #expect(ttfc["unit"] as? String == "s" && ttfc["count"] as? Int == 2 && ttfc["p50"] as? Double == 0.52899
                && ttfc["p99"] as? Double == 0.550794)
        #expect((groups[2]["codes"] as? [String: [String: Any]])?["stall"]?["count"] as? Int == 1 && groups[2]["stalls"] as? Int == 1)
    }

    @Test func anEmptySelectionAndAMissingArchive() throws {
        let none = try CLI.run(["stats", "--model", "nothing", "--archive", Self.archive])
        #expect(none.status == 0 && none.stdout == "no exchanges match in \(Self.archive)\n")
        let missing = try CLI.run(["stats", "--archive", "/nonexistent/a.sqlite"])
        #expect(missing.status == 3)
    }
}
