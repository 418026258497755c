import Foundation
import Testing

/// What `show`, `check` and `import` print for captures that are hostile, cut, refused or not captures.
@Suite struct ShowOutputTests {
    static func capture(_ name: String) -> String { CLI.root.appendingPathComponent("captures/\(name)").path }

    /// An event holding an OSC title sequence, BEL, a screen clear and a C1 control.
    static func hostileSSE() throws -> String {
        let path = CLI.tempDir().appendingPathComponent("hostile.sse").path
        let body = "data: {\"x\":\"\u{1B}]0;pwned\u{07}hi\u{1B}[2J\u{9B}z\"}\n\n"
        try Data(body.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func showAndCheckNeverPrintTerminalControlCharacters() throws {
        let path = try Self.hostileSSE()
        for args in [["show", path], ["show", "--text", path], ["check", path], ["check", "--json", path], ["show", "--http", path]] {
            let r = try CLI.run(args)
            #expect(r.status == 0, "\(args)")
            let controls = r.stdout.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || $0.value == 0x7F || (0x80..<0xA0).contains($0.value) }
            #expect(controls.isEmpty, "\(args) printed \(controls.map(\.value))")
        }
        let show = try CLI.run(["show", path])
        #expect(show.lines[2].hasSuffix(#"{"x":"\u001b]0;pwned\u0007hi\u001b[2J\u009bz"}"#))
    }

    @Test func showTimelineRoundsToMillisecondsAndMarksLineFeeds() throws {
        let path = CLI.tempDir().appendingPathComponent("times.tape.jsonl").path
        let lines = [
            #"{"streamtape":1,"started":"2026-11-26T07:00:00.000Z","request":{"method":"POST","target":"/v1/x"},"response":{"status":200,"t":0.0001,"headers":[["content-type","text/event-stream"]]}}"#,
            #"{"t":0.0015,"text":"data: a\ndata: b\n\n"}"#,
            #"{"t":1.2345678,"text":"data: c\n\n"}"#,
            #"{"t":61.0009995,"text":"data: d\n\n"}"#,
            #"{"t":61.1,"end":"complete"}"#,
        ]
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        let r = try CLI.run(["show", path])
        #expect(r.status == 0)
        // 0.0015 s is an exact half millisecond: as `%.3f` rounds the double 0.0015 (just above), 0.002.
        #expect(Array(r.lines[2...4]) == [
            "0     0.002s     +0.002s    message                     17     a⏎b",
            "1     1.235s     +1.233s    message                     9      c",
            "2     61.001s    +59.766s   message                     9      d",
        ])
    }

    @Test func showTimelineClipsAndPadsByCharactersNotBytes() throws {
        let path = CLI.tempDir().appendingPathComponent("clip.sse").path
        let events: [(type: String, data: String)] = [
            (String(repeating: "a", count: 30), "1"), ("message", String(repeating: "y", count: 70)),
            ("message", String(repeating: "z", count: 71)), ("message", String(repeating: "w", count: 70) + "\u{301}"),
            ("message", "a\tb"), (String(repeating: "é", count: 28), "2"), ("message", String(repeating: "漢", count: 75)),
            ("message", "d\u{7F}el"),
        ]
        try Data(events.map { "event: \($0.type)\ndata: \($0.data)\n\n" }.joined().utf8).write(to: URL(fileURLWithPath: path))
        let r = try CLI.run(["show", path])
        #expect(r.status == 0)
        let at = "0.000s     +0.000s    "
        #expect(Array(r.lines[2...]) == [
            "0     \(at)" + String(repeating: "a", count: 26) + "… 47     1",
            "1     \(at)message                     93     " + String(repeating: "y", count: 70),
            "2     \(at)message                     94     " + String(repeating: "z", count: 69) + "…",
            // The combining accent joins the 70th w: still 70 characters, not clipped.
            "3     \(at)message                     95     " + String(repeating: "w", count: 70) + "\u{301}",
            "4     \(at)message                     26     a\tb",
            "5     \(at)" + String(repeating: "é", count: 26) + "… 73     2",
            "6     \(at)message                     248    " + String(repeating: "漢", count: 69) + "…",
            "7     \(at)message                     27     d\\u007fel",
        ])
    }

    @Test func showTextSaysHowACutStreamEnded() throws {
        let r = try CLI.run(["show", "--text", Self.capture("anthropic-truncated.tape.jsonl")])
        #expect(r.status == 0)
        #expect(Array(r.lines.suffix(2)) == ["[stop] none", "[end] upstream_reset: transfer closed with outstanding read data remaining"])
        let j = try CLI.run(["show", "--text", "--json", Self.capture("anthropic-truncated.tape.jsonl")])
        let o = try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as! [String: Any]
        #expect(o["end"] as? String == "upstream_reset")
        #expect(o["end_error"] as? String == "transfer closed with outstanding read data remaining")
        #expect(o["status"] as? Int == 200)
    }

    @Test func showTextSaysWhatAnHTTPErrorAnswerSaid() throws {
        let r = try CLI.run(["show", "--text", Self.capture("openai-http-error-status.tape.jsonl")])
        #expect(r.status == 0)
        #expect(r.lines.count == 2)
        #expect(r.lines[0] == "[stop] none")
        #expect(r.lines[1].hasPrefix(#"[http] status 429: { "error": { "message": "Rate limit reached for gpt-4o"#))
        #expect(r.lines[1].count == "[http] status 429: ".count + 200)
    }

    @Test func showHTTPPrintsBothMessagesWithTheirHeadersAndBodies() throws {
        let r = try CLI.run(["show", "--http", Self.capture("openai-http-error-status.tape.jsonl")])
        #expect(r.status == 0)
        #expect(Array(r.lines.prefix(6)) == [
            "POST /v1/chat/completions", "content-type: application/json", "accept: application/json",
            "authorization: redacted:971302da", "",
            #"{"model":"gpt-4o","messages":[{"role":"user","content":"Summarise the attached report."}],"stream":true}"#,
        ])
        #expect(r.lines[7] == "429 (head at 0.169s)")
        #expect(r.lines[8] == "date: Thu, 26 Nov 2026 07:21:01 GMT")
        #expect(r.lines.contains(#"        "code": "rate_limit_exceeded""#))
        #expect(r.lines.last == "[end] complete at 0.172s")
        let both = try CLI.run(["show", "--http", "--text", Self.capture("openai-http-error-status.tape.jsonl")])
        #expect(both.status == 2)
    }

    @Test func showOfABodyWithoutEventsPrintsTheBody() throws {
        let r = try CLI.run(["show", Self.capture("openai-http-error-status.tape.jsonl")])
        #expect(r.lines.contains { $0.hasPrefix(#"no events; the body (356 bytes): { "error": { "message": "Rate limit"#) })
    }

    @Test(arguments: ["README.md", "binary", "empty.sse", "empty"])
    func importRefusesWhatIsNotACapture(name: String) throws {
        let dir = CLI.tempDir()
        let path: String
        switch name {
        case "README.md": path = CLI.root.appendingPathComponent("README.md").path
        case "binary":
            path = dir.appendingPathComponent("blob.bin").path
            try Data([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x00, 0x00, 0x64, 0x61]).write(to: URL(fileURLWithPath: path))
        default:
            path = dir.appendingPathComponent(name).path
            try Data().write(to: URL(fileURLWithPath: path))
        }
        let archive = dir.appendingPathComponent("a.sqlite").path
        let r = try CLI.run(["import", "--archive", archive, path])
        #expect(r.status == 3)
        #expect(r.stdout.isEmpty)
        let reason = name == "empty.sse" ? "empty, nothing to import" : name == "empty" ? "empty file, not a capture"
            : "not a capture (expected a tape (.tape.jsonl), an SSE body (.sse), NDJSON (.ndjson), a VCR cassette (.yaml) or HAR (.har))"
        #expect(r.stderr == "streamtape: \(path): \(reason)\n")
        #expect(!FileManager.default.fileExists(atPath: archive))
    }

    @Test func importTakesAnSSEBodyWhateverItsName() throws {
        let dir = CLI.tempDir()
        let path = dir.appendingPathComponent("stream.txt").path
        try Data("event: ping\ndata: {}\n\n".utf8).write(to: URL(fileURLWithPath: path))
        let r = try CLI.run(["import", "--archive", dir.appendingPathComponent("a.sqlite").path, path])
        #expect(r.status == 0)
        #expect(r.stdout == "1\n")
    }

    @Test func checkSaysWhatIsWrongWithANegativeThreshold() throws {
        let r = try CLI.run(["check", "--stall", "-1", Self.capture("openai-chat-text.tape.jsonl")])
        #expect(r.status == 2)
        #expect(r.stderr == "streamtape: --stall must be a positive number of seconds, got -1.0 (--help shows the usage)\n")
    }
}
