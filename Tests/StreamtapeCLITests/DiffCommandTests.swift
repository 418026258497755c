import Foundation
import Testing

/// `streamtape diff` through the real binary, on pairs made from `captures/openai-chat-text` with
/// exactly one known difference each.
@Suite struct DiffCommandTests {
    static let original = CLI.root.appendingPathComponent("captures/openai-chat-text.tape.jsonl").path

    /// The original tape's lines (header, 9 chunks, end), changed by `edit`, written to a temp file.
    private func variant(_ name: String, _ edit: (inout [String]) -> Void) throws -> String {
        var lines = try String(contentsOfFile: Self.original, encoding: .utf8).split(separator: "\n").map(String.init)
        edit(&lines)
        let path = CLI.tempDir().appendingPathComponent("\(name).tape.jsonl").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func object(_ line: String) -> [String: Any] {
        try! JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
    }

    private func line(_ o: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: o, options: [.sortedKeys]), as: UTF8.self)
    }

    private func diff(_ b: String, _ extra: [String] = []) throws -> (json: [String: Any], status: Int32) {
        let r = try CLI.run(["diff", Self.original, b, "--json"] + extra)
        #expect(r.stderr == "")
        return (object(r.stdout), r.status)
    }

    /// The parts that differ, by name (empty lists and counts left out).
    private func differing(_ j: [String: Any]) -> [String: [Any]] {
        var out: [String: [Any]] = [:]
        for key in ["request", "response", "events", "answer", "delays", "findings", "chunks"] {
            if let v = j[key] as? [Any], !v.isEmpty { out[key] = v }
        }
        return out
    }

    @Test func aCopyIsEquivalentAndExitsZero() throws {
        let r = try CLI.run(["diff", Self.original, Self.original])
        #expect(r.status == 0)
        #expect(r.lines.prefix(10) == ["A: \(Self.original)", "B: \(Self.original)", "request: same", "response: same",
                                       "events: same (12)", "answer: same", "delays: none", "findings: same",
                                       "chunks (not counted; --chunks counts them): same", "timing:                       A            B"])
        #expect(r.lines.last == "equivalent")
        #expect(r.lines.contains("  ttfc                   0.491s       0.491s"))
    }

    @Test func oneChangedEventIsExactlyThatEvent() throws {
        let b = try variant("changed") { $0[6] = $0[6].replacingOccurrences(of: "fcc4yi1x", with: "zzzzzzzz") }
        let (j, status) = try diff(b)
        #expect(status == 1 && j["equivalent"] as? Bool == false)
        let events = differing(j)["events"] as? [[String: Any]]
        #expect(differing(j).keys.sorted() == ["events"])
        #expect(events?.count == 1)
        #expect(events?.first.map { [$0["kind"] as? String, "\($0["a"]!)", "\($0["b"]!)", "\($0["a_offset"]!)", "\($0["b_offset"]!)"] }
                == ["changed", "6", "6", "2006", "2006"])
    }

    @Test func oneRemovedEventIsExactlyThatEvent() throws {
        let b = try variant("removed") { $0.remove(at: 8) }   // the usage chunk
        let (j, status) = try diff(b)
        #expect(status == 1 && differing(j).keys.sorted() == ["events"])
        let e = (j["events"] as! [[String: Any]])[0]
        #expect(e["kind"] as? String == "removed" && e["a"] as? Int == 10 && e["b"] is NSNull && e["a_offset"] as? Int == 3306)
        #expect(((j["timing"] as! [String: Any])["b"] as! [String: Any])["tokens_out"] is NSNull)
    }

    /// The same bytes cut into one more read at the same time: equivalent, unless --chunks.
    @Test func aRechunkedCopyIsEquivalentUnlessChunksCount() throws {
        let b = try variant("rechunked") { lines in
            let o = object(lines[2]), text = o["text"] as! String
            var first = o, second = o
            first["text"] = String(text.prefix(50)); second["text"] = String(text.dropFirst(50))
            lines.replaceSubrange(2...2, with: [line(first), line(second)])
        }
        let plain = try diff(b)
        #expect(plain.status == 0 && differing(plain.json).keys.sorted() == ["chunks"] && plain.json["equivalent"] as? Bool == true)
        let counted = try diff(b, ["--chunks"])
        #expect(counted.status == 1 && counted.json["chunks"] as? [String]
                == ["chunks: the same 3825 bytes in 9 reads in A, 10 in B; first different cut at byte 411"])
    }

    /// Every chunk from the 6th on arrives 2 s later: the delay is reported where it starts, once.
    @Test func oneDelayedEventIsReportedWhereTheDelayStarts() throws {
        let b = try variant("delayed") { lines in
            for i in 6..<lines.count {
                var o = object(lines[i])
                o["t"] = ((o["t"] as! Double) * 1e6 + 2e6).rounded() / 1e6
                lines[i] = line(o)
            }
        }
        let (j, status) = try diff(b)
        #expect(status == 1 && differing(j).keys.sorted() == ["delays"])
        let delay = (j["delays"] as! [[String: Any]])[0]
        #expect((j["delays"] as! [Any]).count == 1 && delay["a"] as? Int == 6 && delay["b"] as? Int == 6 && delay["shift"] as? Double == 2.0)
        let text = try CLI.run(["diff", Self.original, b])
        #expect(text.lines.contains("  B event 6 (A event 6) arrives 2.000s later than in A, against the event before it"))
    }

    @Test func aDifferentModelIsTheRequestBodyOnly() throws {
        let b = try variant("model") { lines in
            var head = object(lines[0]), request = head["request"] as! [String: Any]
            request["body"] = (request["body"] as! String).replacingOccurrences(of: "\"gpt-4o-mini\"", with: "\"gpt-4o\"")
            head["request"] = request
            lines[0] = line(head)
        }
        let (j, status) = try diff(b)
        #expect(status == 1 && differing(j).keys.sorted() == ["request"])
        #expect(j["request"] as? [String] == [#"body $.model: A "gpt-4o-mini", B "gpt-4o""#])
    }

    /// A gateway that re-serialises JSON (keys in another order) sends the same events.
    @Test func reserialisedJSONDataIsTheSameEvent() throws {
        let b = try variant("reserialised") { lines in
            var o = object(lines[2])
            o["text"] = (o["text"] as! String).replacingOccurrences(of: #"{"id":"chatcmpl-Dx0Xq5Xx9rHB2ehcHZCRDsnuymUXc","object":"chat.completion.chunk","#,
                                                                    with: #"{"object":"chat.completion.chunk", "id":"chatcmpl-Dx0Xq5Xx9rHB2ehcHZCRDsnuymUXc","#)
            lines[2] = line(o)
        }
        #expect(try String(contentsOfFile: b, encoding: .utf8).contains(#"{\"object\":\"chat.completion.chunk\", \"id\""#))
        let (j, status) = try diff(b)
        #expect(status == 0 && differing(j).isEmpty && j["equivalent"] as? Bool == true)
    }

    @Test func archivedIdsCompareLikeFiles() throws {
        let dir = CLI.tempDir(), archive = dir.appendingPathComponent("a.sqlite").path
        let other = CLI.root.appendingPathComponent("captures/openai-stall.tape.jsonl").path
        _ = try CLI.run(["import", "--archive", archive, Self.original, other])
        let r = try CLI.run(["diff", "1", "2", "--archive", archive])
        #expect(r.status == 1)
        #expect(r.lines.contains("  stall max              0.069s      28.000s"))
        #expect(r.lines.contains("  stall: A 0, B 1"))
    }

    @Test func usageAndUnreadableInputExitTwoAndThree() throws {
        let usage = try CLI.run(["diff", Self.original])
        #expect(usage.status == 2)
        let bad = try CLI.run(["diff", Self.original, Self.original, "--tolerance=-1"])
        #expect(bad.status == 2 && bad.stderr == "streamtape: --tolerance must be 0 or more seconds (--help shows the usage)\n")
        let missing = try CLI.run(["diff", Self.original, "/nonexistent.tape.jsonl"])
        #expect(missing.status == 3 && missing.stderr == "streamtape: /nonexistent.tape.jsonl: no such file\n")
    }
}
