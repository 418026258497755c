import Foundation
import Testing

/// `show` and `check` on files, run through the real binary.
@Suite struct ShowCheckTests {
    static let corpusNames = ["01-openai-chat-text", "03-openai-chat-parallel-toolcalls", "04-openai-responses-text",
                              "05-openai-responses-function-call", "09-anthropic-tool-use-json-delta",
                              "13-anthropic-error-overloaded", "14-gemini-text-crlf", "17-mistral-magistral-thinking"]

    @Test(arguments: corpusNames)
    func showJSONGivesTheEventsAConformingParserDispatches(name: String) throws {
        let r = try CLI.run(["show", "--json", CLI.corpus("\(name).sse")])
        #expect(r.status == 0)
        let expected = try String(contentsOfFile: CLI.corpus("\(name).events.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        let got = try r.lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(got.count == expected.count)
        for (i, (g, e)) in zip(got, expected).enumerated() {
            #expect(g["index"] as? Int == i)
            #expect(g["event"] as? String == e["event"] as? String)
            #expect(g["data"] as? String == e["data"] as? String)
            #expect(g["id"] as? String == e["id"] as? String)
            #expect(Set(g.keys) == ["index", "t", "offset", "length", "event", "data", "id"])
        }
    }

    @Test(arguments: corpusNames)
    func showTextJSONRebuildsWhatTheUserSaw(name: String) throws {
        let r = try CLI.run(["show", "--text", "--json", CLI.corpus("\(name).sse")])
        #expect(r.status == 0)
        let got = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let want = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: CLI.corpus("\(name).expected.json")))) as! [String: Any]
        #expect(got["dialect"] as? String == want["dialect"] as? String)
        #expect(got["text"] as? String == want["text"] as? String)
        #expect(got["reasoning"] as? String == want["reasoning"] as? String)
        #expect(got["stop"] as? String == want["stop"] as? String)
        let calls = (got["tool_calls"] as! [[String: Any]]).map { "\($0["name"]!)|\($0["arguments"]!)" }
        let wantCalls = (want["tool_calls"] as! [[String: Any]]).map { "\($0["name"]!)|\($0["arguments"]!)" }
        #expect(calls == wantCalls)
        let errors = (got["errors"] as! [[String: Any]]).map { "\($0["type"]!)|\($0["message"]!)" }
        let wantErrors = (want["errors"] as! [[String: Any]]).map { "\($0["type"]!)|\($0["message"]!)" }
        #expect(errors == wantErrors)
    }

    @Test func showTextPrintsTheAnswer() throws {
        let r = try CLI.run(["show", "--text", CLI.corpus("01-openai-chat-text.sse")])
        #expect(r.stdout == "The capital of the UK is London.\n[stop] stop\n")
    }

    @Test func checkOnACleanStreamExitsZero() throws {
        let r = try CLI.run(["check", CLI.corpus("01-openai-chat-text.sse")])
        #expect(r.status == 0)
        #expect(r.stdout == CLI.corpus("01-openai-chat-text.sse") + ": ok (openai-chat, 12 events)\n")
    }

    @Test func checkOnAMidStreamErrorExitsOneWithJSONFindings() throws {
        let r = try CLI.run(["check", "--json", CLI.corpus("13-anthropic-error-overloaded.sse")])
        #expect(r.status == 1)
        let findings = try r.lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(findings.contains { $0["code"] as? String == "error-event" && $0["severity"] as? String == "error" && $0["offset"] as? Int == 0 && $0["event"] as? Int == 0 })
        for f in findings { #expect(Set(f.keys) == ["code", "severity", "offset", "event", "message", "source"]) }
    }

    @Test func missingFileIsUnreadableInputExitThree() throws {
        let r = try CLI.run(["check", "/nonexistent/x.sse"])
        #expect(r.status == 3)
        #expect(r.stderr == "streamtape: /nonexistent/x.sse: no such file\n")
        let s = try CLI.run(["show", "/nonexistent/x.tape.jsonl"])
        #expect(s.status == 3)
    }

    @Test func badTapeLineIsNamed() throws {
        let dir = CLI.tempDir()
        let f = dir.appendingPathComponent("bad.tape.jsonl")
        try Data("{\"streamtape\":1,\"started\":\"2026-11-26T07:00:00Z\",\"request\":{\"method\":\"GET\",\"target\":\"/\"}}\n{\"t\":0.1}\n".utf8).write(to: f)
        let r = try CLI.run(["show", f.path])
        #expect(r.status == 3)
        #expect(r.stderr == "streamtape: \(f.path):2: a chunk line needs \"text\" or \"b64\"\n")
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try CLI.run(["check"]).status == 2)
        #expect(try CLI.run(["show", "--bogus", "x"]).status == 2)
        #expect(try CLI.run(["check", "--stall", "-1", "x.sse"]).status == 2)
        #expect(try CLI.run(["export", "1", "--format", "pdf"]).status == 2)
        #expect(try CLI.run(["frobnicate"]).status == 2)
    }

    @Test func helpExitsZero() throws {
        let r = try CLI.run(["--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("OVERVIEW: Record, replay and inspect LLM streaming traffic (SSE and NDJSON)."))
    }

    @Test func randomAndTruncatedBytesNeverCrashShowOrCheck() throws {
        let dir = CLI.tempDir()
        var rng = SystemRandomNumberGenerator()
        let corpus = try Data(contentsOf: URL(fileURLWithPath: CLI.corpus("15-gemini-thinking.sse")))
        for i in 0..<12 {
            let bytes: Data
            if i < 6 {
                bytes = Data((0..<(i * 997)).map { _ in UInt8.random(in: 0...255, using: &rng) })
            } else {
                bytes = corpus.prefix(Int.random(in: 0..<corpus.count, using: &rng))
            }
            for ext in ["sse", "ndjson", "tape.jsonl"] {
                let f = dir.appendingPathComponent("f\(i).\(ext)")
                try bytes.write(to: f)
                for cmd in [["show"], ["show", "--json"], ["show", "--text"], ["check"]] {
                    let r = try CLI.run(cmd + [f.path])
                    // 0 or 1 for readable input, 3 for an unreadable tape; never a signal or a crash code.
                    #expect([0, 1, 3].contains(r.status), "\(cmd) \(f.lastPathComponent) exited \(r.status): \(r.stderr)")
                }
            }
        }
    }
}
