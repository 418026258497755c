import Foundation
import Testing

/// `list` filters and sorting through the real binary, on the shipped captures (28 exchanges).
@Suite struct ListFilterTests {
    /// An archive holding every tape in captures/, imported in name order (ids 1…28).
    static let archive: String = {
        let dir = CLI.tempDir(), path = dir.appendingPathComponent("a.sqlite").path
        let files = try! FileManager.default.contentsOfDirectory(atPath: CLI.root.appendingPathComponent("captures").path)
            .filter { $0.hasSuffix(".tape.jsonl") }.sorted().map { CLI.root.appendingPathComponent("captures/\($0)").path }
        _ = try! CLI.run(["import", "--archive", path] + files)
        return path
    }()

    /// The ids `list --json` prints with these arguments.
    private func ids(_ args: [String]) throws -> [Int] {
        let r = try CLI.run(["list", "--json", "--archive", Self.archive] + args)
        #expect(r.status == 0, "\(r.stderr)")
        return try r.lines.map { (try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any])["id"] as! Int }
    }

    private func rows(_ args: [String]) throws -> [[String: Any]] {
        try CLI.run(["list", "--json", "--archive", Self.archive] + args).lines
            .map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    @Test func filtersSelectExactlyTheMatchingExchanges() throws {
        #expect(try ids(["--code", "stall"]) == [25])                          // openai-stall
        #expect(try ids(["--state", "upstream_reset"]) == [7])                  // anthropic-truncated
        #expect(try ids(["--state", "upstream_reset", "--state", "client_disconnected"]) == [7, 17])
        #expect(try rows(["--model", "gpt-4o"]).allSatisfy { $0["model"] as? String == "gpt-4o" })
        #expect(try ids(["--model", "gpt-4o"]) == [16, 17, 19, 23, 25])
        #expect(try ids(["--target", "/v1/responses"]) == [23, 24])
        #expect(try ids(["--tag", "ollama"]) == [14])
        let problems = try rows(["--problems"])
        #expect(problems.count == 15 && problems.allSatisfy { ($0["errors"] as! Int) + ($0["warnings"] as! Int) > 0 })
        // Started 07:00:00.123 to 07:27:01.122 on 2026-11-26: a bound in between splits them.
        #expect(try ids(["--since", "2026-11-26T07:25:00Z"]) == [4, 9, 25])
        #expect(try ids(["--until", "2026-11-26T07:01:00Z"]) == [15])
        #expect(try ids(["--since", "2026-11-27"]) == [])
    }

    @Test func sortAndLimitGiveTheSlowestFirst() throws {
        #expect(try ids(["--sort", "ttfc", "--desc", "--limit", "3"]) == [9, 24, 7])
        #expect(try ids(["--sort", "stall_max", "--desc", "--limit", "1"]) == [25])
        let sorted = try rows(["--sort", "ttfc"]).map { $0["ttfc"] as? Double }
        #expect(sorted.suffix(2) == [nil, nil] && sorted.prefix(26).map { $0! } == sorted.prefix(26).map { $0! }.sorted())
    }

    @Test func anEmptySelectionSaysNothingMatches() throws {
        let r = try CLI.run(["list", "--model", "no-such-model", "--archive", Self.archive])
        #expect(r.status == 0 && r.stdout == "no exchanges match in \(Self.archive)\n")
    }

    @Test func badFilterValuesAreUsageErrors() throws {
        let since = try CLI.run(["list", "--since", "yesterday", "--archive", Self.archive])
        #expect(since.status == 2 && since.stderr.hasPrefix("streamtape: --since \"yesterday\" is not a time: use 2026-11-26T07:00:00Z, 2026-11-26, or an age such as 30m, 12h, 7d"))
        let code = try CLI.run(["list", "--code", "stalled", "--archive", Self.archive])
        #expect(code.status == 2 && code.stderr.hasPrefix("streamtape: --code \"stalled\" is not a diagnostic code (one of unterminated-event, "))
        let sort = try CLI.run(["list", "--sort", "speed", "--archive", Self.archive])
        #expect(sort.status == 2)
    }
}
